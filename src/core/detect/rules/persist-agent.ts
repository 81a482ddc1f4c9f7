/**
 * PERSIST-005..009 (reference B.4): git hooks and code-running git config, SSH persistence,
 * autostart / dynamic-linker hijack, coding-agent configuration and memory, package lifecycle scripts.
 */
import { AGENT_CONFIG_GLOBS, AGENT_MEMORY_GLOBS, AUTOSTART_GLOBS, SHELL_RC_GLOBS, SSH_PERSIST_GLOBS, isLocalHost } from '../lists.js';
import { commands, defineRule, fileMatches, hit } from '../rule-kit.js';
import type { Rule, RuleHit, ShellCommand } from '../types.js';
import { PERSIST_TOOLS, dedupe, fileHits, operandList, optionValues, persistEvent, rawCommand, replacedText, strongest, subcommand, uncertain, writtenFiles, writtenText } from './persist-kit.js';

// ---- AGT-PERSIST-005: git hooks and code-running git config ----

const KNOWN_EDITORS = /^(n?vim?|vi|nano|emacs(client)?|micro|helix|hx|code( -w| --wait)?|code-insiders --wait|cursor --wait|subl( -w| --wait)?|mate -w|zed --wait|less( -\w+)*|more|cat|bat|delta|diff-so-fancy( \| less.*)?|most|true)$/;
const KNOWN_HELPERS = /^(cache( --timeout[= ]?\d+)?|store|osxkeychain|manager|manager-core|libsecret|wincred|gnome-keyring|!gh auth git-credential|!\S*\/gh auth git-credential)$/;
const GIT_VALUE_OPTS = ['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--config-env'];
const CONFIG_QUERY = new Set(['--get', '--get-all', '--get-regexp', '--get-urlmatch', '-l', '--list', '--unset', '--unset-all', '--remove-section', '--rename-section', '--get-color', '--get-colorbool', '-e', '--edit']);
const CONFIG_VALUE_OPTS = new Set(['-f', '--file', '--blob', '--type', '--default', '--comment', '--value']);

/** Why setting git `key` to `value` makes git run code, or undefined. */
export function riskyGitKey(key: string, value: string | undefined): string | undefined {
  const k = key.toLowerCase();
  const v = (value ?? '').trim();
  if (k === 'core.hookspath') return /^\.husky(\/_)?\/?$/.test(v) ? undefined : 'Points git hooks at another directory.';
  if (k === 'core.fsmonitor') return /^(true|false|)$/i.test(v) ? undefined : 'core.fsmonitor runs a program on every git status.';
  if (/^(core\.sshcommand|core\.gitproxy|core\.askpass|uploadpack\.packobjectshook|diff\.external|gpg\.program|gpg\.\w+\.program)$/.test(k)) {
    return k.startsWith('gpg') && /^(\S*\/)?(gpg2?|ssh-keygen|gpgsm)$/.test(v) ? undefined : `${key} runs a program.`;
  }
  if (/^(core\.editor|core\.pager|sequence\.editor|pager\.[\w.-]+)$/.test(k)) return KNOWN_EDITORS.test(v) ? undefined : `${key} runs a program.`;
  if (/^alias\./.test(k)) return v.startsWith('!') ? 'A shell alias runs arbitrary commands.' : undefined;
  if (/^filter\.[^.]+(\.[^.]+)*\.(clean|smudge|process)$/.test(k) || /^diff\.[^.]+\.textconv$/.test(k) || /^merge\.[^.]+\.driver$/.test(k)) {
    return `${key} runs a program on checkout, add or diff.`;
  }
  if (/^credential(\..+)?\.helper$/.test(k)) return KNOWN_HELPERS.test(v) ? undefined : 'A custom credential helper runs a program and sees credentials.';
  return undefined;
}

/** `git config KEY VALUE` / `git config set KEY VALUE` / `git -c KEY=VALUE …`: risky settings, with why. */
function gitConfigRisk(cmd: ShellCommand): string | undefined {
  if (cmd.name !== 'git') return undefined;
  const sub = subcommand(cmd, GIT_VALUE_OPTS);
  const globals = cmd.args.slice(0, sub ? sub.index : cmd.args.length);
  for (const kv of optionValues({ ...cmd, args: globals }, [], ['-c'])) {
    const eq = kv.indexOf('=');
    const why = riskyGitKey(eq < 0 ? kv : kv.slice(0, eq), eq < 0 ? 'true' : kv.slice(eq + 1));
    if (why) return why;
  }
  if (sub?.name !== 'config') return undefined;
  const rest = cmd.args.slice(sub.index + 1);
  const ops: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (CONFIG_QUERY.has(a)) return undefined;
    if (CONFIG_VALUE_OPTS.has(a)) i++;
    else if (!a.startsWith('-')) ops.push(a);
  }
  if (/^(get|list|unset|remove-section|rename-section|edit)$/.test(ops[0] ?? '')) return undefined;
  const [key, value] = ops[0] === 'set' ? ops.slice(1) : ops;
  return key !== undefined && value !== undefined ? riskyGitKey(key, value) : undefined;
}

const GIT_CONFIG_FILES = ['~/.gitconfig', '~/.config/git/config', '**/.git/config', '/etc/gitconfig'];
/** Line starts: a real one, or an escaped `\n`/`\t` inside a shell string (`printf "[core]\n\thooksPath=…"`). */
const LINE = String.raw`(?:^|\\[nt]|["'])[ \t]*`;
const GIT_CONFIG_TEXT = new RegExp(
  `${LINE}(?:(?:hooksPath|fsmonitor|sshCommand|gitProxy|askPass|packObjectsHook|textconv|clean|smudge|process|driver|external)\\s*=\\s*[^\\s"']|[\\w-]+\\s*=\\s*["']?!|helper\\s*=\\s*["']?[!/])`,
  'im',
);
const HOOK_FRAMEWORK = /\b(husky|lefthook|pre-commit|lint-staged|commitlint|simple-git-hooks)\b/;
const HOOK_RISKY = /\b(curl|wget|nc|ncat|base64|eval|python3?\s+-c|node\s+-e)\b|\/tmp\/|\/dev\/(tcp|shm)|https?:\/\//;

const persist005 = defineRule(
  {
    id: 'AGT-PERSIST-005',
    title: 'Git hook or code-executing git config',
    category: 'PERSIST',
    severity: 'medium',
    tools: PERSIST_TOOLS,
    attack: ['T1546', 'T1059.004'],
    owasp: ['ASI05'],
    description:
      'Writes under .git/hooks (not *.sample); git config (or git -c) of core.hooksPath, core.fsmonitor, core.sshCommand, core.pager/editor, alias.* "!…", filter clean/smudge, diff textconv, credential.helper; writes of those keys into ~/.gitconfig or .git/config.',
  },
  (facts) => {
    if (!persistEvent(facts)) return [];
    const hits: RuleHit[] = [];
    for (const f of writtenFiles(facts, ['**/.git/hooks/**'])) {
      if (f.abs.endsWith('.sample')) continue;
      const text = writtenText(facts, f);
      if (facts.tool !== 'Bash' && HOOK_FRAMEWORK.test(text) && !HOOK_RISKY.test(text)) continue;
      // A hook that fetches, posts or decodes runs that on every commit or checkout: high, not medium.
      const risky = HOOK_RISKY.test(text);
      hits.push(...fileHits(facts, [f], risky ? 'high' : undefined, () => `Writes git hook ${f.abs}${risky ? ' that runs network or decoded code' : ''}.`));
    }
    for (const cmd of commands(facts)) {
      const why = gitConfigRisk(cmd);
      if (why) hits.push(...hit(cmd.text, undefined, why));
    }
    for (const f of writtenFiles(facts, GIT_CONFIG_FILES)) {
      if (GIT_CONFIG_TEXT.test(writtenText(facts, f).replace(/^.*git-lfs.*$/gm, ''))) hits.push(...fileHits(facts, [f], undefined, () => `Writes a code-running setting into ${f.abs}.`));
    }
    return dedupe(hits).slice(0, 1);
  },
);

// ---- AGT-PERSIST-006: SSH authorized_keys, sshd, ssh rc, ssh config commands ----

const SSH_CONFIG_FILES = ['~/.ssh/config', '~/.ssh/config.d/**', '/etc/ssh/ssh_config', '/etc/ssh/ssh_config.d/**'];
const SSH_CONFIG_EXEC = new RegExp(`${LINE}(ProxyCommand[ \\t=][^\\n\\\\]*|LocalCommand[ \\t=][^\\n\\\\]*|PermitLocalCommand\\s*=?\\s*yes|KnownHostsCommand[ \\t=][^\\n\\\\]*|Match\\s[^\\n]*\\bexec\\b)`, 'gim');

/** Lines of `after` running commands (ProxyCommand…) that `before` did not have. */
function addedExecLines(before: string, after: string): string[] {
  const old = new Set([...before.matchAll(SSH_CONFIG_EXEC)].map((m) => m[1]!.trim()));
  return [...after.matchAll(SSH_CONFIG_EXEC)].map((m) => m[1]!.trim()).filter((l) => !old.has(l));
}

function sshCopyIdLocal(cmd: ShellCommand): boolean {
  if (cmd.name !== 'ssh-copy-id') return false;
  const values = optionValues(cmd, [], ['-i', '-p', '-o', '-t', '-F']);
  const target = operandList(cmd).find((o) => !values.includes(o));
  return target !== undefined && isLocalHost(target.replace(/^.*@/, '').replace(/:\d+$/, ''));
}

const persist006 = defineRule(
  {
    id: 'AGT-PERSIST-006',
    title: 'SSH authorized_keys / sshd / ssh rc',
    category: 'PERSIST',
    severity: 'high',
    tools: PERSIST_TOOLS,
    attack: ['T1098.004'],
    owasp: ['ASI03'],
    description:
      'Writes to ~/.ssh/authorized_keys(2), ~/.ssh/rc, /etc/ssh/sshd_config(.d); ssh-copy-id to this machine; ~/.ssh/config changes adding ProxyCommand, LocalCommand, PermitLocalCommand or KnownHostsCommand.',
  },
  (facts) => {
    if (!persistEvent(facts)) return [];
    const hits = fileHits(facts, writtenFiles(facts, SSH_PERSIST_GLOBS));
    for (const cmd of commands(facts)) if (sshCopyIdLocal(cmd)) hits.push(...hit(cmd.text, undefined, 'Authorizes a key for logins to this machine.'));
    for (const f of writtenFiles(facts, SSH_CONFIG_FILES)) {
      const added = addedExecLines(replacedText(facts), writtenText(facts, f));
      if (added.length > 0) hits.push(...fileHits(facts, [f], undefined, () => `Adds "${added[0]!.split(/\s+/)[0]}" to ${f.abs}: ssh runs it on connect.`));
    }
    return dedupe(hits).slice(0, 1);
  },
);

// ---- AGT-PERSIST-007: autostart entries and dynamic-linker hijack ----

const PRELOAD_VARS = new Set(['LD_PRELOAD', 'DYLD_INSERT_LIBRARIES', 'LD_AUDIT']);
const PRELOAD_TEXT = /\b(LD_PRELOAD|DYLD_INSERT_LIBRARIES|LD_AUDIT)\s*=\s*["']?[^\s"';]/;
const SYSTEM_LIB = /^(\/usr\/(local\/)?lib(32|64)?\/|\/lib(32|64)?\/|\/opt\/homebrew\/|\/usr\/lib\/x86_64-linux-gnu\/)/;

function preloadAssign(cmd: ShellCommand): { name: string; value: string } | undefined {
  const fromAssigns = cmd.assigns.find((a) => PRELOAD_VARS.has(a.name) && a.value !== '');
  if (fromAssigns) return fromAssigns;
  if (cmd.name === 'export' || cmd.name === 'declare' || cmd.name === 'typeset') {
    for (const a of cmd.args) {
      const m = /^([A-Z_]+)=(.+)$/.exec(a);
      if (m && PRELOAD_VARS.has(m[1]!)) return { name: m[1]!, value: m[2]! };
    }
  }
  return undefined;
}

const persist007 = defineRule(
  {
    id: 'AGT-PERSIST-007',
    title: 'Autostart entry or dynamic-linker hijack',
    category: 'PERSIST',
    severity: 'high',
    tools: PERSIST_TOOLS,
    attack: ['T1547.013', 'T1574.006', 'T1037.004'],
    owasp: ['ASI05'],
    description:
      'Writes to ~/.config/autostart, /etc/xdg/autostart, /etc/ld.so.preload, /etc/rc.local, /etc/init.d; LD_PRELOAD / DYLD_INSERT_LIBRARIES used as a command prefix, exported, or written into a shell startup file.',
  },
  (facts) => {
    if (!persistEvent(facts)) return [];
    const hits = fileHits(facts, writtenFiles(facts, AUTOSTART_GLOBS));
    for (const f of writtenFiles(facts, SHELL_RC_GLOBS)) {
      if (PRELOAD_TEXT.test(writtenText(facts, f))) hits.push(...fileHits(facts, [f], undefined, () => `Writes a preload variable into ${f.abs}.`));
    }
    for (const cmd of commands(facts)) {
      const a = preloadAssign(cmd);
      if (!a) continue;
      const system = a.value.split(/[:\s]+/).every((lib) => SYSTEM_LIB.test(lib));
      hits.push(...hit(cmd.text, system ? 'medium' : undefined, `${a.name}=${a.value} injects a library into ${cmd.name || 'the shell'}.`));
    }
    if (hits.length === 0 && uncertain(facts)) {
      const m = PRELOAD_TEXT.exec(rawCommand(facts));
      if (m) hits.push(...hit(m[0], undefined, 'Matched textually: the command line could not be fully parsed.'));
    }
    return dedupe(hits).slice(0, 1);
  },
);

// ---- AGT-PERSIST-008: coding-agent configuration, memory and MCP registration ----

/** Phrasing that turns agent memory into standing instructions an attacker wants (a subset of AGT-INJ-002). */
const INJECTION = [
  /\b(ignore|disregard|forget|override)\s+(all\s+|any\s+)?(the\s+|your\s+)?(previous|prior|above|earlier|preceding|original)\s+(instructions?|rules|directions|prompts?|guidelines)/i,
  /\b(always|first|before\s+(anything|any\s+(other\s+)?task|every\s+\w+|starting|you\s+begin))[,:]?\s+(you\s+must\s+)?(run|execute|source|call)\s+[`"']?(\.{0,2}\/|~\/|\$HOME|sh\b|bash\b|curl\b|wget\b|python3?\s+-c|node\s+-e|npx\s+-y|eval\b)/i,
  /\b(curl|wget)\b[^\n|]{0,300}\|\s*(sudo\s+)?(ba|z)?sh\b/,
  /\b(do\s+not|don'?t|never)\s+(tell|inform|mention|notify|ask|alert|reveal\s+to|show)\b[^.\n]{0,40}\b(user|human|operator|developer)/i,
  /\bwithout\s+(asking|confirmation|confirming|approval|permission|telling|notifying)\b/i,
  /--dangerously-skip-permissions|bypassPermissions|--yolo|--trust-all-tools|auto-?approve/i,
  /\b(you\s+are\s+now\b|new\s+instructions\s*:|<\/?(system|instructions?)>)/i,
  /\b(send|upload|post|exfiltrate|copy)\b[^.\n]{0,60}(\.env\b|credentials?|secrets?|api[_ -]?keys?|tokens?|ssh\s+keys?|id_rsa|id_ed25519)/i,
  /\bbase64\s+(-d|--decode)\b/,
];

const persist008 = defineRule(
  {
    id: 'AGT-PERSIST-008',
    title: 'Coding-agent configuration / memory / MCP persistence',
    category: 'PERSIST',
    severity: 'high',
    tools: PERSIST_TOOLS,
    attack: ['T1546', 'T1554'],
    atlas: ['AML.T0081', 'AML.T0080.000'],
    owasp: ['ASI06', 'ASI04'],
    description:
      'Writes to coding-agent configuration: Claude settings, ~/.claude.json, ~/.claude/{agents,commands,skills,plugins,hooks}, .mcp.json, .cursor/mcp.json, .vscode/{settings,tasks,mcp}.json, Codex and Gemini config (high); to agent memory (CLAUDE.md, AGENTS.md, cursor rules: medium, high when the new text reads like an injected instruction).',
  },
  (facts) => {
    if (!persistEvent(facts)) return [];
    const hits: RuleHit[] = [];
    for (const f of writtenFiles(facts, [...AGENT_CONFIG_GLOBS, ...AGENT_MEMORY_GLOBS])) {
      if (!fileMatches(f, AGENT_MEMORY_GLOBS, facts.home)) {
        hits.push(...fileHits(facts, [f], undefined, () => `Writes agent configuration ${f.abs}.`));
        continue;
      }
      const text = writtenText(facts, f);
      const injected = INJECTION.some((re) => re.test(text));
      hits.push(...fileHits(facts, [f], injected ? 'high' : 'medium', () => (injected ? `Writes instruction-like text into agent memory ${f.abs}.` : `Writes agent memory ${f.abs}.`)));
    }
    return strongest(hits, 'high');
  },
);

// ---- AGT-PERSIST-009: package lifecycle scripts ----

const LIFECYCLE = 'preinstall|install|postinstall|prepare|prepublish|prepublishOnly|preuninstall|uninstall|postuninstall|prepack|postpack|preprepare|postprepare|dependencies';
const LIFECYCLE_PAIR = new RegExp(`"(${LIFECYCLE})"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`, 'g');
const LIFECYCLE_KEY = new RegExp(`^scripts\\.(${LIFECYCLE})$`);
const PAYLOAD = /\b(curl|wget|nc|ncat|powershell|iwr|Invoke-WebRequest)\b|\bnode\s+-e\b|\bpython[\d.]*\s+-c\b|\b(ba|z)?sh\s+-c\b|base64|https?:\/\/|\beval\b|\/dev\/tcp|\bchild_process\b|\bexec(Sync)?\s*\(/i;

/** Lifecycle script entries of `text` whose command looks like a network or exec payload. */
function payloadScripts(text: string): string[] {
  return [...text.matchAll(LIFECYCLE_PAIR)].filter((m) => PAYLOAD.test(m[2]!)).map((m) => m[0]);
}

function npmPkgSet(cmd: ShellCommand): string | undefined {
  if (cmd.name !== 'npm' || cmd.args[0] !== 'pkg' || cmd.args[1] !== 'set') return undefined;
  for (const a of cmd.args.slice(2)) {
    const eq = a.indexOf('=');
    if (eq < 0) continue;
    const key = a.slice(0, eq).replace(/^["']|["']$/g, '');
    const m = LIFECYCLE_KEY.exec(key);
    if (m && (PAYLOAD.test(a.slice(eq + 1)) || /^(preinstall|install|postinstall)$/.test(m[1]!))) return `Sets the ${m[1]} script.`;
  }
  return undefined;
}

const persist009 = defineRule(
  {
    id: 'AGT-PERSIST-009',
    title: 'Package lifecycle script injected',
    category: 'PERSIST',
    severity: 'medium',
    tools: PERSIST_TOOLS,
    attack: ['T1195.001', 'T1546'],
    owasp: ['LLM03:2025', 'ASI04'],
    description:
      'A package.json change adding or modifying preinstall/install/postinstall/prepare/prepublish scripts whose command fetches or runs code (curl, wget, node -e, python -c, sh -c, base64, a URL); npm pkg set scripts.postinstall=….',
  },
  (facts) => {
    if (!persistEvent(facts)) return [];
    const hits: RuleHit[] = [];
    const before = new Set(payloadScripts(replacedText(facts)));
    for (const f of writtenFiles(facts, ['**/package.json'])) {
      const added = payloadScripts(writtenText(facts, f)).filter((s) => !before.has(s));
      if (added.length > 0) hits.push(...fileHits(facts, [f], undefined, () => `Adds ${added[0]!.slice(0, 120)} to ${f.abs}.`));
    }
    for (const cmd of commands(facts)) {
      const note = npmPkgSet(cmd);
      if (note) hits.push(...hit(cmd.text, undefined, note));
    }
    return dedupe(hits).slice(0, 1);
  },
);

export const PERSIST_AGENT_RULES: Rule[] = [persist005, persist006, persist007, persist008, persist009];
