import { describe, expect, it } from 'vitest';
import { ROBUST_Z_DEFAULTS, RobustZ } from './robust-z.js';
import type { FeatureDelta } from './tokens.js';
import type { Candidate } from './util.js';
import { HOUR, MINUTE } from './util.js';

const T0 = Date.UTC(2026, 0, 5, 9);
const READ: FeatureDelta = { reads: 1, bytesWritten: 0, netTools: 0, subagents: 0, outPaths: [] };
const EDIT: FeatureDelta = { ...READ, reads: 0, bytesWritten: 200 };

/** Runs one session of `deltas`, one tool call per minute from `start`; returns every candidate, end included. */
function session(z: RobustZ, id: string, deltas: FeatureDelta[], start: number, end = true): Candidate[] {
  const out = deltas.flatMap((d, i) => z.observe('alice', id, d, start + i * MINUTE));
  if (!end) return out;
  out.push(...z.check(id, true));
  z.close(id);
  return out;
}

/** Normal sessions: 6–9 reads and a few edits each. */
function normal(z: RobustZ, n: number): number {
  for (let i = 0; i < n; i++) {
    const reads = 6 + (i % 4);
    expect(session(z, `n${i}`, [...Array<FeatureDelta>(reads).fill(READ), EDIT, EDIT, EDIT], T0 + i * HOUR)).toEqual([]);
  }
  return T0 + n * HOUR;
}
const BURST = [...Array<FeatureDelta>(60).fill(READ), EDIT, EDIT, EDIT];

describe('robust z detector', () => {
  it('flags a burst session of 60 reads after 10 normal sessions, while it runs and once', () => {
    const z = new RobustZ(ROBUST_Z_DEFAULTS);
    const t = normal(z, 10);
    const running = session(z, 'burst', BURST, t, false);
    expect(running.filter((c) => c.token === 'reads')).toHaveLength(1);
    const hit = running.find((c) => c.token === 'reads')!;
    expect(hit).toMatchObject({ detector: 'robust-z', entity: 'u:alice', evidence: 'reads=13' });
    expect(hit.note).toBe("Session has 13 file reads; user `alice`'s last 10 sessions: median 7, MAD 1 (modified z 4.0, threshold ±3.5).");
    expect(z.check('burst', true).filter((c) => c.token === 'reads')).toEqual([]);
  });

  it('does not flag the burst with only 9 sessions of history', () => {
    const z = new RobustZ(ROBUST_Z_DEFAULTS);
    const t = normal(z, 9);
    expect(session(z, 'burst', BURST, t)).toEqual([]);
  });

  it('flags the per-minute peak when tool calls come in a burst', () => {
    const z = new RobustZ(ROBUST_Z_DEFAULTS);
    const t = normal(z, 10);
    const hits = Array.from({ length: 20 }, (_, i) => z.observe('alice', 'fast', EDIT, t + i * 1000)).flat();
    expect(hits.map((c) => c.evidence)).toEqual(['bytesWritten=800', 'eventsPerMin=7']);
  });

  it('judges the low side only when the session ends', () => {
    const z = new RobustZ({ ...ROBUST_Z_DEFAULTS, madFloor: 0.5 });
    const t = normal(z, 10);
    expect(session(z, 'quiet', [EDIT, EDIT, EDIT], t, false)).toEqual([]);
    expect(z.check('quiet', false)).toEqual([]);
    expect(z.check('quiet', true).map((c) => c.evidence)).toEqual(['reads=0']);
  });

  it('keeps alerted features out of the history ring, and at most 50 sessions', () => {
    const z = new RobustZ(ROBUST_Z_DEFAULTS);
    const t = normal(z, 10);
    session(z, 'burst', BURST, t);
    const ring = () => z.snapshot().users[0]![1];
    expect(ring().reads).toHaveLength(10);
    expect(ring().bytesWritten).toHaveLength(11);
    normal(z, 60);
    expect(ring().reads).toHaveLength(50);
  });
});
