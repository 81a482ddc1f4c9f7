/**
 * CRED: credential access (security reference B.4). File tools and shell commands touching
 * credential stores or project secret files, cloud metadata endpoints, environment dumps and
 * shell history; searches for keys and secret-store CLIs are in cred-search.ts.
 */
import { posix } from 'node:path';
import { HISTORY_FILE, METADATA_HOSTS, NET_TOOLS, isInterpreter } from '../lists.js';
import { commands, defineRule, evidenceOf, hit, isTool } from '../rule-kit.js';
import type { RuleHit, ShellCommand } from '../types.js';
import { cred004, cred005 } from './cred-search.js';
import { ancestors, isCredDir, isCredPath, isSecretFile, opaqueCode, opaquePaths, pathEvidence, sensitiveShellRefs, shellPathRefs } from './exfil-util.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** AGT-CRED-001: Read/Grep/Glob/Edit/Write on a credential store. */
const CRED_001_TOOLS = ['Read', 'Grep', 'Glob', 'Edit', 'Write', 'MultiEdit', 'NotebookEdit'];
/** A Glob whose last segment is only a wildcard lists a directory; it is a credential touch only inside a credential directory. */
const PURE_WILDCARD = /^[*?]+(\.[*?]+)?$/;

const cred001 = defineRule(
  {
    id: 'AGT-CRED-001',
    title: 'File tool touches a credential store',
    category: 'CRED',
    severity: 'high',
    tools: CRED_001_TOOLS,
    attack: ['T1552.001', 'T1552.004', 'T1555.001', 'T1555.003', 'T1539'],
    atlas: ['AML.T0083', 'AML.T0055'],
    owasp: ['LLM02:2025', 'ASI03'],
    description:
      'The resolved path (~ and relative paths expanded, symlinks followed) of a file tool is a credential store: SSH keys, cloud CLI credentials, kube/docker config, registry tokens, netrc/git-credentials/gh, GPG, keyrings, browser login data and cookies, wallets, /etc/shadow, agent OAuth files. ~/.ssh/config, known_hosts and public keys are excluded.',
  },
  (facts) => {
    if (facts.hookEvent !== 'PreToolUse' || !isTool(facts, CRED_001_TOOLS)) return [];
    for (const f of facts.files) {
      if (f.command !== undefined) continue;
      const cred = isCredPath(f.abs, facts.home, { wildcards: false }) || (f.real !== f.abs && isCredPath(f.real, facts.home, { wildcards: false }));
      // A Glob's base directory is judged with its pattern below (`~/.ssh/*.pub` lists public keys only).
      const dir = facts.tool === 'Grep' && (isCredDir(f.abs, facts.home) || isCredDir(f.real, facts.home));
      if (cred || dir) return hit(pathEvidence(f.raw, f.abs));
    }
    if (facts.tool === 'Glob') {
      const pattern = str(facts.input.pattern);
      if (!pattern) return [];
      const full = /^(~|\/|\$HOME)/.test(pattern)
        ? facts.resolve(pattern).abs
        : posix.join(facts.resolve(str(facts.input.path) || facts.cwd).abs, pattern);
      const base = full.split('/').slice(0, -1).join('/') || '/';
      const targeted = !PURE_WILDCARD.test(posix.basename(full)) || isCredDir(base, facts.home);
      if (targeted && isCredPath(full, facts.home, { wildcards: true, dot: true })) return hit(full);
    }
    return [];
  },
);

/** AGT-CRED-002: a shell command reads or copies a credential store. */
const NAME_ONLY = new Set(['cd', 'pushd', 'find', 'fd', 'fdfind', 'locate', 'tree']);

const cred002 = defineRule(
  {
    id: 'AGT-CRED-002',
    title: 'Shell command reads or copies a credential store',
    category: 'CRED',
    severity: 'high',
    tools: ['Bash'],
    attack: ['T1552.001', 'T1552.004', 'T1555'],
    atlas: ['AML.T0083'],
    owasp: ['ASI03'],
    description:
      'An argument, @file argument or < redirect of any simple command (wrappers unwrapped, sh -c and substitutions included) resolves to a credential store or a credential directory; keys passed as identities (ssh/scp/git -i, ssh-add, ssh-keygen) and metadata-only commands (ls, stat, chmod, test) are excluded.',
  },
  (facts) => {
    if (facts.tool !== 'Bash' || !facts.shell) return [];
    const cmds = commands(facts);
    const hits: RuleHit[] = [];
    const done = new Set<number>();
    for (const r of sensitiveShellRefs(facts)) {
      if (r.kind === 'secret' || done.has(r.command)) continue;
      const cmd = cmds[r.command]!;
      // find/fd only list names, unless they run a command on what they find (`find ~/.ssh -exec cat {} \;`).
      if (r.kind === 'cred-dir' && NAME_ONLY.has(cmd.name) && !cmds.some((c) => c.parent === r.command && c.via === 'find-exec')) continue;
      done.add(r.command);
      hits.push(...hit(cmd.text, undefined, `Credential path: ${pathEvidence(r.raw, r.abs)}`));
    }
    if (hits.length > 0) return hits;
    // Fail closed on code the parser could not look into (`bash -c "cat ~/.netrc; $(x)"`, parse errors).
    for (const code of opaqueCode(facts)) {
      const p = opaquePaths(facts, code).find((x) => isCredPath(x.abs, facts.home) && !code.includes(`-i ${x.raw}`));
      if (p) return hit(code, undefined, `Credential path in unparsed shell code: ${p.raw}`);
    }
    return [];
  },
);

/** AGT-CRED-003: project secret files. Values of `--env-file` are handed to a program, not read. */
const ENV_FILE_OPTS = new Set(['--env-file', '--dotenv', '--env-path']);

function passedAsEnvFile(cmd: ShellCommand, raw: string): boolean {
  return cmd.args.some((a, i) => (ENV_FILE_OPTS.has(cmd.args[i - 1] ?? '') && a === raw) || a === `--env-file=${raw}`) ||
    ((cmd.name === 'dotenv' || cmd.name === 'env-cmd') && cmd.args.some((a, i) => ['-e', '-f'].includes(cmd.args[i - 1] ?? '') && a === raw));
}

const cred003 = defineRule(
  {
    id: 'AGT-CRED-003',
    title: 'Project secret file accessed (.env, tfstate, keystores)',
    category: 'CRED',
    severity: 'medium',
    tools: ['Read', 'Grep', 'Edit', 'Write', 'MultiEdit', 'Bash'],
    attack: ['T1552.001'],
    owasp: ['LLM02:2025'],
    description:
      'A path matches the secret-file globs (.env, .env.*, .envrc, *.tfvars, *.tfstate, secrets.{yml,json}, *.p12/pfx/jks/key) and is not a look-alike (.env.example, .sample, .template…). Medium by design; raised by correlation when the session later egresses.',
  },
  (facts) => {
    if (facts.hookEvent !== 'PreToolUse') return [];
    if (facts.tool === 'Bash') {
      const cmds = commands(facts);
      const seen = new Set<string>();
      const hits: RuleHit[] = [];
      for (const r of sensitiveShellRefs(facts, ['read', 'arg', 'exec', 'search', 'write'])) {
        if (r.kind !== 'secret' || seen.has(r.abs) || passedAsEnvFile(cmds[r.command]!, r.raw)) continue;
        seen.add(r.abs);
        hits.push(...secretFileHit(pathEvidence(r.raw, r.abs), r.inProject));
      }
      return hits.slice(0, 5);
    }
    for (const f of facts.files) {
      if (f.command !== undefined) continue;
      if (isSecretFile(f.abs, facts.home, { wildcards: false }) || (f.real !== f.abs && isSecretFile(f.real, facts.home, { wildcards: false }))) {
        return secretFileHit(pathEvidence(f.raw, f.abs), f.inProject);
      }
    }
    return [];
  },
);

/** A secret file of this project is routine (medium); another project's or the home directory's is not (high). */
function secretFileHit(evidence: string, inProject: boolean): RuleHit[] {
  return inProject ? hit(evidence) : hit(evidence, 'high', 'The secret file lies outside the project.');
}

/** AGT-CRED-006: instance-metadata credential endpoints. */
const METADATA_TEXT = /(?:^|[^\d.])(?:169\.254\.169\.254|169\.254\.170\.2|100\.100\.100\.200)(?![\d])|fd00:ec2::254|metadata\.google\.internal|metadata\.azure\.com/i;

function metadataHost(raw: string): boolean {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/]*@)?(\[[^\]]+\]|[^/:?#$`"'\s]+)/i.exec(raw);
  return m !== null && METADATA_HOSTS.includes(m[1]!.toLowerCase().replace(/\.$/, ''));
}

const cred006 = defineRule(
  {
    id: 'AGT-CRED-006',
    title: 'Cloud instance-metadata credential endpoint',
    category: 'CRED',
    severity: 'high',
    tools: ['Bash', 'WebFetch', 'mcp__*'],
    attack: ['T1552.005'],
    owasp: ['ASI03'],
    description:
      'A URL or host argument is an instance-metadata endpoint: 169.254.169.254, 169.254.170.2 (ECS), fd00:ec2::254, metadata.google.internal, 100.100.100.200, metadata.azure.com (numeric and hex IPv4 spellings included).',
  },
  (facts) => {
    if (facts.hookEvent !== 'PreToolUse') return [];
    for (const u of facts.urls) if (METADATA_HOSTS.includes(u.host) || metadataHost(u.raw)) return hit(u.raw);
    if (facts.tool === 'Bash' && facts.shell) {
      for (const cmd of commands(facts)) {
        // Interpreter one-liners and host:port words (`socket.connect(("169.254.169.254", 80))`).
        if ((isInterpreter(cmd.name) || NET_TOOLS.includes(cmd.name)) && cmd.args.some((a) => METADATA_TEXT.test(a))) return hit(cmd.text);
      }
      for (const code of opaqueCode(facts)) if (METADATA_TEXT.test(code)) return hit(code);
    }
    return [];
  },
);

/** AGT-CRED-007: environment and process-secret dumps. */
const PROC_ENVIRON = /^\/proc\/[^/]+\/environ$/;
const ENV_PRINT = /JSON\.stringify\(\s*process\.env\s*[,)]|console\.(?:log|dir)\(\s*process\.env\s*\)|print\(\s*(?:dict\()?os\.environ\)?\s*\)|os\.environ\.copy\(\)|\bp(?:uts)?\s+ENV(?:\.to_h)?\b/;

function isEnvDump(cmd: ShellCommand): boolean {
  const ops = cmd.args.filter((a) => !a.startsWith('-'));
  switch (cmd.name) {
    case 'env':
    case 'printenv':
      return ops.length === 0;
    case 'export':
    case 'declare':
    case 'typeset':
      return ops.length === 0 && (cmd.name === 'export' || cmd.args.some((a) => /^-[a-zA-Z]*[xp]/.test(a)));
    case 'set':
      return cmd.args.length === 0;
    case 'ps':
      return cmd.args.some((a) => /^[a-zA-Z]*e[a-zA-Z]*$/.test(a) && !a.startsWith('-')) || cmd.args.includes('-E');
    default:
      return isInterpreter(cmd.name) && cmd.args.some((a) => ENV_PRINT.test(a));
  }
}

const cred007 = defineRule(
  {
    id: 'AGT-CRED-007',
    title: 'Environment / process-secret dump',
    category: 'CRED',
    severity: 'low',
    tools: ['Bash'],
    attack: ['T1082', 'T1552'],
    owasp: ['LLM02:2025'],
    description:
      'env/printenv/export -p/declare -x/set without arguments, reading /proc/*/environ, ps eww or ps -E, or an interpreter one-liner printing the whole environment. High when the dump is piped (or substituted) into a network tool.',
  },
  (facts) => {
    if (facts.tool !== 'Bash' || !facts.shell) return [];
    const cmds = commands(facts);
    const environ = new Set(shellPathRefs(facts).filter((r) => PROC_ENVIRON.test(r.abs)).map((r) => r.command));
    for (const [i, cmd] of cmds.entries()) {
      if (!environ.has(i) && !isEnvDump(cmd)) continue;
      const piped = facts.shell.pipelines[cmd.pipeline]?.some((j) => j !== i && cmds[j]!.stage > cmd.stage && NET_TOOLS.includes(cmds[j]!.name));
      const substituted = ancestors(cmds, i).some((j) => NET_TOOLS.includes(cmds[j]!.name));
      return piped || substituted
        ? hit(evidenceOf(facts.shell.source), 'high', 'The environment is sent to a network tool.')
        : hit(cmd.text);
    }
    return [];
  },
);

/** AGT-CRED-008: shell history. */
const HISTFILE_VAR = /\$\{?HISTFILE\}?/;

const cred008 = defineRule(
  {
    id: 'AGT-CRED-008',
    title: 'Shell history read',
    category: 'CRED',
    severity: 'medium',
    tools: ['Read', 'Bash'],
    attack: ['T1552.003'],
    owasp: ['LLM02:2025'],
    description:
      'A path whose basename is a shell or REPL history file (.bash_history, .zsh_history, fish_history, .python_history, .psql_history…) is read, $HISTFILE is named, or the history builtin (or fc -l) lists past commands.',
  },
  (facts) => {
    if (facts.hookEvent !== 'PreToolUse') return [];
    if (facts.tool === 'Read') {
      const f = facts.files.find((x) => HISTORY_FILE.test(posix.basename(x.abs)) || HISTORY_FILE.test(posix.basename(x.real)));
      return f ? hit(pathEvidence(f.raw, f.abs)) : [];
    }
    if (facts.tool !== 'Bash' || !facts.shell) return [];
    const ref = shellPathRefs(facts).find((r) => (r.access === 'read' || r.access === 'arg') && HISTORY_FILE.test(posix.basename(r.abs)));
    if (ref) return hit(pathEvidence(ref.raw, ref.abs));
    for (const cmd of commands(facts)) {
      if (cmd.name === 'history' && (cmd.args.length === 0 || /^\d+$/.test(cmd.args[0]!))) return hit(cmd.text);
      if (cmd.name === 'fc' && cmd.args.some((a) => /^-[a-zA-Z]*l/.test(a))) return hit(cmd.text);
      if (!METADATA_ARGS_ONLY.has(cmd.name) && cmd.args.some((a) => HISTFILE_VAR.test(a)) && !cmd.redirects.some((r) => r.op !== '<' && HISTFILE_VAR.test(r.target))) return hit(cmd.text);
    }
    return [];
  },
);
/** Commands that only print or test `$HISTFILE` itself. */
const METADATA_ARGS_ONLY = new Set(['echo', 'printf', 'ls', 'stat', 'test', '[', '[[', 'export', 'unset', 'touch', 'rm', 'ln', 'chmod']);

export const CRED_RULES = [cred001, cred002, cred003, cred004, cred005, cred006, cred007, cred008];
