/**
 * The journal: append-only, hash-chained segment files (docs/specs/journal-format.md).
 *
 *   journal/seg-000000000001.jsonl   sealed (never written again)
 *   journal/seg-000000004097.jsonl   active: entries are appended, one canonical JSON line each
 *
 * Invariants: seq has no gaps; entry.prev === previous entry.hash; a batch is fsynced before its
 * sources (spool records) are removed; a segment is only rotated between batches, so the last
 * batch always sits in the last segment. A torn last line (crash mid-write) was never
 * acknowledged to anyone and is cut off on open.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { GENESIS_HASH, sealEntryWithText, type JournalEntry } from '../core/chain/entry.js';
import type { AgentEvent } from '../core/event/schema.js';
import { ensurePrivateDir, fsyncDir } from '../platform/fs.js';
import { lastEntryOf, readLines } from './reader.js';
import { UserError } from '../errors.js';
import { listSegments, segmentName } from './segments.js';

/** Where an entry's line sits: segment file name, byte offset and length (without the newline). */
export interface JournalLocation {
  readonly segment: string;
  readonly offset: number;
  readonly length: number;
}

export interface JournalWriterOptions {
  readonly dir: string;
  readonly host: string;
  readonly maxSegmentBytes: number;
  /** A segment is also sealed once it spans this long (so retention by age has sealed segments to act on). */
  readonly maxSegmentSpanMs?: number;
  /** How many of the newest entries to keep in memory after open (for state replay). */
  readonly tailEntries: number;
}

export class JournalWriter {
  private fd: number | undefined;
  private segmentFile: string | undefined;
  private segmentBytes = 0;
  private segmentFirstMs: number | undefined;
  private pending: string[] = [];
  private lastSeq = 0;
  private lastHash = GENESIS_HASH;
  private lastTime = '';
  /** Entries read at open (newest last), and the number of torn bytes cut off. */
  readonly recovered: { tail: JournalEntry[]; tornBytes: number };

  private constructor(private readonly options: JournalWriterOptions) {
    ensurePrivateDir(options.dir);
    this.recovered = this.recover();
  }

  /** Opens (or creates) the journal in `options.dir`, repairing a torn tail. */
  static open(options: JournalWriterOptions): JournalWriter {
    return new JournalWriter(options);
  }

  get head(): { seq: number; hash: string; timestamp: string } {
    return { seq: this.lastSeq, hash: this.lastHash, timestamp: this.lastTime };
  }

  /** Seals an event into the chain and buffers it; it is durable only after commit(). */
  append(event: AgentEvent, sourceId: string): JournalEntry {
    const sealed = sealEntryWithText({ seq: this.lastSeq + 1, host: this.options.host, source_id: sourceId, prev: this.lastHash, event });
    const entry = sealed.entry;
    this.pending.push(`${sealed.line}\n`);
    this.lastSeq = entry.seq;
    this.lastHash = entry.hash;
    this.lastTime = event.timestamp;
    return entry;
  }

  /** Writes buffered entries and fsyncs them; returns where each landed. Rotates a full segment afterwards. */
  commit(): JournalLocation[] {
    if (this.pending.length === 0) return [];
    const fd = this.activeFd(this.lastSeq - this.pending.length + 1);
    const segment = this.segmentFile!;
    const locations: JournalLocation[] = [];
    let offset = this.segmentBytes;
    for (const line of this.pending) {
      const length = Buffer.byteLength(line) - 1;
      locations.push({ segment, offset, length });
      offset += length + 1;
    }
    const data = Buffer.from(this.pending.join(''), 'utf8');
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
    this.segmentBytes += data.length;
    this.pending = [];
    this.segmentFirstMs ??= Date.parse(this.lastTime);
    const span = Date.parse(this.lastTime) - this.segmentFirstMs;
    if (this.segmentBytes >= this.options.maxSegmentBytes || span >= (this.options.maxSegmentSpanMs ?? 86_400_000)) this.closeSegment();
    return locations;
  }

  close(): void {
    this.commit();
    this.closeSegment();
  }

  private activeFd(firstSeq: number): number {
    if (this.fd !== undefined) return this.fd;
    const name = segmentName(firstSeq);
    const path = join(this.options.dir, name);
    this.segmentFile = name;
    this.fd = openSync(path, 'a', 0o600);
    this.segmentBytes = fstatSync(this.fd).size;
    fsyncDir(this.options.dir);
    return this.fd;
  }

  private closeSegment(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    this.segmentFirstMs = undefined;
  }

  private recover(): { tail: JournalEntry[]; tornBytes: number } {
    const segments = listSegments(this.options.dir);
    const last = segments.at(-1);
    if (!last) return { tail: [], tornBytes: 0 };
    const tail: JournalEntry[] = [];
    let goodEnd = 0;
    for (const { line, offset, end } of readLines(last.path)) {
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        // A complete line that does not parse is damage, not a torn write: keep it as evidence.
        throw new UserError(
          `Journal ${last.path} holds a damaged entry at byte ${offset}; nothing was changed. Run \`agenttrail verify\` to locate it.`,
          'JOURNAL_DAMAGED',
        );
      }
      tail.push(entry);
      if (tail.length > this.options.tailEntries) tail.shift();
      goodEnd = end;
      this.lastSeq = entry.seq;
      this.lastHash = entry.hash;
      this.lastTime = entry.event.timestamp;
    }
    const fd = openSync(last.path, 'r+');
    let tornBytes = 0;
    try {
      const size = fstatSync(fd).size;
      tornBytes = size - goodEnd;
      if (tornBytes > 0) {
        ftruncateSync(fd, goodEnd);
        fsyncSync(fd);
      }
    } finally {
      closeSync(fd);
    }
    if (tail.length === 0 && segments.length > 1) {
      // The newest segment was empty or wholly torn; the head lives in the one before.
      const entry = lastEntryOf(segments.at(-2)!.path);
      if (entry) {
        this.lastSeq = entry.seq;
        this.lastHash = entry.hash;
        this.lastTime = entry.event.timestamp;
      }
    }
    return { tail, tornBytes };
  }
}
