/**
 * Peels command wrappers (sudo, env, nohup, timeout, xargs…) off a command's words, using each
 * wrapper's option arity, so rules see the command that actually runs. Pure.
 */
import { type ArgWord, commandName, wordInfo } from './words.js';

interface WrapperSpec {
  /** Short options that take an argument (attached `-uroot` or next word). */
  readonly shortArg?: string;
  /** Short options whose argument is optional and only attached (`xargs -i{}`, `-l1`). */
  readonly shortOptional?: string;
  /** Long options that take the next word as argument when written without `=`. */
  readonly longArg?: readonly string[];
  /** Options after which no command runs (`command -v`, `sudo -l`): the wrapper stays the command. */
  readonly noCommand?: string;
  readonly noCommandLong?: readonly string[];
  /** Positional arguments before the command (timeout's DURATION, taskset's mask). */
  readonly positional?: number;
  /** `NAME=VALUE` words before the command are assignments (env). */
  readonly assigns?: boolean;
  /** `-10` is an option (nice). */
  readonly numericOption?: boolean;
  /** Whether options are parsed at all (nohup, builtin, busybox: no). */
  readonly noOptions?: boolean;
  /** Options naming the command's working directory (`env -C DIR`, `sudo -D DIR`). */
  readonly chdirOpts?: readonly string[];
  /** Options whose argument is split into more words (`env -S 'a b'`). */
  readonly splitOpts?: readonly string[];
  /** How the command reached through this wrapper is marked. */
  readonly via?: string;
}

const WRAPPERS: Readonly<Record<string, WrapperSpec>> = {
  sudo: {
    shortArg: 'ugCDhprtTUR',
    longArg: ['--user', '--group', '--close-from', '--chdir', '--host', '--prompt', '--role', '--type',
      '--command-timeout', '--other-user', '--chroot'],
    noCommand: 'lveKV',
    noCommandLong: ['--list', '--validate', '--edit', '--remove-timestamp', '--version', '--help'],
    assigns: true,
    chdirOpts: ['D', '--chdir'],
  },
  doas: { shortArg: 'uC', noCommand: 'LC' },
  pkexec: { longArg: ['--user'], noCommandLong: ['--version', '--help'] },
  env: {
    shortArg: 'uCSP',
    longArg: ['--unset', '--chdir', '--split-string'],
    assigns: true,
    chdirOpts: ['C', '--chdir'],
    splitOpts: ['S', '--split-string'],
  },
  nohup: { noOptions: true },
  time: { shortArg: 'fo', longArg: ['--format', '--output'] },
  timeout: { shortArg: 'sk', longArg: ['--signal', '--kill-after'], positional: 1 },
  nice: { shortArg: 'n', longArg: ['--adjustment'], numericOption: true },
  ionice: { shortArg: 'cnpPu', longArg: ['--class', '--classdata', '--pid', '--pgid', '--uid'], noCommand: 'pPu' },
  command: { noCommand: 'vV' },
  builtin: { noOptions: true },
  exec: { shortArg: 'a' },
  stdbuf: { shortArg: 'ioe', longArg: ['--input', '--output', '--error'] },
  xargs: {
    shortArg: 'EIaLndPs',
    shortOptional: 'eil',
    longArg: ['--arg-file', '--delimiter', '--max-args', '--max-procs', '--max-chars', '--process-slot-var'],
    noCommandLong: ['--help', '--version'],
    via: 'xargs',
  },
  setsid: {},
  caffeinate: { shortArg: 'tw' },
  torsocks: { shortArg: 'upaP', longArg: ['--user', '--pass', '--address', '--port'] },
  proxychains: { shortArg: 'f' },
  proxychains4: { shortArg: 'f' },
  chrt: { shortArg: 'TPD', longArg: ['--sched-runtime', '--sched-period', '--sched-deadline'], positional: 1,
    noCommand: 'pm', noCommandLong: ['--pid', '--max'] },
  taskset: { positional: 1, noCommand: 'p', noCommandLong: ['--pid'] },
  unbuffer: {},
  busybox: { noOptions: true },
};

const ASSIGN_RE = /^[A-Za-z_][A-Za-z0-9_]*=/;

export interface Unwrapped {
  /** The effective command: its word first, then its arguments. */
  readonly words: readonly ArgWord[];
  readonly wrappers: readonly string[];
  readonly wrapperArgs: readonly string[];
  /** Assignments given through env (`env FOO=1 x`). */
  readonly assigns: readonly { name: string; value: string }[];
  /** Set when a wrapper changes how the command is reached (xargs). */
  readonly via: string | undefined;
  /** Directories given by `env -C DIR` / `sudo -D DIR`, as written, outermost first. */
  readonly chdirs: readonly string[];
}

interface Peeled {
  readonly rest: ArgWord[];
  readonly args: string[];
  readonly assigns: { name: string; value: string }[];
  readonly chdirs: string[];
}

/** Splits `env -S` strings: whitespace separated, with simple '…' / "…" quoting. */
function splitString(s: string): ArgWord[] {
  const out: ArgWord[] = [];
  for (const m of s.matchAll(/(?:'[^']*'|"(?:\\.|[^"\\])*"|\\.|[^\s'"\\])+/g)) {
    const value = m[0].replace(/'([^']*)'|"((?:\\.|[^"\\])*)"|\\(.)/g, (_a, sq?: string, dq?: string, esc?: string) =>
      sq ?? (dq !== undefined ? dq.replace(/\\(.)/g, '$1') : (esc ?? '')));
    out.push({ value, node: undefined });
  }
  return out;
}

/** Parses one wrapper's options; returns undefined when no command follows (the wrapper is bare). */
function peel(spec: WrapperSpec, words: readonly ArgWord[]): Peeled | undefined {
  const rest = words.slice(1);
  const args: string[] = [];
  const assigns: { name: string; value: string }[] = [];
  const chdirs: string[] = [];
  const takeNext = (): string | undefined => {
    const next = rest.shift();
    if (next !== undefined) args.push(next.value);
    return next?.value;
  };
  const effect = (opt: string, value: string | undefined): boolean => {
    if (value === undefined) return true;
    if (spec.chdirOpts?.includes(opt)) chdirs.push(value);
    if (spec.splitOpts?.includes(opt)) rest.unshift(...splitString(value));
    return true;
  };
  while (!spec.noOptions && rest.length > 0) {
    const v = rest[0]!.value;
    if (spec.assigns && ASSIGN_RE.test(v)) break;
    if (v === '--') {
      rest.shift();
      break;
    }
    if (v.startsWith('--')) {
      rest.shift();
      args.push(v);
      const eq = v.indexOf('=');
      const name = eq < 0 ? v : v.slice(0, eq);
      if (spec.noCommandLong?.includes(name)) return undefined;
      if (spec.longArg?.includes(name)) effect(name, eq < 0 ? takeNext() : v.slice(eq + 1));
      continue;
    }
    if (!v.startsWith('-') || v.length < 2) break;
    rest.shift();
    args.push(v);
    if (spec.numericOption && /^-\d+$/.test(v)) continue;
    for (let k = 1; k < v.length; k++) {
      const c = v[k]!;
      if (spec.noCommand?.includes(c)) return undefined;
      if (spec.shortArg?.includes(c)) {
        const attached = v.slice(k + 1);
        effect(c, attached !== '' ? attached : takeNext());
        break;
      }
      if (spec.shortOptional?.includes(c)) break;
    }
  }
  while (spec.assigns && rest.length > 0 && ASSIGN_RE.test(rest[0]!.value)) {
    const v = rest.shift()!.value;
    const eq = v.indexOf('=');
    assigns.push({ name: v.slice(0, eq), value: v.slice(eq + 1) });
  }
  for (let i = 0; i < (spec.positional ?? 0) && rest.length > 0; i++) args.push(rest.shift()!.value);
  if (rest.length === 0) return undefined;
  return { rest, args, assigns, chdirs };
}

/** Peels wrappers outermost first until the command word is not a (static) wrapper. */
export function unwrap(words: readonly ArgWord[]): Unwrapped {
  let current = words;
  const wrappers: string[] = [];
  const wrapperArgs: string[] = [];
  const assigns: { name: string; value: string }[] = [];
  let via: string | undefined;
  const chdirs: string[] = [];
  for (;;) {
    const first = current[0];
    if (first === undefined) break;
    const name = commandName(first.value);
    const spec = Object.hasOwn(WRAPPERS, name) ? WRAPPERS[name] : undefined;
    if (spec === undefined || wordInfo(first).dynamic) break;
    const peeled = peel(spec, current);
    if (peeled === undefined) break;
    wrappers.push(name);
    wrapperArgs.push(...peeled.args);
    assigns.push(...peeled.assigns);
    if (spec.via !== undefined) via = spec.via;
    chdirs.push(...peeled.chdirs);
    current = peeled.rest;
  }
  return { words: current, wrappers, wrapperArgs, assigns, via, chdirs };
}
