import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../test/helpers/tmp.js';
import type { AgentEvent } from '../core/event/schema.js';
import { readJournal, verifyJournal } from './reader.js';
import { listSegments } from './segments.js';
import { JournalWriter } from './writer.js';

const event = (n: number) => ({ timestamp: new Date(1_700_000_000_000 + n).toISOString(), event_type: 'prompt', raw: { n } }) as unknown as AgentEvent;
const open = (dir: string, maxSegmentBytes = 1 << 20) => JournalWriter.open({ dir, host: 'h', maxSegmentBytes, tailEntries: 100 });

function write(dir: string, from: number, to: number, maxSegmentBytes?: number): void {
  const j = open(dir, maxSegmentBytes);
  for (let i = from; i <= to; i++) {
    j.append(event(i), `r${i}`);
    if (i % 3 === 0) j.commit();
  }
  j.close();
}

describe('JournalWriter', () => {
  it('continues the chain across reopen and segment rotation', () => {
    const dir = tmpDir();
    write(dir, 1, 20, 600);
    write(dir, 21, 30, 600);
    expect(listSegments(dir).length).toBeGreaterThan(2);
    expect(verifyJournal(dir)).toMatchObject({ entries: 30, lastSeq: 30 });
    expect([...readJournal(dir)].map((e) => e.source_id)).toEqual(Array.from({ length: 30 }, (_, i) => `r${i + 1}`));
  });

  it('writes segments readable only by the owner', () => {
    const dir = tmpDir();
    write(dir, 1, 2);
    expect(statSync(listSegments(dir)[0]!.path).mode & 0o777).toBe(0o600);
  });

  it('cuts a torn last line on open and reports its size', () => {
    const dir = tmpDir();
    write(dir, 1, 5);
    const seg = listSegments(dir)[0]!.path;
    const torn = '{"v":1,"seq":6,"ho';
    appendFileSync(seg, torn);
    const j = open(dir);
    expect(j.recovered.tornBytes).toBe(torn.length);
    expect(j.head.seq).toBe(5);
    j.append(event(6), 'r6');
    j.close();
    expect(verifyJournal(dir)).toMatchObject({ entries: 6 });
  });

  it('refuses to open, changing nothing, when a complete line in the middle is damaged', () => {
    const dir = tmpDir();
    write(dir, 1, 5);
    const seg = listSegments(dir)[0]!.path;
    const lines = readFileSync(seg, 'utf8').split('\n');
    lines[2] = '{damaged';
    writeFileSync(seg, lines.join('\n'));
    const before = readFileSync(seg);
    expect(() => open(dir)).toThrow(/damaged entry/);
    expect(readFileSync(seg).equals(before)).toBe(true);
  });

  it('keeps the newest entries for state replay', () => {
    const dir = tmpDir();
    write(dir, 1, 7);
    const j = open(dir);
    expect(j.recovered.tail.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    j.close();
  });
});
