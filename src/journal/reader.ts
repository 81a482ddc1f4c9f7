import { closeSync, openSync, readSync } from 'node:fs';
import { checkLink, GENESIS_HASH, type ChainBreak, type JournalEntry } from '../core/chain/entry.js';
import { listSegments } from './segments.js';
import { basename, join } from 'node:path';
import type { JournalLocation } from './writer.js';
import { readJsonIfExists } from '../platform/fs.js';

const CHUNK = 1 << 20;

/** Yields the complete lines of a file, with their byte offsets; a torn last line is not yielded. */
export function* readLines(path: string, startOffset = 0): Generator<{ line: string; offset: number; end: number }> {
  const fd = openSync(path, 'r');
  try {
    let pos = startOffset;
    let carry = Buffer.alloc(0);
    let carryOffset = startOffset;
    const chunk = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK, pos);
      if (n === 0) return;
      pos += n;
      let buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = buf.indexOf(0x0a, start); nl >= 0; nl = buf.indexOf(0x0a, start)) {
        yield { line: buf.toString('utf8', start, nl), offset: carryOffset + start, end: carryOffset + nl + 1 };
        start = nl + 1;
      }
      carry = Buffer.from(buf.subarray(start));
      carryOffset += start;
      buf = carry;
    }
  } finally {
    closeSync(fd);
  }
}

/** An entry with where its line sits in the journal. */
export interface LocatedEntry {
  readonly entry: JournalEntry;
  readonly location: JournalLocation;
  /** The journal line as written, when it was read from the journal (for a hash check on its bytes). */
  readonly line?: string;
}

/** Yields every journal entry in sequence order, starting at `fromSeq`. Unparsable lines throw. */
export function* readJournal(dir: string, fromSeq = 1): Generator<JournalEntry> {
  for (const { entry } of readJournalLocated(dir, fromSeq)) yield entry;
}

/** Like readJournal, with each entry's segment, offset and length. */
export function* readJournalLocated(dir: string, fromSeq = 1): Generator<LocatedEntry> {
  const segments = listSegments(dir);
  for (let i = 0; i < segments.length; i++) {
    const next = segments[i + 1];
    if (next && next.firstSeq <= fromSeq) continue;
    const seg = segments[i]!;
    const segment = basename(seg.path);
    for (const { line, offset, end } of readLines(seg.path)) {
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        throw new Error(`Journal line at ${seg.path}:${offset} is not JSON; run \`agenttrail verify\` for details.`);
      }
      if (entry.seq >= fromSeq) yield { entry, location: { segment, offset, length: end - offset - 1 }, line };
    }
  }
}

/** The last complete entry of a segment file, or undefined when it holds none. */
export function lastEntryOf(segmentPath: string): JournalEntry | undefined {
  let last: string | undefined;
  for (const { line } of readLines(segmentPath)) last = line;
  return last ? (JSON.parse(last) as JournalEntry) : undefined;
}

/** The newest entry of the journal (without verifying the chain), or undefined when it is empty. */
export function journalHead(dir: string): JournalEntry | undefined {
  for (const seg of listSegments(dir).reverse()) {
    const last = lastEntryOf(seg.path);
    if (last) return last;
  }
  return undefined;
}

export interface VerifyResult {
  readonly entries: number;
  readonly lastSeq: number;
  readonly lastHash: string;
  readonly firstBreak?: ChainBreak & { readonly segment: string };
}

/** Walks the whole chain and reports the first broken link, if any. */
export function verifyJournal(dir: string): VerifyResult {
  // After retention, the chain starts at the anchor: the last entry that was archived or deleted.
  const anchor = readJsonIfExists<{ seq: number; hash: string }>(join(dir, 'anchor.json'));
  let prev = anchor?.hash ?? GENESIS_HASH;
  let expected = (anchor?.seq ?? 0) + 1;
  let entries = 0;
  for (const seg of listSegments(dir)) {
    for (const { line } of readLines(seg.path)) {
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        return { entries, lastSeq: expected - 1, lastHash: prev, firstBreak: { kind: 'hash_mismatch', seq: expected, segment: seg.path } };
      }
      const problem = checkLink(entry, prev, expected, line);
      if (problem) return { entries, lastSeq: expected - 1, lastHash: prev, firstBreak: { ...problem, segment: seg.path } };
      prev = entry.hash;
      expected = entry.seq + 1;
      entries++;
    }
  }
  return { entries, lastSeq: expected - 1, lastHash: prev };
}

/** Reads entries at known locations (one pread each); a missing or changed line yields undefined. */
export function readEntriesAt(dir: string, locations: readonly JournalLocation[]): (JournalEntry | undefined)[] {
  const fds = new Map<string, number>();
  try {
    return locations.map((loc) => {
      try {
        let fd = fds.get(loc.segment);
        if (fd === undefined) fds.set(loc.segment, (fd = openSync(join(dir, loc.segment), 'r')));
        const buf = Buffer.allocUnsafe(loc.length);
        const n = readSync(fd, buf, 0, loc.length, loc.offset);
        return JSON.parse(buf.toString('utf8', 0, n)) as JournalEntry;
      } catch {
        return undefined;
      }
    });
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
}
