/**
 * CRED (part 2): searches for private keys and passwords, and secret-store / token-minting CLIs
 * (security reference B.4). CRED_RULES in cred.ts has every CRED rule.
 */
import { posix } from 'node:path';
import { commands, defineRule, hit, operands } from '../rule-kit.js';
import type { RuleHit, Severity, ShellCommand } from '../types.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** AGT-CRED-004: searches for private keys or passwords (Falco "Search Private Keys or Passwords"). */
const CONTENT_HINT = /BEGIN.*PRIVATE|PRIVATE KEY|aws_secret_access_key|aws_access_key_id|passw(?:or)?d|api[_-]?key|secret/i;
const NAME_HINT = /id_(?:rsa|dsa|ecdsa|ed25519)|credentials|\.(?:pem|key|p12|pfx|jks|kdbx|ppk)\b|\.env\b|wallet\.dat|\.git-credentials|\.netrc|secret|passw(?:or)?d/i;
const EXT_HINT = /^(?:pem|key|p12|pfx|jks|kdbx|ppk|env)$/i;
const GREPS = new Set(['grep', 'egrep', 'fgrep', 'zgrep', 'rg', 'ag', 'ack', 'pcregrep', 'ugrep']);
/** Options of grep-like tools that take the next word as their value. */
const GREP_VALUE: Record<string, RegExp> = {
  rg: /^-[ABCmfgtTjMEer]$|^--(?:glob|iglob|type|type-not|max-count|context|after-context|before-context|max-depth|replace|encoding|sort|sortr|threads|max-filesize|pre|file|regexp)$/,
  ag: /^-[ABCGmgef]$|^--(?:ignore|file-search-regex|context|after|before|max-count)$/,
  default: /^-[ABCmfdDe]$|^--(?:file|context|after-context|before-context|max-count|include|exclude|exclude-dir|label|devices|directories|binary-files|regexp)$/,
};
const FIND_NAME_OPTS = new Set(['-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename', '-regex', '-iregex', '-lname', '-ilname']);

/** Pattern and path operands of a grep-like command (or `git grep`). */
function grepParts(cmd: ShellCommand, args: readonly string[]): { patterns: string[]; paths: string[] } {
  const valueOpt = GREP_VALUE[cmd.name] ?? GREP_VALUE.default!;
  const patterns: string[] = [];
  const rest: string[] = [];
  let explicit = false;
  let endOpts = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!endOpts && a === '--') {
      endOpts = true;
      continue;
    }
    if (!endOpts && a.startsWith('-') && a !== '-') {
      const eq = /^--regexp=(.*)$/s.exec(a) ?? /^-e(.+)$/s.exec(a);
      if (eq) {
        patterns.push(eq[1]!);
        explicit = true;
      } else if (a === '-e' || a === '--regexp') {
        patterns.push(args[++i] ?? '');
        explicit = true;
      } else if (valueOpt.test(a)) i++;
      continue;
    }
    rest.push(a);
  }
  if (!explicit && rest.length > 0) patterns.push(rest.shift()!);
  return { patterns, paths: rest };
}

/** Path operands and name tests of find/fd/locate. */
function findParts(cmd: ShellCommand): { names: string[]; paths: string[]; global: boolean } | undefined {
  const args = cmd.args;
  if (cmd.name === 'find') {
    const paths: string[] = [];
    let i = 0;
    while (i < args.length && !/^[-(!]/.test(args[i]!)) paths.push(args[i++]!);
    const names: string[] = [];
    for (; i < args.length; i++) if (FIND_NAME_OPTS.has(args[i]!)) names.push(args[++i] ?? '');
    return { names, paths: paths.length ? paths : ['.'], global: false };
  }
  if (cmd.name === 'fd' || cmd.name === 'fdfind') {
    const names: string[] = [];
    const ops: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-e' || a === '--extension') {
        const ext = args[++i] ?? '';
        if (EXT_HINT.test(ext)) names.push(`.${ext}`);
      } else if (/^--extension=/.test(a)) {
        if (EXT_HINT.test(a.slice(12))) names.push(`.${a.slice(12)}`);
      } else if (/^-[tEdcjx]$|^--(?:type|exclude|max-depth|color|threads|exec|search-path|base-directory)$/.test(a)) i++;
      else if (!a.startsWith('-')) ops.push(a);
    }
    if (ops.length > 0) names.push(ops.shift()!);
    return { names, paths: ops.length ? ops : ['.'], global: false };
  }
  if (cmd.name === 'locate' || cmd.name === 'plocate' || cmd.name === 'mlocate' || cmd.name === 'mdfind') {
    const names = args.filter((a, i) => !a.startsWith('-') || args[i - 1] === '-name');
    return { names, paths: [], global: true };
  }
  return undefined;
}

export const cred004 = defineRule(
  {
    id: 'AGT-CRED-004',
    title: 'Search for private keys or passwords',
    category: 'CRED',
    severity: 'medium',
    tools: ['Bash', 'Grep', 'Glob'],
    attack: ['T1552.001', 'T1552.004', 'T1083'],
    owasp: ['ASI02'],
    description:
      'grep/rg/ag/git grep for BEGIN…PRIVATE, aws_secret_access_key, password, api_key or secret; find/fd/locate by name for id_rsa, *.pem, *.key, credentials or .env; the Grep tool with such a pattern, or the Glob tool with such a name. Low when every searched path is inside the project.',
  },
  (facts) => {
    if (facts.hookEvent !== 'PreToolUse') return [];
    const outside = (raw: string, at: string) => !facts.resolve(raw, at).inProject;
    const sev = (out: boolean): Severity | undefined => (out ? undefined : 'low');
    if (facts.tool === 'Grep') {
      if (!CONTENT_HINT.test(str(facts.input.pattern))) return [];
      const out = facts.files.some((f) => f.command === undefined && !f.inProject);
      return hit(`Grep ${str(facts.input.pattern)} in ${str(facts.input.path) || facts.cwd}`, sev(out));
    }
    if (facts.tool === 'Glob') {
      const pattern = str(facts.input.pattern);
      if (!NAME_HINT.test(posix.basename(pattern))) return [];
      const out = facts.files.some((f) => f.command === undefined && !f.inProject);
      return hit(`Glob ${pattern}${facts.input.path ? ` in ${str(facts.input.path)}` : ''}`, sev(out));
    }
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    for (const cmd of commands(facts)) {
      let parts: { patterns: string[]; paths: string[] } | undefined;
      if (GREPS.has(cmd.name)) parts = grepParts(cmd, cmd.args);
      else if (cmd.name === 'git' && cmd.args.includes('grep')) parts = grepParts(cmd, cmd.args.slice(cmd.args.indexOf('grep') + 1));
      if (parts) {
        if (!parts.patterns.some((p) => CONTENT_HINT.test(p))) continue;
        // grep without a path reads stdin (unless recursive): a search of piped data, not of files.
        const recursive = cmd.name !== 'grep' && cmd.name !== 'egrep' && cmd.name !== 'fgrep' ? true : cmd.args.some((a) => /^-[a-zA-Z]*[rR]/.test(a) || a === '--recursive');
        if (parts.paths.length === 0 && (cmd.stage > 0 || !recursive) && cmd.name !== 'git') continue;
        const paths = parts.paths.length ? parts.paths : ['.'];
        hits.push(...hit(cmd.text, sev(paths.some((p) => outside(p, cmd.cwd)))));
        continue;
      }
      const f = findParts(cmd);
      if (!f || !f.names.some((n) => NAME_HINT.test(n))) continue;
      hits.push(...hit(cmd.text, sev(f.global || f.paths.some((p) => outside(p, cmd.cwd)))));
    }
    return hits.slice(0, 3);
  },
);

/** AGT-CRED-005: secret stores and token-minting CLIs. */
interface Minter {
  readonly name: string | RegExp;
  /** Operand sequences, any of which must appear consecutively among the operands. */
  readonly seqs: readonly (readonly string[])[];
  /** Extra flag required (any of). */
  readonly flags?: readonly string[];
}
const MINTERS: readonly Minter[] = [
  { name: 'security', seqs: [['find-generic-password'], ['find-internet-password'], ['dump-keychain'], ['export'], ['find-certificate']] },
  { name: 'secret-tool', seqs: [['lookup'], ['search']] },
  { name: 'op', seqs: [['read'], ['item', 'get'], ['inject'], ['document', 'get']] },
  { name: 'pass', seqs: [['show'], ['otp']] },
  { name: 'gopass', seqs: [['show'], ['cat']] },
  { name: 'bw', seqs: [['get'], ['unlock'], ['export']] },
  { name: 'lpass', seqs: [['show'], ['export']] },
  { name: 'gh', seqs: [['auth', 'token']] },
  { name: 'gh', seqs: [['auth', 'status']], flags: ['--show-token', '-t'] },
  { name: 'gcloud', seqs: [['auth', 'print-access-token'], ['auth', 'print-identity-token'], ['auth', 'application-default', 'print-access-token']] },
  { name: 'aws', seqs: [['configure', 'get'], ['configure', 'export-credentials'], ['sts', 'get-session-token'], ['sts', 'assume-role']] },
  { name: 'az', seqs: [['account', 'get-access-token']] },
  { name: 'kubectl', seqs: [['config', 'view']], flags: ['--raw', '--raw=true', '--flatten'] },
  { name: /^docker-credential-/, seqs: [['get']] },
  { name: 'git', seqs: [['credential', 'fill'], ['credential-manager', 'get']] },
];
/** `pass NAME` shows NAME; these first operands are other subcommands. */
const PASS_SUBCOMMANDS = new Set(['ls', 'list', 'find', 'search', 'insert', 'add', 'edit', 'generate', 'rm', 'remove', 'delete', 'mv', 'rename', 'cp', 'copy', 'git', 'init', 'grep', 'help', 'version']);

function hasSeq(ops: readonly string[], seq: readonly string[]): boolean {
  for (let i = 0; i + seq.length <= ops.length; i++) if (seq.every((s, j) => ops[i + j] === s)) return true;
  return false;
}

export const cred005 = defineRule(
  {
    id: 'AGT-CRED-005',
    title: 'Secret-store / token-minting CLI',
    category: 'CRED',
    severity: 'high',
    tools: ['Bash'],
    attack: ['T1555.001', 'T1555.005', 'T1528'],
    atlas: ['AML.T0098'],
    owasp: ['ASI03'],
    description:
      'macOS security find-*-password/dump-keychain/export, secret-tool, 1Password op, pass, Bitwarden, LastPass, gh auth token, gcloud auth print-*-token, aws configure get/export-credentials, aws sts get-session-token, az account get-access-token, kubectl config view --raw, docker-credential-* get, git credential fill.',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    for (const cmd of commands(facts)) {
      const ops = operands(cmd);
      for (const m of MINTERS) {
        if (typeof m.name === 'string' ? m.name !== cmd.name : !m.name.test(cmd.name)) continue;
        if (!m.seqs.some((s) => hasSeq(ops, s))) continue;
        if (m.flags && !cmd.args.some((a) => m.flags!.includes(a))) continue;
        return hit(cmd.text);
      }
      if (cmd.name === 'pass' && ops.length === 1 && !PASS_SUBCOMMANDS.has(ops[0]!) && cmd.args[0] === ops[0]) return hit(cmd.text);
    }
    return [];
  },
);
