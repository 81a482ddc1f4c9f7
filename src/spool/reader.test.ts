import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../test/helpers/tmp.js';
import { encodeSpoolRecord } from './format.js';
import { scanSpool, type ScanOptions } from './reader.js';

const header = (id: string, pid: number) => ({ event: 'PreToolUse', transport: 'command', pid, ppid: 1, id, projectDir: '/p', agent: '-' });
const options = (over: Partial<ScanOptions> = {}): ScanOptions => ({
  maxRecordBytes: 1 << 20, maxRecords: 100, deadWriterGraceMs: 2000, abandonAfterMs: 600_000, nowMs: Date.now(), isAlive: () => false, ...over,
});

function put(dir: string, name: string, bytes: Buffer, ageMs = 0): void {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(path, t, t);
}

describe('scanSpool', () => {
  it('returns complete records and leaves records of live writers pending', () => {
    const dir = tmpDir();
    put(dir, 'a.rec', encodeSpoolRecord(header('a', 1), Buffer.from('{}')));
    put(dir, 'b.rec', encodeSpoolRecord(header('b', 77), Buffer.from('{"x":')).subarray(0, -3), 60_000);
    const r = scanSpool(dir, options({ isAlive: (pid) => pid === 77 }));
    expect(r.ready.map((x) => x.record.id)).toEqual(['a']);
    expect(r.pending).toBe(1);
    expect(r.bad).toEqual([]);
  });

  it('waits out the grace period before calling a dead writer’s record truncated', () => {
    const dir = tmpDir();
    const torn = encodeSpoolRecord(header('c', 99), Buffer.from('{"x":1}')).subarray(0, -4);
    put(dir, 'c.rec', torn, 500);
    expect(scanSpool(dir, options()).pending).toBe(1);
    put(dir, 'c.rec', torn, 5000);
    expect(scanSpool(dir, options()).bad.map((b) => b.reason)).toEqual(['truncated']);
  });

  it('quarantines records above the size limit without parsing them', () => {
    const dir = tmpDir();
    put(dir, 'd.rec', encodeSpoolRecord(header('d', 1), Buffer.alloc(5000, 0x20)));
    expect(scanSpool(dir, options({ maxRecordBytes: 4096 })).bad.map((b) => b.reason)).toEqual(['too_large']);
  });

  it('takes at most maxRecords per scan, oldest first, and counts the rest as deferred', () => {
    const dir = tmpDir();
    for (let i = 0; i < 5; i++) put(dir, `r${i}.rec`, encodeSpoolRecord(header(`r${i}`, 1), Buffer.from('{}')), 10_000 - i * 1000);
    const r = scanSpool(dir, options({ maxRecords: 3 }));
    expect(r.ready.map((x) => x.record.id)).toEqual(['r0', 'r1', 'r2']);
    expect(r.deferred).toBe(2);
  });

  it('ignores files that are not records (the daemon’s temp files)', () => {
    const dir = tmpDir();
    put(dir, '.x.tmp', Buffer.from('partial'));
    expect(scanSpool(dir, options())).toMatchObject({ ready: [], bad: [], pending: 0 });
  });
});
