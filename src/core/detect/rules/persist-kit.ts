import { operandsOf } from './shell-targets.js';
/**
 * Helpers shared by the EXEC, PERSIST, PRIV and SUPPLY rules: which files an event writes, the
 * text it writes there, raw-text fallbacks for unparsable command lines, and small shell queries.
 */
import { fileMatches, hit, isTool } from '../rule-kit.js';
import type { EventFacts, FileRef, RuleHit, ShellCommand, Severity } from '../types.js';

/** Tools that write the file named by their input. */
export const WRITE_TOOLS = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit'];

/** Commands whose "write" is metadata only (mode, owner, timestamps, an empty directory). */
const METADATA_WRITERS = new Set(['chmod', 'chown', 'chgrp', 'touch', 'mkdir', 'setfacl', 'chattr']);

/** The raw command line of a Bash call, or ''. */
export function rawCommand(facts: EventFacts): string {
  return facts.tool === 'Bash' && typeof facts.input.command === 'string' ? facts.input.command : '';
}

/** Whether the shell line could not be parsed with confidence (fail closed: run raw-text checks). */
export function uncertain(facts: EventFacts): boolean {
  return facts.tool === 'Bash' && (facts.shell === null || facts.shell.uncertain);
}

/** A file the event writes content to (not chmod/touch/mkdir), matching `globs`. */
export function writtenFiles(facts: EventFacts, globs: readonly string[]): FileRef[] {
  const out = facts.files.filter(
    (f) => f.access === 'write' && !METADATA_WRITERS.has(f.via) && fileMatches(f, globs, facts.home),
  );
  for (const ref of interpreterWrites(facts)) {
    if (fileMatches(ref, globs, facts.home) && !out.some((f) => f.abs === ref.abs)) out.push(ref);
  }
  if (uncertain(facts)) {
    for (const raw of rawWriteTargets(rawCommand(facts))) {
      const r = facts.resolve(raw);
      const ref: FileRef = { raw, ...r, access: 'write', via: 'raw' };
      if (fileMatches(ref, globs, facts.home) && !out.some((f) => f.abs === ref.abs)) out.push(ref);
    }
  }
  return out;
}

const ONE_LINER = /^(python[\d.]*|node|nodejs|perl|ruby|php|bun|deno|osascript)$/;
const WRITE_API = /\bopen\s*\([^)]*,\s*['"][^'"]*[wa+]|\.write(?:_text|_bytes)?\s*\(|write(?:File|FileSync)|append(?:File|FileSync)|createWriteStream|\bFile\.(?:write|open)|\bcopy(?:file|2|fileSync)?\b|\bmove\b|\brename(?:Sync)?\b|\bsymlink(?:Sync)?\b|>>?\s*['"]?[~/$]|\bprint\s*>>|\bdo shell script\b/;
const PATH_LITERAL = /['"`]((?:~|\$HOME|\$\{HOME\}|\/)[^'"`\s]*)['"`]/g;
/** A path built from the home directory: `homedir()+'/.zshrc'`, `join(homedir(), '.zshrc')`, `$ENV{HOME}/.bashrc`, `Path.home() / '.bashrc'`. */
const HOME_JOIN = /(?:homedir\(\)|\bHOME\b['"]?\]?\)?|expanduser\(\s*['"]~['"]\s*\)|\$ENV\{HOME\}|Path\.home\(\)|Dir\.home|getenv\(\s*['"]HOME['"]\s*\))\s*(?:\+|\/|,)?\s*['"]?(\/?\.?[\w.-][\w./-]*)/g;

/** Home/absolute paths named in an interpreter one-liner (`python3 -c "open('~/.bashrc','a')…"`) that writes files. */
const interpreterCache = new WeakMap<EventFacts, FileRef[]>();

export function interpreterWrites(facts: EventFacts): FileRef[] {
  const cached = interpreterCache.get(facts);
  if (cached) return cached;
  const out: FileRef[] = [];
  interpreterCache.set(facts, out);
  (facts.shell?.commands ?? []).forEach((cmd, index) => {
    if (!ONE_LINER.test(cmd.name)) return;
    const code = cmd.args.find((_a, i) => i > 0 && /^-(c|e|E|r|p)$|^--eval$/.test(cmd.args[i - 1]!));
    if (!code || !WRITE_API.test(code)) return;
    const raws = [...code.matchAll(PATH_LITERAL)].map((m) => m[1]!.replace(/^\$\{?HOME\}?/, '~'));
    for (const m of code.matchAll(HOME_JOIN)) raws.push(`~/${m[1]!.replace(/^\/+/, '')}`);
    for (const raw of raws.slice(0, 64)) {
      if (raw.length > 1) out.push({ raw, ...facts.resolve(raw, cmd.cwd), access: 'write', via: cmd.name, command: index });
    }
  });
  return out;
}

const RAW_WRITE = /(?:>>?|>\||\btee\s+(?:-[a-z]+\s+)*|\b(?:cp|mv|ln)\s+(?:-[a-zA-Z]+\s+)*\S+\s+)\s*["']?((?:~|\$HOME|\$\{HOME\}|\/|\.{1,2}\/)?[^\s"';&|<>()]+)/g;

/** Targets of `>`/`>>`/tee/cp/mv/ln found by a conservative textual scan (for unparsable lines). */
export function rawWriteTargets(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(RAW_WRITE)) {
    const t = m[1]!.replace(/^\$\{?HOME\}?/, '~');
    if (t && !/^&?\d+$/.test(t) && t !== '/dev/null') out.push(t);
  }
  return out;
}

/** The text a write puts into `file`: Write content, Edit/MultiEdit new strings, or the shell line. */
export function writtenText(facts: EventFacts, file?: FileRef): string {
  const input = facts.input;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  switch (facts.tool) {
    case 'Write':
      return str(input.content);
    case 'Edit':
      return str(input.new_string);
    case 'MultiEdit':
      return Array.isArray(input.edits) ? input.edits.map((e) => str((e as Record<string, unknown>)?.new_string)).join('\n') : '';
    case 'NotebookEdit':
      return str(input.new_source);
    case 'Bash': {
      const cmd = file?.command !== undefined ? facts.shell?.commands[file.command] : undefined;
      if (!cmd) return rawCommand(facts);
      // The writing command, its heredoc bodies, and the commands piping into it (`echo x | tee f`).
      const parts = [cmd.text, ...cmd.redirects.map((r) => r.body ?? '')];
      const pipe = facts.shell?.pipelines[cmd.pipeline] ?? [];
      for (const i of pipe) if (i !== file?.command) parts.push(facts.shell!.commands[i]!.text);
      return parts.join('\n');
    }
    default:
      return '';
  }
}

/** The text an Edit/MultiEdit replaced ('' for other tools). */
export function replacedText(facts: EventFacts): string {
  const input = facts.input;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  if (facts.tool === 'Edit') return str(input.old_string);
  if (facts.tool === 'MultiEdit' && Array.isArray(input.edits)) return input.edits.map((e) => str((e as Record<string, unknown>)?.old_string)).join('\n');
  return '';
}

/** Evidence for a written file: the shell command that writes it, or its resolved path. */
export function writeEvidence(facts: EventFacts, file: FileRef): string {
  const cmd = file.command !== undefined ? facts.shell?.commands[file.command] : undefined;
  return cmd ? cmd.text : file.abs;
}

/** Keeps the first hit per evidence string. */
export function dedupe(hits: RuleHit[]): RuleHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => (seen.has(h.evidence) ? false : (seen.add(h.evidence), true)));
}

const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** Keeps the single most severe hit (the default severity stands for hits without one). */
export function strongest(hits: RuleHit[], base: Severity): RuleHit[] {
  let best: RuleHit | undefined;
  for (const h of hits) if (!best || RANK[h.severity ?? base] > RANK[best.severity ?? base]) best = h;
  return best ? [best] : [];
}

/** Operands of a command (arguments not starting with `-`), honouring `--`. */
export const operandList: (cmd: ShellCommand) => string[] = operandsOf;

/**
 * The value of an option: `--name=value`, `--name value`, `-x value`, `-xvalue` (short options
 * given in `short`). Returns every value given, in order.
 */
export function optionValues(cmd: ShellCommand, long: readonly string[], short: readonly string[] = []): string[] {
  const out: string[] = [];
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const l of long) {
      if (a === l && i + 1 < args.length) out.push(args[i + 1]!);
      else if (a.startsWith(`${l}=`)) out.push(a.slice(l.length + 1));
    }
    for (const s of short) {
      if (a === s && i + 1 < args.length) out.push(args[i + 1]!);
      else if (a.startsWith(s) && a.length > s.length && !a.startsWith('--')) out.push(a.slice(s.length));
    }
  }
  return out;
}

/** The subcommand of a CLI (`git -C x config …` → `config` at its index), skipping global options that take a value. */
export function subcommand(cmd: ShellCommand, valueOpts: readonly string[] = []): { name: string; index: number } | undefined {
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (valueOpts.includes(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return { name: a, index: i };
  }
  return undefined;
}

/** Tools the file-writing persistence rules look at. */
export const PERSIST_TOOLS = [...WRITE_TOOLS, 'Bash'];

/** Whether this is a pre-tool call of one of the persistence tools. */
export function persistEvent(facts: EventFacts): boolean {
  return facts.hookEvent === 'PreToolUse' && isTool(facts, PERSIST_TOOLS);
}

/** One hit per writing command (Bash) or written path (tools), naming the path(s) in the note. */
export function fileHits(facts: EventFacts, files: readonly FileRef[], severity?: Severity, note?: (f: FileRef) => string | undefined): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const f of files) hits.push(...hit(writeEvidence(facts, f), severity, note?.(f) ?? `Writes ${f.abs}.`));
  return dedupe(hits);
}
