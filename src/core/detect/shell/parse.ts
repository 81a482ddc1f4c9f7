/**
 * unbash with resumption: unbash returns a partial tree and stops at some errors (zsh `=(…)`,
 * `if then; …`), dropping every later command. Since bash (and zsh, where the syntax is valid)
 * would still run those later commands, parsing resumes after the next separator following the
 * point where the tree stopped. Pure; never throws for a string input (the caller still guards).
 */
import { parse, type ParsedScript } from 'unbash';

/** One parsed piece of a source: positions in `script` index `source`, which starts at `offset`. */
export interface Chunk {
  readonly script: ParsedScript;
  readonly source: string;
  readonly offset: number;
}

export interface ParsedSource {
  readonly chunks: readonly Chunk[];
  /** Errors with positions relative to the whole source given. */
  readonly errors: readonly { readonly message: string; readonly pos: number }[];
}

/** Upper bound on resumptions, so adversarial input stays linear-ish. */
const MAX_CHUNKS = 16;

/** Index just past the first command separator at or after `from`, or -1. */
function nextSeparator(source: string, from: number): number {
  const m = /[;&|\n]+/g;
  m.lastIndex = from;
  const found = m.exec(source);
  return found === null ? -1 : found.index + found[0].length;
}

export function parseSource(source: string): ParsedSource {
  const chunks: Chunk[] = [];
  const errors: { message: string; pos: number }[] = [];
  let offset = 0;
  while (offset < source.length) {
    const text = offset === 0 ? source : source.slice(offset);
    const script = parse(text);
    chunks.push({ script, source: text, offset });
    const errs = script.errors ?? [];
    for (const e of errs) errors.push({ message: e.message, pos: e.pos + offset });
    if (errs.length === 0) break;
    let stop = 0;
    for (const st of script.commands) stop = Math.max(stop, st.end);
    const rest = text.slice(stop);
    if (/^\s*(#.*)?$/.test(rest)) break;
    // Resume after the first separator past the earliest error at or beyond where the tree stops.
    let from = Number.POSITIVE_INFINITY;
    for (const e of errs) if (e.pos >= stop && e.pos < from) from = e.pos;
    if (from === Number.POSITIVE_INFINITY) from = stop;
    const next = nextSeparator(text, Math.min(from, text.length));
    if (next < 0 || next >= text.length) break;
    offset += next;
    if (chunks.length >= MAX_CHUNKS) {
      errors.push({ message: 'too many parse errors: gave up resuming', pos: offset });
      break;
    }
  }
  return { chunks, errors };
}
