/**
 * Helpers shared by the DESTR, TAMPER and SCOPE rules: severities, operands, option values, git
 * subcommands, and what a delete operand (globs included) removes.
 */
import { posix } from 'node:path';
import { isInside } from '../../event/scope.js';
import type { EventFacts, Severity, ShellCommand } from '../types.js';

const rank: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** The more severe of two severities (undefined = no hit). */
export function worse(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (!a) return b;
  if (!b) return a;
  return rank[a] >= rank[b] ? a : b;
}

/** The raw command line of a Bash call, or ''. */
export function rawCommand(facts: EventFacts): string {
  return facts.tool === 'Bash' && typeof facts.input.command === 'string' ? facts.input.command : '';
}

/** Operands of a command (arguments not starting with `-`), honouring `--`. */
export function operandsOf(cmd: ShellCommand): string[] {
  const out: string[] = [];
  let opts = true;
  for (const a of cmd.args) {
    if (opts && a === '--') opts = false;
    else if (!opts || !a.startsWith('-') || a === '-') out.push(a);
  }
  return out;
}

/** The value of an option given as `-x v`, `-xv`, `--long v` or `--long=v`. */
export function optionValue(args: readonly string[], short: string | null, long: string | null): string | undefined {
  for (const [i, a] of args.entries()) {
    if (a === short || a === long) return args[i + 1];
    if (long && a.startsWith(`${long}=`)) return a.slice(long.length + 1);
    if (short && a.startsWith(short) && a.length > short.length && !a.startsWith('--')) return a.slice(short.length);
  }
  return undefined;
}

/** git's global options that take a separate value. */
const GIT_VALUE_OPTS = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env', '--super-prefix']);

/** Splits a git command into its global options, its subcommand and the subcommand's arguments. */
export function gitSubcommand(cmd: ShellCommand): { globals: string[]; sub: string; args: string[] } {
  const globals: string[] = [];
  for (let i = 0; i < cmd.args.length; i++) {
    const a = cmd.args[i]!;
    if (!a.startsWith('-')) return { globals, sub: a, args: cmd.args.slice(i + 1) };
    globals.push(a);
    if (GIT_VALUE_OPTS.has(a) && i + 1 < cmd.args.length) globals.push(cmd.args[++i]!);
  }
  return { globals, sub: '', args: [] };
}

/** Places where deleting or writing is routine: temp dirs and caches (`~/` expanded at use). */
export const TEMP_DIRS = ['/tmp', '/var/tmp', '/private/tmp', '/var/folders', '/private/var/folders', '/dev/shm'];
const DELETE_ALLOW = [...TEMP_DIRS, '~/.cache', '~/Library/Caches', '~/.npm/_cacache', '~/.npm/_npx'];

/** Expands `~/` in an allowlist entry. */
export function homePath(entry: string, home: string): string {
  return entry.startsWith('~/') ? posix.join(home, entry.slice(2)) : entry;
}

/** Whether `path` lies strictly inside (or, for `contents`, at) one of `roots`. */
export function underAny(path: string, roots: readonly string[], home: string, contents = false): boolean {
  return roots.some((g) => {
    const root = homePath(g, home);
    return (path !== root || contents) && isInside(path, root);
  });
}

/**
 * Whether `path` is scratch space in a temp dir. A project that itself lives in a temp dir
 * (`/tmp/ws-1/proj`) makes its neighbours (`/tmp/ws-1/other`) someone's work, not scratch: only
 * temp paths outside the project's parent directory count then.
 */
export function inTempScratch(path: string, projectRoot: string, home: string, contents = false): boolean {
  if (!underAny(path, TEMP_DIRS, home, contents)) return false;
  const parent = posix.dirname(projectRoot);
  const parentIsTempRoot = TEMP_DIRS.includes(parent) || parent === '/';
  return parentIsTempRoot || !isInside(path, parent) || !underAny(projectRoot, TEMP_DIRS, home);
}

/** Whether `path` is strictly inside (or, emptied, at) an allowlisted temp or cache dir. */
export function inDeleteAllowlist(path: string, home: string, contents: boolean, projectRoot = ''): boolean {
  const caches = DELETE_ALLOW.filter((d) => !TEMP_DIRS.includes(d));
  return underAny(path, caches, home, contents) || inTempScratch(path, projectRoot || '/', home, contents);
}

/** A deletion target: the path removed, or the directory emptied (`contents`, from `dir/*`). */
export interface DeleteTarget {
  readonly path: string;
  readonly contents: boolean;
}

const GLOB_CHARS = /[*?[{]/;
/** A last glob segment that matches everything directly in its directory. */
const ALL_ENTRIES = /^(\*|\.\*|\*\*|\.\[!.\]\*|\.\?\*|\{\*,\.\*\}|\{\.\*,\*\})\/?$/;

/**
 * What a delete operand removes, lexically and with symlinks followed; none when it cannot be
 * known (`$DIR`, `{}`). `dir/*` empties `dir`; `dir/*.log` removes something strictly inside it.
 */
export function deleteTargets(facts: EventFacts, raw: string, cwd: string): DeleteTarget[] {
  if (!raw || raw === '{}' || /`|\$(?!HOME\b|\{HOME\})/.test(raw)) return [];
  const parts = raw.split('/');
  const idx = parts.findIndex((p) => GLOB_CHARS.test(p));
  let base = raw;
  let contents = false;
  let descendant = false;
  if (idx >= 0) {
    base = idx === 0 ? '.' : parts.slice(0, idx).join('/') || '/';
    if (ALL_ENTRIES.test(parts.slice(idx).join('/'))) contents = true;
    else descendant = true;
  } else if (/(^|\/)\.\/?$/.test(raw) && raw !== '/.') {
    contents = true;
  }
  const r = facts.resolve(base, cwd);
  // Symlinks of the parents are always followed; of the last component only when it is entered (`x/`, `x/*`).
  const entered = contents || descendant || raw.endsWith('/');
  const real = entered ? r.real : posix.join(facts.resolve(posix.dirname(r.abs), cwd).real, posix.basename(r.abs));
  return [...new Set([r.abs, real])].map((p) =>
    descendant ? { path: p === '/' ? '/\u0000' : `${p}/\u0000`, contents: false } : { path: p, contents },
  );
}

/** Top-level system directories whose removal breaks the machine (critical like `/`). */
export const SYSTEM_DIRS = new Set([
  '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib32', '/lib64', '/opt', '/proc', '/root', '/sbin', '/srv', '/sys',
  '/usr', '/usr/bin', '/usr/lib', '/usr/local', '/usr/share', '/var', '/var/lib', '/snap', '/nix', '/Applications',
  '/Library', '/System', '/Users', '/Volumes', '/private', '/private/etc', '/private/var', '/mnt', '/media',
]);

/** Severity of recursively deleting `t`: critical for /, home, the project (or above) and system dirs; high elsewhere outside the project. */
export function deleteSeverity(facts: EventFacts, t: DeleteTarget): Severity | undefined {
  const { path, contents } = t;
  if (inDeleteAllowlist(path, facts.home, contents, facts.projectRoot)) return undefined;
  if (path === '/' || isInside(facts.home, path) || isInside(facts.projectRoot, path) || SYSTEM_DIRS.has(path)) return 'critical';
  if (isInside(path, facts.projectRoot)) return undefined;
  return 'high';
}

/** Starting points of `find` (the arguments before the first expression token). */
export function findRoots(cmd: ShellCommand): string[] {
  const args = cmd.args;
  let i = 0;
  while (i < args.length && /^-([HLP]|O\d*|D)$/.test(args[i]!)) i += args[i] === '-D' ? 2 : 1;
  const roots: string[] = [];
  for (; i < args.length && !/^[-(!)]/.test(args[i]!); i++) roots.push(args[i]!);
  return roots.length ? roots : ['.'];
}
