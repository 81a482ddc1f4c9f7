import { shannonEntropy } from '../secrets/entropy.js';
/**
 * Helpers shared by the CRED, SECRET and EXFIL rules: which paths are credential stores or secret
 * files (wildcards included), which shell paths a command line reads, randomness of tokens and
 * host labels, and where a URL's host ends in a word that still holds shell expansions. Pure.
 */
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { CRED_DIR_GLOBS, CRED_GLOBS, EXFIL_TIER1_HOSTS, EXFIL_TIER1_URL_PREFIXES, SECRET_FILE_EXCLUDE, SECRET_FILE_GLOBS, hostIn, hostIs, isInterpreter, isLocalHost } from '../lists.js';
import { pathMatcher } from '../rule-kit.js';
import type { EventFacts, FileAccess, ShellCommand, UrlRef } from '../types.js';

/** Credential-store look-alikes that hold nothing secret. */
const CRED_EXCLUDE = ['~/.ssh/config', '~/.ssh/config.d/**', '~/.ssh/known_hosts', '~/.ssh/known_hosts.*', '**/*.pub'];

/** Concrete credential paths (relative to home, or absolute) a wildcard path is tried against. */
const CRED_SAMPLES = [
  '.ssh/id_rsa', '.ssh/id_ed25519', '.ssh/id_ecdsa', '.ssh/id_dsa', '.ssh/deploy_key', '.aws/credentials', '.aws/config',
  '.kube/config', '.docker/config.json', '.npmrc', '.pypirc', '.netrc', '.git-credentials', '.config/gh/hosts.yml',
  '.vault-token', '.claude/.credentials.json', '.codex/auth.json', '.gemini/oauth_creds.json',
  '.config/gcloud/application_default_credentials.json', '.config/gcloud/credentials.db', '.config/gcloud/access_tokens.db',
  '.azure/accessTokens.json', '.gnupg/private-keys-v1.d/A1.key', '.config/solana/id.json', '.cargo/credentials.toml',
  '.config/google-chrome/Default/Login Data', '.config/google-chrome/Default/Cookies', '.mozilla/firefox/p.default/logins.json',
  '.mozilla/firefox/p.default/key4.db', '.password-store/email.gpg', '.terraform.d/credentials.tfrc.json',
  '/etc/shadow', '/etc/gshadow', '/etc/sudoers',
];
/** Concrete secret-file names a wildcard path is tried against (inside the directory it names). */
const SECRET_SAMPLES = ['.env', '.env.local', '.env.production', '.envrc', 'terraform.tfstate', 'prod.tfvars', 'secrets.yml', 'secrets.json', 'server.key', 'cert.p12'];

/** Commands that only look at a path's metadata, or print their arguments: never a content read. */
export const METADATA_COMMANDS = new Set([
  'ls', 'stat', 'test', '[', '[[', 'chmod', 'chown', 'chgrp', 'touch', 'realpath', 'readlink', 'dirname', 'basename', 'du',
  'file', 'mkdir', 'getfacl', 'setfacl', 'lsattr', 'echo', 'printf', 'which', 'type', 'exa', 'eza', 'tree', 'cd', 'pushd',
]);
/** git subcommands that only handle path names. */
const GIT_PATH_ONLY = new Set(['check-ignore', 'ls-files', 'rm', 'status', 'check-attr']);
/** Commands whose key arguments are used as identities, not read (`ssh -i KEY`). */
const IDENTITY_USERS = new Set(['ssh', 'scp', 'sftp', 'git', 'ssh-copy-id', 'autossh', 'mosh', 'rsync']);
/** Commands that use keys without revealing them. */
const KEY_TOOLS = new Set(['ssh-add', 'ssh-keygen']);

const WILDCARD = /[*?[{]/;
const SECRET_HINT = /env|tfstate|tfvars|secret|key|p12|pfx|jks/i;
const globCache = new Map<string, boolean>();

function cached(key: string, compute: () => boolean): boolean {
  let v = globCache.get(key);
  if (v === undefined) {
    v = compute();
    if (globCache.size > 1000) globCache.clear();
    globCache.set(key, v);
  }
  return v;
}

/** Whether a path written with shell wildcards could name one of `samples` (bash semantics: `*` skips dot files). */
function wildcardCovers(abs: string, samples: readonly string[], home: string, dot: boolean): boolean {
  return cached(`${dot ? 'd' : 'n'}\u0000${home}\u0000${samples.length}\u0000${abs}`, () => {
    let test: (p: string) => boolean;
    try {
      test = picomatch(abs.replace(/\/+$/, ''), { dot });
    } catch {
      return false;
    }
    const h = home.replace(/\/+$/, '');
    return samples.some((s) => test(s.startsWith('/') ? s : `${h}/${s}`));
  });
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** Whether a resolved path is a credential store (CRED_GLOBS minus ssh config, known_hosts and public keys). */
export function isCredPath(abs: string, home: string, options: { wildcards?: boolean; dot?: boolean } = {}): boolean {
  const p = trimSlash(abs);
  if (pathMatcher(CRED_EXCLUDE, home)(p)) return false;
  if (pathMatcher(CRED_GLOBS, home)(p)) return true;
  return (options.wildcards ?? true) && WILDCARD.test(p) && wildcardCovers(p, CRED_SAMPLES, home, options.dot ?? false);
}

/** Whether a resolved path is a directory of credentials (~/.ssh, ~/.aws, browser profiles…). */
export function isCredDir(abs: string, home: string): boolean {
  return pathMatcher(CRED_DIR_GLOBS, home)(trimSlash(abs));
}

/** Whether a resolved path is a project secret file (.env, tfstate, keystores), look-alikes excluded. */
export function isSecretFile(abs: string, home: string, options: { wildcards?: boolean; dot?: boolean } = {}): boolean {
  const p = trimSlash(abs);
  if (pathMatcher(SECRET_FILE_EXCLUDE, home)(p)) return false;
  if (pathMatcher(SECRET_FILE_GLOBS, home)(p)) return true;
  if (!(options.wildcards ?? true) || !WILDCARD.test(p)) return false;
  // `cat .env*`, `cat config/*.tfvars`: try the samples inside the directory the wildcard sits in.
  // Only when the name keeps a hint (`.env*`, `*.tfvars`, `secret*`): `cat src/*` is no secret read.
  const dir = posix.dirname(p);
  if (WILDCARD.test(dir) || !SECRET_HINT.test(posix.basename(p).replace(/[*?[\]{}]/g, ''))) return false;
  return wildcardCovers(p, SECRET_SAMPLES.map((s) => `${dir}/${s}`), home, options.dot ?? false);
}

/** A path a shell command line names, resolved. */
export interface ShellPathRef {
  readonly raw: string;
  readonly abs: string;
  readonly real: string;
  readonly access: FileAccess;
  readonly command: number;
  readonly inProject: boolean;
}

/**
 * Paths the shell commands of an event name, as facts.files has them, plus bare operands
 * (`cat id_rsa` after `cd ~/.ssh`) of commands that run outside the event's cwd. Leaves out
 * the key of `ssh -i KEY` (and scp, sftp, git…), every argument of ssh-add/ssh-keygen, and the
 * arguments of commands that only look at metadata or print (ls, stat, test, chmod, echo…).
 */
export function shellPathRefs(facts: EventFacts): ShellPathRef[] {
  const cmds = facts.shell?.commands ?? [];
  if (cmds.length === 0) return [];
  const skipped = cmds.map(skippedArgs);
  const out: ShellPathRef[] = [];
  for (const f of facts.files) {
    if (f.command === undefined) continue;
    const cmd = cmds[f.command];
    if (!cmd) continue;
    const skip = skipped[f.command]!;
    if (f.via !== 'redirect') {
      if (skip === 'all') continue;
      const n = skip.get(f.raw);
      if (n) {
        skip.set(f.raw, n - 1);
        continue;
      }
    }
    out.push({ raw: f.raw, abs: f.abs, real: f.real, access: f.access, command: f.command, inProject: f.inProject });
  }
  cmds.forEach((cmd, index) => {
    if (cmd.cwd === facts.cwd || skipped[index] === 'all') return;
    for (const a of cmd.args) {
      if (!/^[\w@%+,-][\w.@%+,-]*$/.test(a) || a.startsWith('-') || a.includes('.')) continue;
      const r = facts.resolve(a, cmd.cwd);
      out.push({ raw: a, ...r, access: 'arg', command: index });
    }
  });
  return out;
}

function skippedArgs(cmd: ShellCommand): 'all' | Map<string, number> {
  if (METADATA_COMMANDS.has(cmd.name) || KEY_TOOLS.has(cmd.name)) return 'all';
  const skip = new Map<string, number>();
  if (cmd.name === 'git') {
    const sub = cmd.args.find((a, i) => !a.startsWith('-') && !['-C', '-c'].includes(cmd.args[i - 1] ?? ''));
    if (sub && GIT_PATH_ONLY.has(sub)) return 'all';
  }
  if (IDENTITY_USERS.has(cmd.name)) {
    cmd.args.forEach((a, i) => {
      const prev = cmd.args[i - 1];
      if (prev === '-i' || prev === '-F' || prev === '--identity-file') skip.set(a, (skip.get(a) ?? 0) + 1);
    });
  }
  return skip;
}

/** Accesses that expose a file's content (or hand the file to a program): not writes, deletes. */
export const READ_LIKE: readonly FileAccess[] = ['read', 'arg', 'exec', 'search'];

/** Shell paths of the event that are credential stores, credential directories or secret files. */
export function sensitiveShellRefs(facts: EventFacts, access: readonly FileAccess[] = READ_LIKE): (ShellPathRef & { kind: 'cred' | 'cred-dir' | 'secret' })[] {
  const out: (ShellPathRef & { kind: 'cred' | 'cred-dir' | 'secret' })[] = [];
  for (const r of shellPathRefs(facts)) {
    if (!access.includes(r.access)) continue;
    const kind = sensitiveKind(r.abs, r.real, facts.home);
    if (kind) out.push({ ...r, kind });
  }
  return out;
}

/** What kind of sensitive path `abs` (or its real path) is, if any. */
export function sensitiveKind(abs: string, real: string, home: string): 'cred' | 'cred-dir' | 'secret' | undefined {
  if (isCredPath(abs, home) || (real !== abs && isCredPath(real, home, { wildcards: false }))) return 'cred';
  if (isCredDir(abs, home) || isCredDir(real, home)) return 'cred-dir';
  if (isSecretFile(abs, home) || (real !== abs && isSecretFile(real, home, { wildcards: false }))) return 'secret';
  return undefined;
}

/** Path as evidence: as written when absolute or home-relative, else resolved. */
export function pathEvidence(raw: string, abs: string): string {
  return /^(\/|~|\$HOME|\$\{HOME\})/.test(raw) ? raw : abs;
}

/** Shannon entropy in bits per character (the secret scanner's). */
export const entropy: (s: string) => number = shannonEntropy;

const WORD_PART = /^(?:[a-z]+|[A-Z][a-z]+|[A-Z]+|[A-Z]?[a-z]+(?:[A-Z][a-z]+)+)\d{0,4}$|^\d{1,5}$/;
const CONSONANT_RUN = /[bcdfghjklmnpqrstvwxz]{6,}/i;
const VOWEL = /[aeiouy]/i;

/**
 * Whether a token reads like words (kebab, snake, camel case, dictionary-ish letters) rather than
 * encoded data: `my-service-name-production` and `List_of_Languages` are words,
 * `aGVsbG8gd29ybGQ`, base32 and hex runs are not.
 */
export function dictionaryLike(token: string): boolean {
  const parts = token.split(/[-_.~+]+/).filter(Boolean);
  if (parts.length === 0) return false;
  return parts.every((p) => WORD_PART.test(p) && (/^\d+$/.test(p) || (VOWEL.test(p.replace(/\d+$/, '')) && !CONSONANT_RUN.test(p))));
}

/** A slug with ids (`Page-Title-0123abcd…`, `release-2024-05-01`): words, hex and digit parts only. */
export function slugWithIds(token: string): boolean {
  const parts = token.split(/[-_]+/).filter(Boolean);
  return parts.length >= 2 && parts.every((p) => /^[0-9a-f]+$/i.test(p) || dictionaryLike(p));
}

/** Whether a token looks like encoded or random data: entropy above `minEntropy` and not word-like. */
export function looksRandom(token: string, minEntropy: number): boolean {
  return entropy(token) > minEntropy && !dictionaryLike(token);
}

/** Base64/base64url/hex runs of at least `min` characters (path separators end a run). */
export function encodedRuns(text: string, min: number): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[A-Za-z0-9+_-]+={0,2}/g)) if (m[0].replace(/=+$/, '').length >= min) out.push(m[0].replace(/=+$/, ''));
  return out;
}

/** Whether a run of `min`+ characters is data: hex, or base64-ish and not word-like. */
export function isDataRun(run: string): boolean {
  return /^[0-9a-f]+$/i.test(run) || (!dictionaryLike(run) && /\d|[A-Z].*[A-Z]/.test(run) && /[a-z]/i.test(run));
}

/**
 * The host part of a URL-ish shell word as written, expansions kept: everything after the scheme
 * (and userinfo) up to the first `/`, `?` or `#` outside `$(…)`, backticks and `${…}`; the port is
 * dropped. `https://$(whoami).x.example/p` → `$(whoami).x.example`.
 */
export function rawHostOf(word: string): string {
  let s = word;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(s);
  if (scheme) s = s.slice(scheme[0].length);
  let depth = 0;
  let tick = false;
  let end = s.length;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '`') tick = !tick;
    else if ((ch === '(' || ch === '{') && s[i - 1] === '$') depth++;
    else if (ch === '(' && depth > 0) depth++;
    else if ((ch === ')' || ch === '}') && depth > 0) depth--;
    else if (depth === 0 && !tick && (ch === '/' || ch === '?' || ch === '#')) {
      end = i;
      break;
    }
  }
  let host = s.slice(0, end);
  const at = host.lastIndexOf('@');
  if (at >= 0 && !host.slice(at).includes('$(')) host = host.slice(at + 1);
  return host.replace(/:\d+$/, '').replace(/\.$/, '');
}

/** Whether every URL of `urls` is this machine (false for none). */
export function allLocal(urls: readonly UrlRef[]): boolean {
  return urls.length > 0 && urls.every((u) => u.host !== '' && isLocalHost(u.host));
}

/** URLs named by a given shell command. */
export function urlsOf(facts: EventFacts, command: number): UrlRef[] {
  return facts.urls.filter((u) => u.command === command);
}

/** The tier-1 destination (host or chat-webhook prefix) of a URL, if any. */
export function tier1Of(u: UrlRef): string | undefined {
  if (!u.host) return undefined;
  const host = hostIn(u.host, EXFIL_TIER1_HOSTS);
  if (host) return host;
  for (const prefix of EXFIL_TIER1_URL_PREFIXES) {
    const slash = prefix.indexOf('/');
    const pHost = prefix.slice(0, slash);
    const pPath = prefix.slice(slash);
    if (hostIs(u.host, pHost) && u.pathname.toLowerCase().startsWith(pPath.toLowerCase())) return prefix;
  }
  return undefined;
}

/** Index of the ancestors (sh -c, substitution parents) of a command, nearest first. */
export function ancestors(cmds: readonly ShellCommand[], index: number): number[] {
  const out: number[] = [];
  let p = cmds[index]?.parent ?? -1;
  while (p >= 0 && out.length < 32) {
    out.push(p);
    p = cmds[p]?.parent ?? -1;
  }
  return out;
}

const SHELL_NAMES = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh', 'busybox']);

/**
 * Code the parser could not look into, for fail-closed textual checks: `bash -c "… $(x) …"` and
 * `eval` of words holding a substitution are run only after the substitution, so they have no
 * nested commands; interpreter one-liners (python -c, node -e, perl -e…); and the whole line when
 * it did not parse completely.
 */
export function opaqueCode(facts: EventFacts): string[] {
  return opaqueEntries(facts).map((e) => e.code);
}

/** opaqueCode with the index of the command holding the code (-1 for a whole unparsed line). */
export function opaqueEntries(facts: EventFacts): { code: string; command: number }[] {
  const shell = facts.shell;
  if (!shell) return [];
  const out: { code: string; command: number }[] = [];
  const cmds = shell.commands;
  cmds.forEach((cmd, i) => {
    const runsCode = (SHELL_NAMES.has(cmd.name) && cmd.args.some((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a))) || cmd.name === 'eval';
    if (runsCode && !cmds.some((c) => c.parent === i && (c.via === 'sh-c' || c.via === 'eval'))) out.push({ code: cmd.args.join(' '), command: i });
    // Interpreter one-liners (`python3 -c 'open("/home/u/.ssh/id_rsa")'`, `node -e …`) are not shell: their text is checked as is.
    else if (!SHELL_NAMES.has(cmd.name) && isInterpreter(cmd.name) && cmd.args.some((a) => /^-(?:[a-zA-Z]*[ceE]|-eval|p|r)$/.test(a))) out.push({ code: cmd.args.join(' '), command: i });
  });
  if (shell.uncertain) out.push({ code: shell.source, command: -1 });
  return out;
}

/** Path-like words (`/x`, `~/x`, `$HOME/x`) of shell code, resolved against the event's cwd. */
export function opaquePaths(facts: EventFacts, code: string): { raw: string; abs: string; real: string }[] {
  const out: { raw: string; abs: string; real: string }[] = [];
  for (const w of code.split(/[\s'"`;|&()<>]+/)) {
    if (!/^(?:~\/|\/|\$HOME\/|\$\{HOME\}\/)/.test(w) || w.length > 4096) continue;
    const r = facts.resolve(w.replace(/^@/, ''));
    out.push({ raw: w, abs: r.abs, real: r.real });
  }
  return out;
}
