/** Shell-structure helpers for the EXEC rules: who runs stdin or a substitution's output as code. */
import { DOWNLOADERS, SHELLS, isInterpreter } from '../lists.js';
import { commands, hasFlag } from '../rule-kit.js';
import type { EventFacts, ShellCommand } from '../types.js';
import { operandList, optionValues } from './persist-kit.js';

const FETCHERS = new Set([...DOWNLOADERS, 'lwp-request', 'lwp-download', 'GET']);
export const SUBST = new Set(['substitution', 'process-substitution']);
const STDIN_PATHS = new Set(['-', '/dev/stdin', '/proc/self/fd/0', '/dev/fd/0']);
/** Interpreter options after which the program is an argument (-c, -e, -m…) rather than a file or stdin. */
const CODE_OPTS = new Set(['-c', '-e', '-E', '-m', '-p', '-r', '-R', '--eval', '--print', '-Command', '-EncodedCommand', '-File', '-x']);
const SHELL_VALUE_OPTS = new Set(['-o', '-O', '+o', '+O', '--rcfile', '--init-file']);

export function isFetcher(cmd: ShellCommand): boolean {
  return FETCHERS.has(cmd.name);
}

function isShell(name: string): boolean {
  return SHELLS.includes(name) || name === 'mksh';
}

/** Arguments of an interpreter without a leading `run`/`x` subcommand (deno run -, bun x). */
function interpreterArgs(cmd: ShellCommand): readonly string[] {
  return (cmd.name === 'deno' || cmd.name === 'bun') && /^(run|x)$/.test(cmd.args[0] ?? '') ? cmd.args.slice(1) : cmd.args;
}

/** The program argument of an interpreter: the code after -c/-e, else its script operand; undefined when it reads stdin. */
export function programArg(cmd: ShellCommand): { code: boolean; value: string } | undefined {
  const args = interpreterArgs(cmd);
  const shell = isShell(cmd.name);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return args[i + 1] === undefined ? undefined : { code: false, value: args[i + 1]! };
    if (shell && SHELL_VALUE_OPTS.has(a)) {
      i++;
      continue;
    }
    const cluster = /^-[A-Za-z]+$/.test(a);
    if (shell && cluster && a.includes('s') && !a.includes('c')) return undefined;
    if (CODE_OPTS.has(a) || (cluster && (shell ? a.includes('c') : /[ceE]$/.test(a) && cmd.name.startsWith('perl')))) {
      return { code: true, value: args[i + 1] ?? '' };
    }
    if (a.startsWith('-') && a !== '-') continue;
    return STDIN_PATHS.has(a) ? undefined : { code: false, value: a };
  }
  return undefined;
}

const SHELL_VAR_WORD = /^\$\{?(SHELL|BASH|ZSH_NAME)\}?$/;

/**
 * Whether a command runs the program it reads on stdin: `sh`, `bash -s`, `python3 -`,
 * `source /dev/stdin`, `"$SHELL"`, or an interpreter fed by xargs (`xargs sh -c`, `xargs -I{} sh -c '{}'`).
 */
export function runsStdin(cmd: ShellCommand): boolean {
  if (cmd.name === 'source' || cmd.name === '.') return STDIN_PATHS.has(operandList(cmd)[0] ?? '');
  if (cmd.dynamicName) return SHELL_VAR_WORD.test(cmd.word) && cmd.args.every((a) => a.startsWith('-') && !/^-[a-z]*c$/.test(a));
  if (!isInterpreter(cmd.name)) return false;
  const program = programArg(cmd);
  if (program === undefined) return true;
  return cmd.via === 'xargs' && program.code && (program.value === '' || program.value.includes('{}'));
}

const holdsSubst = (v: string) => /\$\(|`|<\(/.test(v);

/** Whether `parent` runs, as code, the output of a substitution nested in it. */
export function codeSink(parent: ShellCommand): boolean {
  if (parent.dynamicName || parent.name === 'eval') return true;
  // sh <<< "$(curl …)", sh < <(curl …), source /dev/stdin <<< …, a heredoc holding a substitution.
  if (runsStdin(parent) && parent.redirects.some((r) => (r.op.startsWith('<<') && holdsSubst(r.body ?? '')) || (r.op === '<' && r.target.startsWith('<(')))) {
    return true;
  }
  if (parent.name === 'source' || parent.name === '.') return holdsSubst(operandList(parent)[0] ?? '');
  if (!isInterpreter(parent.name)) return false;
  const program = programArg(parent);
  return program !== undefined && holdsSubst(program.value);
}

/** The command whose text holds `cmd` through substitutions (`echo "$(curl …)"` for the curl), or `cmd` itself. */
export function substRoot(cmds: readonly ShellCommand[], cmd: ShellCommand): ShellCommand {
  let cur = cmd;
  for (let depth = 0; depth < 8 && SUBST.has(cur.via) && cur.parent >= 0; depth++) cur = cmds[cur.parent]!;
  return cur;
}

/** The nearest ancestor (through substitutions) that runs a substitution's output as code. */
export function sinkOf(cmds: readonly ShellCommand[], cmd: ShellCommand): ShellCommand | undefined {
  let cur = cmd;
  for (let depth = 0; depth < 8 && SUBST.has(cur.via) && cur.parent >= 0; depth++) {
    const parent = cmds[cur.parent]!;
    if (codeSink(parent)) return parent;
    cur = parent;
  }
  return undefined;
}

const runnerCache = new WeakMap<EventFacts, Map<number, (ShellCommand | undefined)[]>>();

/**
 * For each pipeline, the first stdin-running stage after each stage (`next[stage]`), built once per
 * event so long pipelines stay linear.
 */
function nextRunners(facts: EventFacts, pipeline: number): (ShellCommand | undefined)[] {
  let byPipe = runnerCache.get(facts);
  if (!byPipe) runnerCache.set(facts, (byPipe = new Map()));
  let next = byPipe.get(pipeline);
  if (!next) {
    const cmds = commands(facts);
    const stages = (facts.shell?.pipelines[pipeline] ?? []).map((i) => cmds[i]!);
    const max = stages.reduce((m, c) => Math.max(m, c.stage), -1);
    next = new Array<ShellCommand | undefined>(max + 2).fill(undefined);
    const firstAt = new Array<ShellCommand | undefined>(max + 1).fill(undefined);
    for (const c of stages) if (firstAt[c.stage] === undefined && runsStdin(c)) firstAt[c.stage] = c;
    for (let st = max; st >= 0; st--) next[st] = firstAt[st + 1] ?? next[st + 1];
    byPipe.set(pipeline, next);
  }
  return next;
}

/** A later stage of the pipeline of `cmd` (or of the command holding it through substitutions) that runs stdin as code. */
export function stdinRunnerAfter(facts: EventFacts, cmd: ShellCommand): ShellCommand | undefined {
  const from = substRoot(commands(facts), cmd);
  return nextRunners(facts, from.pipeline)[from.stage];
}

const execCache = new WeakMap<EventFacts, Map<string, number>>();

/** Absolute paths the line executes (by path, as a script, via source), each with the last command index running it. */
function executedPaths(facts: EventFacts): Map<string, number> {
  let map = execCache.get(facts);
  if (map) return map;
  map = new Map();
  commands(facts).forEach((c, index) => {
    let program: string | undefined;
    if (c.word.includes('/') && !c.dynamicName) program = c.word;
    else if (c.name === 'source' || c.name === '.') program = operandList(c)[0];
    else if (isInterpreter(c.name)) {
      const p = programArg(c);
      program = p && !p.code ? p.value : undefined;
    }
    if (program) map!.set(facts.resolve(program, c.cwd).abs, index);
  });
  execCache.set(facts, map);
  return map;
}

/** A command after index `i` that runs one of `files` (absolute paths): by path, as a script, or via source. */
export function executedLater(facts: EventFacts, i: number, files: readonly string[]): ShellCommand | undefined {
  const paths = executedPaths(facts);
  for (const f of files) {
    const at = paths.get(f);
    if (at !== undefined && at > i) return commands(facts)[at];
  }
  return undefined;
}

/** Files a command's stdout is redirected to. */
export function redirectTargets(cmd: ShellCommand): string[] {
  return cmd.redirects.filter((r) => /^>>?$|^>\|$/.test(r.op) && (r.fd === undefined || r.fd === 1)).map((r) => r.target);
}

/** Files a downloader writes (`-o F`, `-O F`, `--output F`, `> F`). */
export function downloadTargets(cmd: ShellCommand): string[] {
  const wget = cmd.name === 'wget';
  const out = wget ? optionValues(cmd, ['--output-document'], ['-O']) : optionValues(cmd, ['--output'], ['-o']);
  // Clusters ending in the option letter take the next word (`curl -fsSLo f`, `wget -qO f`).
  const cluster = wget ? /^-[a-zA-Z]+O$/ : /^-[a-zA-Z]+o$/;
  cmd.args.forEach((a, i) => cluster.test(a) && cmd.args[i + 1] !== undefined && out.push(cmd.args[i + 1]!));
  out.push(...redirectTargets(cmd));
  return out.filter((t) => t && t !== '-' && t !== '/dev/null');
}

/** Commands that decode data. */
export function isDecoder(cmd: ShellCommand): boolean {
  switch (cmd.name) {
    case 'base64':
    case 'base32':
    case 'gbase64':
    case 'basenc':
      return hasFlag(cmd, 'dD', ['--decode']);
    case 'xxd':
      return cmd.args.some((a) => /^-r/.test(a));
    case 'openssl':
      return cmd.args.includes('-d') && /^(enc|base64|-[a-z])/.test(cmd.args[0] ?? '');
    case 'rev':
      return true;
    case 'printf':
      return cmd.args.some((a) => /\\x[0-9a-fA-F]{2}|\\[0-7]{3}/.test(a));
    case 'echo':
      return hasFlag(cmd, 'e') && cmd.args.some((a) => /\\x[0-9a-fA-F]{2}|\\[0-7]{3}/.test(a));
    default:
      return false;
  }
}

