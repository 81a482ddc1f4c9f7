/**
 * Working-directory tracking through `cd`, `pushd` and `popd`, with POSIX path semantics and
 * without touching the file system or process.cwd(). Pure.
 */
import { posix } from 'node:path';
import { type ArgWord, wordInfo } from './words.js';

/** The shell's directory state at one point of the walk; copied where bash forks a subshell. */
export interface CwdState {
  cwd: string;
  stack: string[];
}

export function copyCwd(s: CwdState): CwdState {
  return { cwd: s.cwd, stack: [...s.stack] };
}

/** After alternative branches: keep their directory only when every branch agrees. */
export function mergeBranches(into: CwdState, branches: readonly CwdState[]): void {
  const first = branches[0];
  if (first === undefined || branches.some((b) => b.cwd !== first.cwd)) return;
  into.cwd = first.cwd;
  into.stack = [...first.stack];
}

/** Joins `dir` onto `base` and normalises, without a trailing slash (except `/`). */
export function joinPath(base: string, dir: string): string {
  const joined = posix.normalize(dir.startsWith('/') ? dir : posix.join(base || '.', dir));
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
}

/**
 * Resolves a directory argument as bash would (`~`, `$HOME`, `${HOME}` → home; relative → against
 * `base`); undefined when it cannot be known statically (`-`, `$X`, `~user`, globs, substitutions).
 */
export function resolveDir(arg: ArgWord, base: string, home: string): string | undefined {
  let v = arg.value;
  const info = wordInfo(arg);
  if (info.subst) return undefined;
  const m = /^(?:~|\$HOME|\$\{HOME\})(?=\/|$)/.exec(v);
  if (m !== null) v = home + v.slice(m[0].length);
  else if (v.startsWith('~')) return undefined;
  if (v === '' || v === '-' || /[$`]/.test(v)) return undefined;
  // A glob or brace expansion in the word: the directory depends on the file system.
  if (info.dynamic && m === null) return undefined;
  if (info.dynamic && /[*?[{]/.test(v)) return undefined;
  return joinPath(base, v);
}

/** Skips `cd`'s options (-L, -P, -e, -@, --); returns the remaining arguments. */
function operands(args: readonly ArgWord[]): readonly ArgWord[] {
  let i = 0;
  while (i < args.length && /^-[LPe@]+$/.test(args[i]!.value)) i++;
  if (args[i]?.value === '--') i++;
  return args.slice(i);
}

/** Applies `cd` / `pushd` / `popd` (by unwrapped name) to the state. Other commands: no-op. */
export function applyDirCommand(name: string, args: readonly ArgWord[], state: CwdState, home: string): void {
  if (name === 'cd') {
    const ops = operands(args);
    const dir = ops.length === 0 ? home : resolveDir(ops[0]!, state.cwd, home);
    if (dir !== undefined && dir !== '') state.cwd = dir;
    return;
  }
  if (name === 'pushd') {
    const ops = args.filter((a) => a.value !== '-n' && a.value !== '--');
    if (ops.length === 0) {
      const top = state.stack.pop();
      if (top !== undefined) {
        state.stack.push(state.cwd);
        state.cwd = top;
      }
      return;
    }
    if (/^[+-]\d+$/.test(ops[0]!.value)) return;
    const dir = resolveDir(ops[0]!, state.cwd, home);
    if (dir === undefined) return;
    state.stack.push(state.cwd);
    state.cwd = dir;
    return;
  }
  if (name === 'popd' && args.length === 0) {
    const top = state.stack.pop();
    if (top !== undefined) state.cwd = top;
  }
}
