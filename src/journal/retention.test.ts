import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSyntheticJournal } from '../../test/helpers/generate.js';
import { tmpDir } from '../../test/helpers/tmp.js';
import { readJournal, verifyJournal } from './reader.js';
import { applyRetention, readAnchor } from './retention.js';
import { listSegments } from './segments.js';

const DAY = 86_400_000;
const END = Date.parse('2026-11-20T00:00:00Z');

function tenDays(): string {
  const dir = join(tmpDir(), 'journal');
  writeSyntheticJournal(dir, { events: 5000, startMs: END - 10 * DAY, spanMs: 10 * DAY, seed: 5 });
  return dir;
}

describe('applyRetention', () => {
  it('archives sealed segments older than maxAgeDays and keeps the rest of the chain verifiable', () => {
    const dir = tenDays();
    const archive = join(dir, '..', 'archive');
    const before = listSegments(dir).length;
    expect(before).toBeGreaterThanOrEqual(5);
    const result = applyRetention(dir, { maxAgeDays: 3, action: 'archive', archiveDir: archive }, END);
    expect(result.removed.length).toBeGreaterThan(2);
    expect(readdirSync(archive).sort()).toEqual(result.removed.map((p) => p.split('/').at(-1)).sort());
    const kept = [...readJournal(dir)];
    expect(kept[0]!.seq).toBe(result.removedThroughSeq + 1);
    expect(Date.parse(kept[0]!.event.timestamp)).toBeGreaterThan(END - 5 * DAY);
    expect(readAnchor(dir)).toEqual({ seq: result.removedThroughSeq, hash: kept[0]!.prev });
    expect(verifyJournal(dir).firstBreak).toBeUndefined();
  });

  it('deletes the oldest segments while the journal is larger than maxBytes, never the active one', () => {
    const dir = tenDays();
    const result = applyRetention(dir, { maxBytes: 1, action: 'delete', archiveDir: '/nonexistent' }, END);
    const left = listSegments(dir);
    expect(left).toHaveLength(1);
    expect(result.removed.every((p) => !existsSync(p))).toBe(true);
    expect(verifyJournal(dir).firstBreak).toBeUndefined();
  });

  it('changes nothing when no segment is due', () => {
    const dir = tenDays();
    expect(applyRetention(dir, { maxAgeDays: 30, action: 'delete', archiveDir: '' }, END)).toEqual({ removed: [], removedThroughSeq: 0 });
    expect(readAnchor(dir)).toBeUndefined();
  });
});
