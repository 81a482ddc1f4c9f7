import { basename } from 'node:path';
import type { JournalEntry } from '../../core/chain/entry.js';
import { readJournalLocated, readLines } from '../../journal/reader.js';
import { listSegments } from '../../journal/segments.js';
import type { Cursor } from './cursor.js';

/** What a pull found: how many entries were missing (removed by retention), or a chain that does not continue the cursor. */
export type PullResult = { readonly kind: 'ok'; readonly missing: number } | { readonly kind: 'mismatch'; readonly why: string };

interface Item {
  readonly entry: JournalEntry;
  readonly bytes: number;
  readonly segment: string;
  readonly end: number;
}

/**
 * Reads the journal forward from a cursor. It remembers the byte offset after the last consumed line,
 * so a pass after each commit reads only the new lines instead of re-parsing the whole segment.
 */
export class JournalTail {
  private hint: { segment: string; offset: number } | undefined;

  constructor(private readonly dir: string, private after: Cursor) {}

  /** The last consumed entry. */
  get position(): Cursor {
    return this.after;
  }

  /** Moves the read position (after a chain reset). */
  reset(after: Cursor): void {
    this.after = after;
    this.hint = undefined;
  }

  /** Offers the entries after the position to `take`, in order; true consumes one, false ends the pass without consuming it. */
  pull(take: (entry: JournalEntry, bytes: number) => boolean): PullResult {
    try {
      return this.pullOnce(take);
    } catch (err) {
      if (!this.hint) throw err;
      // The hint's file was replaced (journal rebuilt under the same segment name): locate by seq instead.
      this.hint = undefined;
      return this.pullOnce(take);
    }
  }

  private pullOnce(take: (entry: JournalEntry, bytes: number) => boolean): PullResult {
    let missing = 0;
    for (const item of this.items()) {
      const { entry } = item;
      const prev = this.after;
      if (prev.seq > 0 && entry.seq === prev.seq + 1 && entry.prev !== prev.hash) {
        return { kind: 'mismatch', why: `entry ${entry.seq} does not link to entry ${prev.seq}` };
      }
      if (!take(entry, item.bytes)) break;
      if (prev.seq > 0 && entry.seq > prev.seq + 1) missing += entry.seq - prev.seq - 1;
      this.after = { seq: entry.seq, hash: entry.hash };
      this.hint = { segment: item.segment, offset: item.end };
    }
    return { kind: 'ok', missing };
  }

  private *items(): Generator<Item> {
    const hint = this.hint;
    const segments = listSegments(this.dir);
    const start = hint ? segments.findIndex((s) => basename(s.path) === hint.segment) : -1;
    if (!hint || start < 0) {
      // No hint yet, or retention removed its segment: find the position by sequence number.
      for (const { entry, location: l } of readJournalLocated(this.dir, this.after.seq + 1)) {
        yield { entry, bytes: l.length, segment: l.segment, end: l.offset + l.length + 1 };
      }
      return;
    }
    for (let i = start; i < segments.length; i++) {
      const path = segments[i]!.path;
      for (const { line, offset, end } of readLines(path, i === start ? hint.offset : 0)) {
        const entry = parseLine(line, path, offset);
        if (entry.seq > this.after.seq) yield { entry, bytes: end - offset - 1, segment: basename(path), end };
      }
    }
  }
}

function parseLine(line: string, path: string, offset: number): JournalEntry {
  try {
    return JSON.parse(line) as JournalEntry;
  } catch {
    throw new Error(`Journal line at ${path}:${offset} is not JSON; run \`agenttrail verify\` for details.`);
  }
}
