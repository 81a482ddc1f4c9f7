/**
 * Per-sink cursors: each sink's ledger of how far it has consumed the journal (style.md 8.1 point 4).
 *
 *   <stateDir>/cursors/<sinkId>.json   {"v":1,"seq":42,"hash":"<sha256 of entry 42>","updated":"…"}   (0600, atomic)
 *
 *   journal   1  2  …  41  [42]  43  44  …  head
 *                           ^ cursor: last entry delivered, dropped or filtered out; reading resumes at 43
 *
 * seq 0 with the genesis hash means "nothing consumed yet". The hash ties the cursor to one chain: a
 * journal that was wiped or rebuilt holds a different entry (or none) at that seq, which is reported
 * as a mismatch instead of silently skipping or resending. Entries that retention removed before the
 * sink got to them are a gap ("pruned"), not a mismatch.
 */
import { join } from 'node:path';
import { GENESIS_HASH } from '../../core/chain/entry.js';
import { journalHead, readJournal } from '../../journal/reader.js';
import { ensurePrivateDir, readJsonIfExists, writeFileAtomic } from '../../platform/fs.js';
import { messageOf } from '../../errors.js';

/** A position in the journal: the last consumed entry's seq and hash. */
export interface Cursor {
  readonly seq: number;
  readonly hash: string;
}

/** The cursor before the first entry. */
export const START_CURSOR: Cursor = { seq: 0, hash: GENESIS_HASH };

/** Where to begin when there is no usable cursor: the journal's first entry or its current head. */
export type StartPosition = 'start' | 'head';

const SINK_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Returns the cursor file of a sink, rejecting ids that are not plain file names. */
export function cursorPath(stateDir: string, sinkId: string): string {
  if (!SINK_ID.test(sinkId)) throw new Error(`Sink id ${JSON.stringify(sinkId)} must be letters, digits, '.', '_' or '-'.`);
  return join(stateDir, 'cursors', `${sinkId}.json`);
}

/** Reads a sink's cursor: undefined when there is none; throws when the file is not a cursor. */
export function readCursor(stateDir: string, sinkId: string): Cursor | undefined {
  const raw = readJsonIfExists<{ seq?: unknown; hash?: unknown }>(cursorPath(stateDir, sinkId));
  if (raw === undefined) return undefined;
  const { seq, hash } = raw ?? {};
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0 || typeof hash !== 'string') {
    throw new Error('the cursor file does not hold {seq, hash}');
  }
  return { seq, hash };
}

/** Persists a sink's cursor atomically with mode 0600. */
export function writeCursor(stateDir: string, sinkId: string, cursor: Cursor, nowMs = Date.now()): void {
  const path = cursorPath(stateDir, sinkId);
  ensurePrivateDir(join(stateDir, 'cursors'));
  writeFileAtomic(path, `${JSON.stringify({ v: 1, seq: cursor.seq, hash: cursor.hash, updated: new Date(nowMs).toISOString() })}\n`);
}

/** How a stored cursor relates to the journal. */
export type CursorCheck = { readonly kind: 'ok' } | { readonly kind: 'pruned' } | { readonly kind: 'mismatch'; readonly why: string };

/** Checks that the journal holds the cursor's entry (or retention's anchor at or past it). */
export function checkCursor(journalDir: string, cursor: Cursor): CursorCheck {
  if (cursor.seq === 0) return { kind: 'ok' };
  const found = firstEntryFrom(journalDir, cursor.seq);
  if (found?.seq === cursor.seq) {
    return found.hash === cursor.hash ? { kind: 'ok' } : { kind: 'mismatch', why: `entry ${cursor.seq} has a different hash` };
  }
  const anchor = readJsonIfExists<Cursor>(join(journalDir, 'anchor.json'));
  if (anchor && anchor.seq === cursor.seq) {
    return anchor.hash === cursor.hash ? { kind: 'ok' } : { kind: 'mismatch', why: `entry ${cursor.seq} has a different hash` };
  }
  if (anchor && anchor.seq > cursor.seq) return { kind: 'pruned' };
  return { kind: 'mismatch', why: found ? `the journal has no entry ${cursor.seq}` : `the journal ends before entry ${cursor.seq}` };
}

/** Returns the cursor for a start position: before the first entry, or at the current head. */
export function positionCursor(journalDir: string, position: StartPosition): Cursor {
  if (position === 'start') return START_CURSOR;
  const head = journalHead(journalDir);
  if (head) return { seq: head.seq, hash: head.hash };
  return readJsonIfExists<Cursor>(join(journalDir, 'anchor.json')) ?? START_CURSOR;
}

/** The cursor a runner starts from; `problem` says why the stored one was not used. */
export interface OpenedCursor {
  readonly cursor: Cursor;
  readonly problem?: string;
  /** True when retention removed entries after the cursor before the sink consumed them. */
  readonly pruned?: boolean;
}

/** What openCursor needs. */
export interface OpenCursorOptions {
  readonly stateDir: string;
  readonly sinkId: string;
  readonly journalDir: string;
  /** Where a sink without a cursor file starts. */
  readonly startAt: StartPosition;
  /** Where to restart when the cursor file is unreadable or belongs to another chain. */
  readonly onMismatch: StartPosition;
}

/** Loads and checks a sink's cursor, creating or resetting (and persisting) it when needed. */
export function openCursor(o: OpenCursorOptions): OpenedCursor {
  const reset = (position: StartPosition, problem?: string): OpenedCursor => {
    const cursor = positionCursor(o.journalDir, position);
    writeCursor(o.stateDir, o.sinkId, cursor);
    return problem === undefined ? { cursor } : { cursor, problem };
  };
  let stored: Cursor | undefined;
  try {
    stored = readCursor(o.stateDir, o.sinkId);
  } catch (err) {
    return reset(o.onMismatch, `its cursor file is unreadable (${messageOf(err)})`);
  }
  if (!stored) return reset(o.startAt);
  const check = checkCursor(o.journalDir, stored);
  if (check.kind === 'mismatch') return reset(o.onMismatch, `its cursor belongs to a different journal (${check.why})`);
  return check.kind === 'pruned' ? { cursor: stored, pruned: true } : { cursor: stored };
}

function firstEntryFrom(journalDir: string, seq: number): Cursor | undefined {
  for (const entry of readJournal(journalDir, seq)) return { seq: entry.seq, hash: entry.hash };
  return undefined;
}
