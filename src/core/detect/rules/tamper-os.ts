/**
 * TAMPER-004..007 (reference B.4): agents launched without permission checks, shell history and
 * OS audit impairment, and sandbox bypass requests.
 */
import { posix } from 'node:path';
import { isInside } from '../../event/scope.js';
import { CRED_GLOBS, DNS_TOOLS, HISTORY_FILE, isLocalHost, NET_TOOLS, SHELL_RC_GLOBS } from '../lists.js';
import { commands, defineRule, fileMatches, hit } from '../rule-kit.js';
import type { EventFacts, Rule, RuleHit, ShellCommand } from '../types.js';
import { inTempScratch, operandsOf, optionValue, rawCommand, underAny } from './shell-targets.js';

/** npm packages of coding agents, mapped to their command names (`npx @anthropic-ai/claude-code …`). */
const AGENT_PACKAGES: Record<string, string> = {
  '@anthropic-ai/claude-code': 'claude', '@google/gemini-cli': 'gemini', '@openai/codex': 'codex', '@sourcegraph/amp': 'amp',
};

/** Values of an option that takes one or more values (`--allowedTools "Bash" "Edit"`, `--allowedTools=Bash,Edit`). */
function optionValues(args: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = names.find((n) => a.startsWith(`${n}=`));
    if (eq) out.push(...a.slice(eq.length + 1).split(/[\s,]+/));
    else if (names.includes(a)) for (let j = i + 1; j < args.length && !args[j]!.startsWith('-'); j++) out.push(...args[j]!.split(/[\s,]+/));
  }
  return out.filter(Boolean);
}

/** Whether an agent CLI call turns its permission checks or sandbox off. */
function bypassLaunch(agent: string, args: readonly string[]): boolean {
  const has = (...flags: string[]) => args.some((a) => flags.includes(a));
  switch (agent) {
    case 'claude': {
      if (has('--dangerously-skip-permissions', '--allow-dangerously-skip-permissions')) return true;
      if (optionValue(args, null, '--permission-mode') === 'bypassPermissions') return true;
      const tools = optionValues(args, ['--allowedTools', '--allowed-tools']);
      return has('-p', '--print') && tools.some((t) => t === '*' || t === 'Bash' || t === 'Bash(*)' || t === 'Bash(:*)');
    }
    case 'gemini':
      return has('--yolo', '-y') || optionValue(args, null, '--approval-mode') === 'yolo';
    case 'codex':
      return has('--dangerously-bypass-approvals-and-sandbox', '--yolo') ||
        (optionValue(args, '-s', '--sandbox') === 'danger-full-access' && (optionValue(args, '-a', '--ask-for-approval') === 'never' || args[0] === 'exec'));
    case 'q':
    case 'kiro-cli':
      return has('--trust-all-tools');
    case 'aider':
      return has('--yes-always');
    case 'amp':
      return has('--dangerously-allow-all');
    case 'cursor-agent':
      return has('--force', '-f');
    default:
      return false;
  }
}

/** The agent CLI a command runs and its arguments, through npx/bunx/pnpm dlx. */
function agentCall(cmd: ShellCommand): { agent: string; args: readonly string[] } {
  const pkgAt = ['npx', 'bunx', 'pnpx'].includes(cmd.name) ? 0 : (cmd.name === 'pnpm' || cmd.name === 'yarn') && cmd.args[0] === 'dlx' ? 1 : -1;
  if (pkgAt >= 0) {
    const rest = cmd.args.slice(pkgAt).filter((a, i, all) => !(a.startsWith('-') && all.slice(0, i).every((b) => b.startsWith('-'))));
    const pkg = (rest[0] ?? '').replace(/(?<=.)@[^/]*$/, '');
    const agent = AGENT_PACKAGES[pkg];
    if (agent) return { agent, args: rest.slice(1) };
  }
  return { agent: cmd.name, args: cmd.args };
}

const tamper004 = defineRule(
  {
    id: 'AGT-TAMPER-004',
    title: 'Agent launched with permission bypass',
    category: 'TAMPER',
    severity: 'high',
    // Tools are checked in match: the session's own mode arrives on SessionStart / UserPromptSubmit.
    events: ['PreToolUse', 'SessionStart', 'UserPromptSubmit'],
    attack: ['T1562.001', 'T1059'],
    atlas: ['AML.T0053', 'AML.T0103'],
    owasp: ['ASI02', 'ASI03'],
    description:
      'Bash starts a coding agent without permission checks (claude --dangerously-skip-permissions / --permission-mode bypassPermissions / -p --allowedTools "*", gemini --yolo, codex --dangerously-bypass-approvals-and-sandbox, q chat --trust-all-tools, aider --yes-always) (high); the session itself runs in bypassPermissions mode (medium: headless CI runs use it; policy can re-rate).',
  },
  (facts) => {
    if (facts.hookEvent === 'SessionStart' || facts.hookEvent === 'UserPromptSubmit') {
      return facts.permissionMode === 'bypassPermissions'
        ? [{ ...hit('permission_mode=bypassPermissions', 'medium', 'This session runs without permission prompts.')[0]!, once: 'session' as const }]
        : [];
    }
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    for (const cmd of commands(facts)) {
      const { agent, args } = agentCall(cmd);
      if (bypassLaunch(agent, args)) hits.push(...hit(cmd.text));
    }
    return hits;
  },
);

const HIST_VARS_OFF: Record<string, RegExp> = {
  HISTFILE: /^(\/dev\/null)?$/,
  HISTSIZE: /^0$/,
  HISTFILESIZE: /^0$/,
  SAVEHIST: /^0$/,
  HISTCONTROL: /ignorespace|ignoreboth/,
  HISTIGNORE: /^\*$/,
};
const RAW_HISTORY = /\bunset\s+HISTFILE\b|\bhistory\s+-c\b|\bset\s+\+o\s+history\b|\bHISTFILE=\/dev\/null\b|\bHIST(?:FILE)?SIZE=0\b/;

/** Whether an assignment switches shell history off. */
function historyOff(name: string, value: string): boolean {
  return HIST_VARS_OFF[name]?.test(value) ?? false;
}

function historyTamper(facts: EventFacts, cmd: ShellCommand, index: number): boolean {
  if (cmd.assigns.some((a) => historyOff(a.name, a.value))) return true;
  const { name, args } = cmd;
  if (name === 'export' || name === 'declare' || name === 'typeset' || name === 'readonly') {
    if (args.some((a) => /^(\w+)=(.*)$/.test(a) && historyOff(a.split('=')[0]!, a.slice(a.indexOf('=') + 1)))) return true;
  }
  if (name === 'unset' && args.some((a) => a === 'HISTFILE')) return true;
  if (name === 'history' && args.some((a) => /^-[a-z]*[cw]/.test(a))) return true;
  if (name === 'set' && args.some((a, i) => a === '+o' && args[i + 1] === 'history')) return true;
  if (name === 'shopt' && args.includes('history') && args.some((a) => /^-[a-z]*u/.test(a))) return true;
  for (const f of facts.files) {
    if (f.command !== index || !HISTORY_FILE.test(posix.basename(f.abs))) continue;
    if (f.access === 'delete') return true;
    if (f.access === 'write' && f.via !== 'redirect' && f.via !== 'touch' && f.via !== 'tee') return true;
    if (f.access === 'read' && name === 'mv') return true;
  }
  return cmd.redirects.some((r) => (r.op === '>' || r.op === '>|' || r.op === '&>') && HISTORY_FILE.test(posix.basename(r.target)));
}

const tamper005 = defineRule(
  {
    id: 'AGT-TAMPER-005',
    title: 'Shell history / logging impairment',
    category: 'TAMPER',
    severity: 'high',
    tools: ['Bash'],
    attack: ['T1070.003', 'T1562.003'],
    atlas: [],
    owasp: ['Agentic T8'],
    description:
      'history -c/-w, set +o history, shopt -u history, unset HISTFILE, HISTFILE=/dev/null, HIST(FILE)SIZE=0, HISTCONTROL=ignorespace; deleting, truncating, moving or symlinking a shell history file.',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const cmds = commands(facts);
    for (const [i, cmd] of cmds.entries()) if (historyTamper(facts, cmd, i)) return hit(cmd.text);
    if (facts.shell?.uncertain ?? true) {
      const m = RAW_HISTORY.exec(rawCommand(facts));
      if (m) return hit(m[0]);
    }
    return [];
  },
);

const SECURITY_SERVICES =
  /^(auditd|audit|falco|falco-\w+|osqueryd|osquery|wazuh-agent|wazuh-manager|ossec|crowdstrike|falcon-sensor|falcond|sentinelone|sentinel-agent|sentineld|elastic-agent|elastic-endpoint|auditbeat|filebeat|sysmon|sysmonforlinux|apparmor|selinux|firewalld|ufw|rsyslog|syslog|syslog-ng|systemd-journald|clamav-daemon|clamd|fluent-bit|fluentd|td-agent|velociraptor|tetragon|tracee|aide|fail2ban|qualys-cloud-agent|cbagentd|mdatp|wdavdaemon|com\.crowdstrike\.\w+|com\.sentinelone\.\w+)(\.service)?$/i;

/** Why a command impairs OS auditing or security controls, or ''. */
function osTamper(facts: EventFacts, cmd: ShellCommand, index: number): boolean {
  const { name, args } = cmd;
  const ops = operandsOf(cmd);
  switch (name) {
    case 'auditctl':
      return args.includes('-D') || args.some((a, i) => a === '-e0' || (a === '-e' && args[i + 1] === '0'));
    case 'systemctl':
      return ops.some((o) => /^(stop|disable|mask|kill)$/.test(o)) && ops.some((o) => SECURITY_SERVICES.test(o));
    case 'service':
    case 'rc-service':
      return SECURITY_SERVICES.test(ops[0] ?? '') && /^(stop|disable)$/.test(ops[1] ?? '');
    case 'launchctl':
      return /^(unload|bootout|disable|remove|kill)$/.test(ops[0] ?? '') && ops.slice(1).some((o) => /crowdstrike|sentinel|falcon|osquery|wazuh|jamf\.protect|auditd/i.test(o));
    case 'setenforce':
      return ops[0] === '0' || /^permissive$/i.test(ops[0] ?? '');
    case 'ufw':
      return ops[0] === 'disable';
    case 'iptables':
    case 'ip6tables':
      return args.some((a) => a === '-F' || a === '--flush') || args.some((a, i) => (a === '-P' || a === '--policy') && args[i + 2] === 'ACCEPT');
    case 'nft':
      return ops[0] === 'flush' && ops[1] === 'ruleset';
    case 'spctl':
      return args.includes('--master-disable') || args.includes('--global-disable');
    case 'csrutil':
      return ops[0] === 'disable';
    case 'journalctl':
      return args.some((a) => /^--(vacuum-(time|size|files)|rotate)\b/.test(a));
    case 'log':
      return ops[0] === 'erase';
    default:
      break;
  }
  // Clearing /var/log: deletes, truncating redirects, moves and copies over.
  for (const f of facts.files) {
    if (f.command !== index || !(isInside(f.abs, '/var/log') || isInside(f.real, '/var/log'))) continue;
    if (f.access === 'delete') return true;
    if (f.access === 'write' && ['cp', 'mv', 'ln', 'install', 'rsync'].includes(f.via)) return true;
    if (f.access === 'read' && name === 'mv') return true;
  }
  if (cmd.redirects.some((r) => (r.op === '>' || r.op === '>|' || r.op === '&>') && isInside(facts.resolve(r.target, cmd.cwd).abs, '/var/log'))) return true;
  return name === 'find' && args.includes('-delete') && ops.some((o) => isInside(facts.resolve(o, cmd.cwd).abs, '/var/log'));
}

const tamper006 = defineRule(
  {
    id: 'AGT-TAMPER-006',
    title: 'OS audit / security control disabled or logs cleared',
    category: 'TAMPER',
    severity: 'critical',
    tools: ['Bash'],
    attack: ['T1562.001', 'T1562.004', 'T1562.012', 'T1070.002'],
    atlas: [],
    owasp: ['Agentic T8'],
    description:
      'auditctl -D / -e 0; stopping, disabling or masking auditd, Falco, osquery, Wazuh, EDR agents or syslog; setenforce 0; ufw disable; iptables -F / -P … ACCEPT; spctl --master-disable; csrutil disable; deleting or truncating files under /var/log; journalctl --vacuum-*/--rotate; log erase.',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    commands(facts).forEach((cmd, i) => {
      if (osTamper(facts, cmd, i)) hits.push(...hit(cmd.text));
    });
    return hits;
  },
);

/** Network tools that routinely need to leave the sandbox and say little about exfiltration on their own. */
const QUIET_NET = new Set(['gh', 'openssl']);
const LOCAL_ARG = /^(?:[a-z]+:\/\/)?(?:[\w.-]+@)?(?:localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)(?::\d+)?(?:\/|$)/i;

/** Whether an unsandboxed command also reaches the network, credentials, persistence or writes outside the project. */
function riskyUnsandboxed(facts: EventFacts): string {
  const cmds = commands(facts);
  for (const [i, c] of cmds.entries()) {
    if (!(NET_TOOLS.includes(c.name) || DNS_TOOLS.includes(c.name)) || QUIET_NET.has(c.name)) continue;
    const hosts = facts.urls.filter((u) => u.command === i && u.host);
    // Hosts the URL extraction missed (`curl -s localhost:3000`): a local-looking argument keeps it local.
    if (hosts.length === 0 && c.args.some((a) => LOCAL_ARG.test(a))) continue;
    if (hosts.length === 0 || hosts.some((u) => !isLocalHost(u.host))) return `runs ${c.name}${hosts[0] ? ` to ${hosts[0].host}` : ''}`;
  }
  const cred = facts.files.find((f) => fileMatches(f, CRED_GLOBS, facts.home));
  if (cred) return `touches ${cred.raw}`;
  const outside = facts.files.find(
    (f) => (f.access === 'write' || f.access === 'delete') && !f.inProject && !inTempScratch(f.abs, facts.projectRoot, facts.home),
  );
  if (outside) return fileMatches(outside, SHELL_RC_GLOBS, facts.home) ? `writes ${outside.raw} (shell startup file)` : `writes ${outside.raw} outside the project`;
  return '';
}

const tamper007 = defineRule(
  {
    id: 'AGT-TAMPER-007',
    title: 'Sandbox bypass requested by the agent',
    category: 'TAMPER',
    severity: 'medium',
    tools: ['Bash'],
    attack: ['T1562.001'],
    atlas: ['AML.T0097'],
    owasp: ['ASI02'],
    description:
      'A Bash call sets dangerouslyDisableSandbox: true (run outside the sandbox); high when the command also reaches a remote host, runs a network tool, touches a credential store or writes outside the project.',
  },
  (facts) => {
    if (facts.tool !== 'Bash' || facts.input.dangerouslyDisableSandbox !== true) return [];
    const command = rawCommand(facts);
    const risk = riskyUnsandboxed(facts);
    return risk ? hit(command, 'high', `Unsandboxed command that ${risk}.`) : hit(command);
  },
);

export const TAMPER_OS_RULES: Rule[] = [tamper004, tamper005, tamper006, tamper007];
