/**
 * TAMPER (reference B.4): attacks on the agent's guardrails and on AgentTrail itself. TAMPER-001
 * (settings), -002 (audit store) and -003 (collector) live here; -004..-007 in tamper-os.ts.
 */
import { posix } from 'node:path';
import { isInside } from '../../event/scope.js';
import { CLAUDE_SETTINGS_GLOBS } from '../lists.js';
import { commands, defineRule, fileMatches, hit } from '../rule-kit.js';
import type { EventFacts, FileRef, Rule, RuleEnv, RuleHit, Severity, ShellCommand } from '../types.js';
import { TAMPER_OS_RULES } from './tamper-os.js';
import { findRoots, homePath, operandsOf, rawCommand, worse } from './shell-targets.js';

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** Settings values that switch guardrails off. */
const WEAKENINGS: readonly (readonly [RegExp, string])[] = [
  [/"disableAllHooks"\s*:\s*true/, 'disableAllHooks: true'],
  [/"defaultMode"\s*:\s*"bypassPermissions"/, 'defaultMode: bypassPermissions'],
  [/"skipDangerousModePermissionPrompt"\s*:\s*true/, 'skipDangerousModePermissionPrompt: true'],
  [/"allowUnsandboxedCommands"\s*:\s*true/, 'sandbox.allowUnsandboxedCommands: true'],
  [/"sandbox"\s*:\s*(?:false|\{[^{}]*"enabled"\s*:\s*false)/, 'sandbox.enabled: false'],
  [/"(?:allow|allowedTools)"\s*:\s*\[[^\]]*"(?:Bash|Bash\(\*\)|Bash\(:\*\)|Bash\(\*\*\)|Bash\(\*:\*\)|\*)"\s*[,\]]/, 'allow-all permission rule ("Bash" / "*")'],
];
/** Markers of AgentTrail's hook handlers (script name, HTTP marker header) and of hook tables. */
const HOOK_MARKERS: readonly (readonly [RegExp, string])[] = [
  [/agenttrail-capture/g, 'the AgentTrail capture hook'],
  [/X-AgentTrail-Hook/gi, 'the AgentTrail HTTP hook'],
  [/agenttrail/gi, 'an AgentTrail hook'],
  [/"hooks"\s*:/g, 'a hooks table'],
];
const OUR_HOOK = /agenttrail-capture|X-AgentTrail-Hook/i;
const count = (re: RegExp, text: string) => text.match(re)?.length ?? 0;

/** What an edit (old → new) of a settings file weakens, or ''. */
function editWeakens(oldText: string, newText: string): string {
  for (const [re, what] of WEAKENINGS) if (re.test(newText) && !re.test(oldText)) return what;
  // `"enabled": false` in a fragment that is about the sandbox (the key may sit outside the fragment).
  if (/"enabled"\s*:\s*false/.test(newText) && !/"enabled"\s*:\s*false/.test(oldText) && (/sandbox/i.test(oldText + newText) || /"enabled"\s*:\s*true/.test(oldText))) {
    return 'sandbox.enabled: false';
  }
  for (const [re, what] of HOOK_MARKERS) if (count(re, oldText) > count(re, newText)) return `removes ${what}`;
  return '';
}

/** Settings keys and permission-rule strings that bear on guardrails (an Edit touching none of them, e.g. `model`, is not a finding). */
const GUARDRAIL_KEYS =
  /"(?:permissions|allow|deny|ask|additionalDirectories|defaultMode|disableBypassPermissionsMode|hooks|disableAllHooks|allowManagedHooksOnly|allowedHttpHookUrls|sandbox|env|apiKeyHelper|statusLine|command|otelHeadersHelper|awsAuthRefresh|awsCredentialExport|enableAllProjectMcpServers|enabledMcpjsonServers|disabledMcpjsonServers|mcpServers|allowedTools)"\s*:|"(?:Bash|Read|Write|Edit|MultiEdit|WebFetch|WebSearch|Glob|Grep|mcp__)[^"]*"/;

/** Old and new strings of an Edit or MultiEdit. */
function editTexts(facts: EventFacts): string[] {
  const edits = facts.tool === 'MultiEdit' && Array.isArray(facts.input.edits) ? facts.input.edits.map(obj) : [facts.input];
  return edits.flatMap((e) => [str(e.old_string), str(e.new_string)]);
}

/** What a whole new settings file weakens, or ''. */
function writeWeakens(content: string): string {
  for (const [re, what] of WEAKENINGS) if (re.test(content)) return what;
  if (OUR_HOOK.test(content)) return '';
  if (/"hooks"\s*:/.test(content)) return 'rewrites the hooks table without the AgentTrail hook';
  let keys = -1;
  try {
    const parsed: unknown = JSON.parse(content || '{}');
    keys = parsed && typeof parsed === 'object' ? Object.keys(parsed).length : 0;
  } catch {
    // Not JSON: Claude Code ignores an unparsable file, hooks included.
    return 'replaces the file with content that is not JSON';
  }
  return keys === 0 ? 'replaces the file with an empty settings object' : '';
}

/** Commands whose writes only change metadata or create an empty file. */
const META_WRITERS = new Set(['touch', 'mkdir', 'chown', 'chgrp', 'chattr', 'setfacl', 'chmod']);
const IN_PLACE = /^-[a-zA-Z]*i|^--in-place/;
const SETTINGS_PATH_TEXT = /\.claude(?:\/settings(?:\.local)?\.json|\.json)|managed-settings\.json/;
const WEAKEN_KEYWORD = /disableAllHooks|bypassPermissions|skipDangerousModePermissionPrompt|allowUnsandboxedCommands|dangerously-skip-permissions/;
const SCRIPTED_WRITER = /\b(?:python[\d.]*|node|perl|ruby|sponge|tee)\b/;

/** Severity of a shell command's access to a settings (or audit) file: removed or rewritten is critical, metadata medium. */
function shellWriteSeverity(f: FileRef, cmd: ShellCommand | undefined): Severity | undefined {
  if (f.access === 'delete') return 'critical';
  if (f.access === 'write') return META_WRITERS.has(f.via) ? 'medium' : 'critical';
  if (f.access === 'read' && cmd) {
    if (cmd.name === 'mv') return 'critical';
    if ((cmd.name === 'sed' || cmd.name === 'perl') && cmd.args.some((a) => IN_PLACE.test(a))) return 'critical';
  }
  return undefined;
}

function settingsChangeHits(facts: EventFacts): RuleHit[] {
  const d = facts.event.action_details;
  const before = obj(obj(facts.event.raw).before);
  const file = str(d.file_path);
  if (d.disable_all_hooks === true && before.disable_all_hooks !== true) {
    return hit(`${file}: disableAllHooks: true`, 'critical', 'A Claude settings file now switches every hook off, AgentTrail included (seen by the daemon, whoever edited it).');
  }
  const was = typeof before.agenttrail_hook_events === 'number' ? before.agenttrail_hook_events : 0;
  const now = d.exists === false ? 0 : typeof d.agenttrail_hook_events === 'number' ? d.agenttrail_hook_events : 0;
  if (was > now) {
    const what = d.exists === false ? 'settings file deleted' : `AgentTrail hooks ${was} → ${now} events`;
    return hit(`${file}: ${what}`, 'critical', 'AgentTrail hooks were removed from a Claude settings file (seen by the daemon, whoever edited it).');
  }
  return [];
}

const tamper001 = defineRule(
  {
    id: 'AGT-TAMPER-001',
    title: 'Agent guardrail / hook configuration weakened',
    category: 'TAMPER',
    severity: 'critical',
    // Tools are checked in match: ConfigChange and AgentTrailSettingsChanged carry no tool.
    events: ['PreToolUse', 'ConfigChange', 'AgentTrailSettingsChanged'],
    attack: ['T1562.001'],
    atlas: ['AML.T0081'],
    owasp: ['ASI02', 'ASI03', 'Agentic T8'],
    description:
      'A Claude settings file is edited to disable hooks, bypass permissions, skip the bypass prompt, disable or escape the sandbox, allow all Bash, or drop hooks (AgentTrail\'s included), or is deleted, moved, truncated or rewritten from the shell (critical); any other agent write to it is medium. The daemon\'s own settings watch reports disabled or removed hooks (critical).',
  },
  (facts) => {
    if (facts.hookEvent === 'AgentTrailSettingsChanged') return settingsChangeHits(facts);
    if (facts.hookEvent === 'ConfigChange') {
      const d = facts.event.action_details;
      const source = str(d.source);
      if (!/_settings$/.test(source)) return [];
      return hit(`ConfigChange ${source} ${str(d.file_path)}`.trim(), 'info', 'Claude Code reported a settings change during the session; the daemon\'s settings watch records what changed.');
    }
    if (facts.hookEvent !== 'PreToolUse') return [];
    const targets = facts.files.filter((f) => fileMatches(f, CLAUDE_SETTINGS_GLOBS, facts.home));
    if (targets.length === 0) return scriptedSettingsWrite(facts);
    if (['Write', 'Edit', 'MultiEdit'].includes(facts.tool)) {
      const path = targets[0]!.raw;
      let what = '';
      if (facts.tool === 'Write') what = writeWeakens(str(facts.input.content));
      else if (facts.tool === 'Edit') what = editWeakens(str(facts.input.old_string), str(facts.input.new_string));
      else for (const e of Array.isArray(facts.input.edits) ? facts.input.edits : []) what ||= editWeakens(str(obj(e).old_string), str(obj(e).new_string));
      if (what) return hit(`${path}: ${what}`, 'critical');
      // A whole-file Write may change anything; an Edit is visible, and only guardrail keys are worth a finding.
      const touched = facts.tool === 'Write' || editTexts(facts).some((t) => GUARDRAIL_KEYS.test(t));
      return touched ? hit(path, 'medium', 'The agent changed permissions, hooks, sandbox or command settings in a Claude settings file.') : [];
    }
    if (facts.tool !== 'Bash') return [];
    const cmds = commands(facts);
    let sev: Severity | undefined;
    let evidence = '';
    for (const f of targets) {
      const cmd = f.command === undefined ? undefined : cmds[f.command];
      const s = shellWriteSeverity(f, cmd);
      if (s && worse(sev, s) !== sev) {
        sev = s;
        evidence = cmd?.text ?? f.raw;
      }
    }
    if (sev === 'critical') return hit(evidence, sev);
    const scripted = scriptedSettingsWrite(facts);
    if (scripted.length) return scripted;
    return sev ? hit(evidence, sev) : [];
  },
);

/** `python -c '…disableAllHooks…settings.json…'` and similar: a weakening keyword written by a script. */
function scriptedSettingsWrite(facts: EventFacts): RuleHit[] {
  const raw = rawCommand(facts);
  if (!raw || !SETTINGS_PATH_TEXT.test(raw) || !WEAKEN_KEYWORD.test(raw) || !SCRIPTED_WRITER.test(raw)) return [];
  return hit(raw, 'critical', 'A script names a Claude settings file together with a guardrail-disabling setting.');
}

/** AgentTrail's data directories, `~/` expanded. */
export function auditRoots(env: RuleEnv, home: string): string[] {
  return env.auditPaths.map((p) => (p === '~' ? home : homePath(p, home))).filter((p) => p.startsWith('/'));
}

function inAudit(f: FileRef, roots: readonly string[]): boolean {
  return roots.some((r) => isInside(f.abs, r) || isInside(f.real, r));
}

const tamper002 = defineRule(
  {
    id: 'AGT-TAMPER-002',
    title: 'Audit journal, spool or key tampering',
    category: 'TAMPER',
    severity: 'critical',
    tools: ['Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Bash'],
    attack: ['T1070', 'T1070.004'],
    atlas: [],
    owasp: ['ASI02', 'Agentic T8'],
    description:
      'Any write, delete, move, permission or attribute change (rm, shred, truncate, mv, cp over, sed -i, > redirects, chmod, chattr, ln -sf, find -delete, Write/Edit) whose target resolves into AgentTrail\'s data, spool, key, config or hook paths.',
  },
  (facts, env) => {
    const roots = auditRoots(env, facts.home);
    if (roots.length === 0) return [];
    if (facts.tool !== 'Bash') {
      const f = facts.files.find((x) => x.access === 'write' && inAudit(x, roots));
      return f ? hit(f.raw) : [];
    }
    const cmds = commands(facts);
    const hits: RuleHit[] = [];
    const seen = new Set<number>();
    for (const f of facts.files) {
      if (f.command === undefined || seen.has(f.command) || !inAudit(f, roots)) continue;
      const cmd = cmds[f.command];
      if (!shellWriteSeverity(f, cmd)) continue;
      seen.add(f.command);
      hits.push(...hit(cmd?.text ?? f.raw));
    }
    cmds.forEach((cmd, i) => {
      if (seen.has(i) || cmd.name !== 'find' || !cmd.args.some((a, j) => a === '-delete' || (/^-exec(dir)?$/.test(a) && /^(rm|shred|truncate|unlink|mv|chmod|chattr)$/.test(posix.basename(cmd.args[j + 1] ?? ''))))) return;
      const starts = findRoots(cmd);
      if (starts.some((s) => roots.some((r) => isInside(facts.resolve(s, cmd.cwd).abs, r)))) hits.push(...hit(cmd.text));
    });
    return hits;
  },
);

/** Names of the collector: AgentTrail, and the catalogue's generic collector names. */
const COLLECTOR = /agenttrail|agent-audit|audit-collector|cli\.js\s+up\b/i;
const KILLERS = new Set(['kill', 'pkill', 'killall', 'skill', 'pkexec-kill']);
const HOOK_SCRIPT = 'agenttrail-capture.sh';
const AGENT_PACKAGES = /^(?:agenttrail)(?:@.*)?$/;

/** The AgentTrail CLI subcommand a command runs (`agenttrail down`, `npx agenttrail down`, `node …/agenttrail/dist/bin/cli.js down`). */
function agenttrailSub(cmd: ShellCommand): string | undefined {
  const ops = operandsOf(cmd);
  if (cmd.name === 'agenttrail') return ops[0];
  if (['npx', 'bunx', 'pnpx'].includes(cmd.name) && AGENT_PACKAGES.test(ops[0] ?? '')) return ops[1];
  if ((cmd.name === 'pnpm' || cmd.name === 'yarn') && ops[0] === 'dlx' && AGENT_PACKAGES.test(ops[1] ?? '')) return ops[2];
  if ((cmd.name === 'node' || cmd.name === 'bun') && /agenttrail\/dist\/bin\/cli\.js$/.test(ops[0] ?? '')) return ops[1];
  return undefined;
}

/** Package-manager removal of AgentTrail (`npm rm -g agenttrail`, `brew uninstall agenttrail`). */
function uninstallsPackage(cmd: ShellCommand): boolean {
  const ops = operandsOf(cmd);
  const removes = (verbs: readonly string[], pkgs: readonly string[]) => verbs.includes(pkgs[0] ?? '') && pkgs.slice(1).some((p) => AGENT_PACKAGES.test(p));
  if (cmd.name === 'npm') return removes(['rm', 'r', 'remove', 'uninstall', 'un', 'unlink'], ops) && cmd.args.some((a) => a === '-g' || a === '--global');
  if (cmd.name === 'pnpm' || cmd.name === 'bun') return removes(['rm', 'remove', 'uninstall', 'un'], ops) && cmd.args.some((a) => a === '-g' || a === '--global');
  if (cmd.name === 'yarn') return ops[0] === 'global' && removes(['remove'], ops.slice(1));
  if (cmd.name === 'brew') return removes(['uninstall', 'remove', 'rm'], ops);
  return false;
}

function stopsCollector(facts: EventFacts, cmd: ShellCommand, index: number, cmds: readonly ShellCommand[], roots: readonly string[]): boolean {
  const sub = agenttrailSub(cmd);
  if (sub === 'down' || sub === 'uninstall') return true;
  if (uninstallsPackage(cmd)) return true;
  if (KILLERS.has(cmd.name)) {
    if (cmd.args.some((a) => COLLECTOR.test(a))) return true;
    // kill $(pgrep -f agenttrail), kill $(cat ~/.agenttrail/state/daemon.pid), pgrep … | xargs kill.
    const feeders = cmds.filter((c, j) => c.parent === index || (j !== index && c.pipeline === cmd.pipeline));
    if (feeders.some((c) => c.args.some((a) => COLLECTOR.test(a)))) return true;
    if (feeders.some((c) => c.args.some((a) => !a.startsWith('-') && roots.some((r) => isInside(facts.resolve(a, c.cwd).abs, r))))) return true;
  }
  if (['systemctl', 'launchctl', 'service', 'sv', 'rc-service'].includes(cmd.name)) {
    const verbs = /^(stop|disable|mask|kill|unload|bootout|remove)$/;
    return cmd.args.some((a) => verbs.test(a)) && cmd.args.some((a) => COLLECTOR.test(a));
  }
  return false;
}

const tamper003 = defineRule(
  {
    id: 'AGT-TAMPER-003',
    title: 'Collector / hook process killed or disabled',
    category: 'TAMPER',
    severity: 'critical',
    tools: ['Bash'],
    attack: ['T1562.001', 'T1489'],
    atlas: [],
    owasp: ['ASI02', 'Agentic T8'],
    description:
      'kill/pkill/killall of the AgentTrail daemon or a collector (by name, pgrep or pid file), `agenttrail down|uninstall`, removing the agenttrail package, systemctl/launchctl stop of a collector unit, or deleting, moving or chmod-ing the capture hook script.',
  },
  (facts, env) => {
    if (facts.tool !== 'Bash') return [];
    const roots = auditRoots(env, facts.home);
    const cmds = commands(facts);
    const hits: RuleHit[] = [];
    cmds.forEach((cmd, i) => {
      if (stopsCollector(facts, cmd, i, cmds, roots)) hits.push(...hit(cmd.text));
    });
    for (const f of facts.files) {
      if (posix.basename(f.abs) !== HOOK_SCRIPT || f.command === undefined) continue;
      const cmd = cmds[f.command];
      if (shellWriteSeverity(f, cmd) && !hits.some((h) => h.evidence === cmd?.text)) hits.push(...hit(cmd?.text ?? f.raw));
    }
    return hits;
  },
);

export const TAMPER_RULES: Rule[] = [tamper001, tamper002, tamper003, ...TAMPER_OS_RULES];
