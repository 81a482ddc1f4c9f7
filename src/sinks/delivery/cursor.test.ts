import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../../test/helpers/tmp.js';
import type { AgentEvent } from '../../core/event/schema.js';
import { JournalWriter } from '../../journal/writer.js';
import { checkCursor, cursorPath, openCursor, readCursor, START_CURSOR, writeCursor } from './cursor.js';

const event = (n: number, tag = 'a') => ({ timestamp: new Date(1_700_000_000_000 + n).toISOString(), event_type: 'prompt', raw: { n, tag } }) as unknown as AgentEvent;

/** Writes entries 1..count to a fresh journal and returns the entries. */
function journal(dir: string, count: number, tag = 'a') {
  const w = JournalWriter.open({ dir, host: 'h', maxSegmentBytes: 1 << 20, tailEntries: 10 });
  const entries = Array.from({ length: count }, (_, i) => w.append(event(i + 1, tag), `r${i + 1}`));
  w.close();
  return entries;
}

describe('cursor files', () => {
  it('round-trips seq and hash through an owner-only file', () => {
    const state = tmpDir();
    expect(readCursor(state, 'loki')).toBeUndefined();
    writeCursor(state, 'loki', { seq: 42, hash: 'ab'.repeat(32) });
    expect(readCursor(state, 'loki')).toEqual({ seq: 42, hash: 'ab'.repeat(32) });
    expect(statSync(cursorPath(state, 'loki')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(cursorPath(state, 'loki'), 'utf8'))).toMatchObject({ v: 1, seq: 42 });
  });

  it('rejects sink ids that are not plain file names', () => {
    expect(() => cursorPath('/x', '../etc/passwd')).toThrow(/Sink id/);
  });
});

describe('checkCursor', () => {
  it('accepts a cursor whose entry is in the journal with the same hash', () => {
    const dir = tmpDir();
    const entries = journal(dir, 5);
    expect(checkCursor(dir, { seq: 3, hash: entries[2]!.hash })).toEqual({ kind: 'ok' });
    expect(checkCursor(dir, START_CURSOR)).toEqual({ kind: 'ok' });
  });

  it('reports a journal that was rebuilt with different entries', () => {
    const dir = tmpDir();
    const old = journal(dir, 5);
    const rebuilt = tmpDir();
    journal(rebuilt, 5, 'b');
    expect(checkCursor(rebuilt, { seq: 3, hash: old[2]!.hash })).toMatchObject({ kind: 'mismatch', why: 'entry 3 has a different hash' });
  });

  it('reports a journal that ends before the cursor (wiped)', () => {
    const dir = tmpDir();
    const old = journal(dir, 5);
    const wiped = tmpDir();
    journal(wiped, 2);
    expect(checkCursor(wiped, { seq: 5, hash: old[4]!.hash })).toMatchObject({ kind: 'mismatch', why: 'the journal ends before entry 5' });
  });

  it('treats entries removed by retention as a gap, not a mismatch', () => {
    const dir = tmpDir();
    const entries = journal(dir, 5);
    writeFileSync(join(dir, 'anchor.json'), JSON.stringify({ seq: 9, hash: 'f'.repeat(64) }));
    expect(checkCursor(dir, { seq: 7, hash: entries[4]!.hash })).toEqual({ kind: 'pruned' });
  });
});

describe('openCursor', () => {
  const open = (journalDir: string, stateDir: string, startAt: 'start' | 'head', onMismatch: 'start' | 'head' = 'start') =>
    openCursor({ journalDir, stateDir, sinkId: 's', startAt, onMismatch });

  it('creates a missing cursor at the start or the head of the journal and persists it', () => {
    const dir = tmpDir();
    const entries = journal(dir, 4);
    expect(open(dir, tmpDir(), 'start')).toEqual({ cursor: START_CURSOR });
    const state = tmpDir();
    expect(open(dir, state, 'head')).toEqual({ cursor: { seq: 4, hash: entries[3]!.hash } });
    expect(readCursor(state, 's')).toEqual({ seq: 4, hash: entries[3]!.hash });
  });

  it('resets a cursor from another chain, reports why, and persists the reset', () => {
    const dir = tmpDir();
    const entries = journal(dir, 4, 'new');
    const state = tmpDir();
    writeCursor(state, 's', { seq: 2, hash: 'e'.repeat(64) });
    const opened = open(dir, state, 'start', 'head');
    expect(opened.problem).toMatch(/different journal \(entry 2 has a different hash\)/);
    expect(opened.cursor).toEqual({ seq: 4, hash: entries[3]!.hash });
    expect(readCursor(state, 's')?.seq).toBe(4);
  });

  it('resets an unreadable cursor file instead of failing', () => {
    const dir = tmpDir();
    journal(dir, 2);
    const state = tmpDir();
    writeCursor(state, 's', START_CURSOR);
    writeFileSync(cursorPath(state, 's'), '{torn');
    expect(open(dir, state, 'head', 'start')).toMatchObject({ cursor: START_CURSOR, problem: expect.stringMatching(/unreadable/) });
  });
});
