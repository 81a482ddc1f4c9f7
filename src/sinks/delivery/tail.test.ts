import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../../test/helpers/tmp.js';
import type { AgentEvent } from '../../core/event/schema.js';
import { listSegments } from '../../journal/segments.js';
import { JournalWriter } from '../../journal/writer.js';
import { START_CURSOR } from './cursor.js';
import { JournalTail } from './tail.js';

const event = (n: number, tag: string) => ({ timestamp: new Date(1_700_000_000_000 + n).toISOString(), event_type: 'prompt', raw: { n, tag } }) as unknown as AgentEvent;

function write(dir: string, count: number, tag = 'a', maxSegmentBytes = 1 << 20): void {
  const w = JournalWriter.open({ dir, host: 'h', maxSegmentBytes, tailEntries: 10 });
  for (let i = 0; i < count; i++) {
    w.append(event(w.head.seq + 1, tag), `${tag}${i}`);
    w.commit();
  }
  w.close();
}

const pullAll = (tail: JournalTail) => {
  const seqs: number[] = [];
  const result = tail.pull((e) => (seqs.push(e.seq), true));
  return { seqs, result };
};

describe('JournalTail', () => {
  it('follows appends across segment rotation, reading each entry once', () => {
    const dir = tmpDir();
    const tail = new JournalTail(dir, START_CURSOR);
    write(dir, 4, 'a', 700);
    expect(pullAll(tail).seqs).toEqual([1, 2, 3, 4]);
    write(dir, 5, 'a', 700);
    expect(listSegments(dir).length).toBeGreaterThan(2);
    expect(pullAll(tail)).toEqual({ seqs: [5, 6, 7, 8, 9], result: { kind: 'ok', missing: 0 } });
    expect(pullAll(tail).seqs).toEqual([]);
  });

  it('leaves an entry that take() refuses for the next pull', () => {
    const dir = tmpDir();
    write(dir, 3);
    const tail = new JournalTail(dir, START_CURSOR);
    tail.pull((e) => e.seq < 2);
    expect(tail.position.seq).toBe(1);
    expect(pullAll(tail).seqs).toEqual([2, 3]);
  });

  it('reports a mismatch when the journal was rebuilt under it', () => {
    const dir = tmpDir();
    write(dir, 3, 'old');
    const tail = new JournalTail(dir, START_CURSOR);
    pullAll(tail);
    for (const s of listSegments(dir)) rmSync(s.path);
    write(dir, 5, 'new-and-longer-lines');
    expect(pullAll(tail).result).toEqual({ kind: 'mismatch', why: 'entry 4 does not link to entry 3' });
  });
});
