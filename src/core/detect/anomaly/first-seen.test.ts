import { describe, expect, it } from 'vitest';
import { FIRST_SEEN_DEFAULTS, FirstSeen } from './first-seen.js';
import type { AnomalyInput } from './tokens.js';
import { DAY, HOUR } from './util.js';

const T0 = Date.UTC(2026, 0, 5, 9);
const NONE = { reads: 0, bytesWritten: 0, netTools: 0, subagents: 0, outPaths: [] };

/** A PreToolUse input whose shell ran `bins`. */
const ran = (bins: string[], project = '/work/app', user = 'alice'): AnomalyInput => ({
  kind: 'tool', user, project, sessionId: 's', time: NaN, tokens: bins.map((b) => `Bash:${b}`), values: bins.map((value) => ({ kind: 'bin', value })), delta: NONE,
});

/** Feeds `events` routine commands spread over `days`; returns the time just after. */
function warmUp(fs: FirstSeen, { events = 200, days = 8, start = T0, bins = ['git', 'ls', 'npm', 'cat'], project = '/work/app' } = {}): number {
  for (let i = 0; i < events; i++) fs.observe(ran([bins[i % bins.length]!], project), start + (i * days * DAY) / events);
  return start + days * DAY;
}

describe('first-seen detector', () => {
  it('flags the first nslookup a user runs after the warm-up', () => {
    const fs = new FirstSeen(FIRST_SEEN_DEFAULTS);
    const t = warmUp(fs);
    const hits = fs.observe(ran(['git', 'nslookup']), t);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ detector: 'first-seen', entity: 'u:alice', token: 'bin:nslookup', evidence: 'nslookup', score: 1 });
    expect(hits[0]!.note).toBe('First time user `alice` ran `nslookup` in 8 days, 200 events of history.');
  });

  it.each([
    ['too few events', { events: 199, days: 8 }],
    ['too few days', { events: 500, days: 6 }],
  ])('stays quiet during the warm-up (%s)', (_, opts) => {
    const fs = new FirstSeen(FIRST_SEEN_DEFAULTS);
    const t = warmUp(fs, opts);
    expect(fs.observe(ran(['nslookup']), t)).toEqual([]);
  });

  it('fires once, then suppresses repeats for 24 h and learns them', () => {
    const fs = new FirstSeen(FIRST_SEEN_DEFAULTS);
    const t = warmUp(fs);
    expect(fs.observe(ran(['nslookup']), t)).toHaveLength(1);
    expect(fs.observe(ran(['nslookup']), t + 1 * HOUR)).toEqual([]);
    expect(fs.observe(ran(['nslookup']), t + 23 * HOUR)).toEqual([]);
    expect(fs.observe(ran(['nslookup']), t + 30 * HOUR)).toEqual([]);
  });

  it('fires again after 24 h when the value was only ever seen in its alert', () => {
    const fs = new FirstSeen(FIRST_SEEN_DEFAULTS);
    const t = warmUp(fs);
    expect(fs.observe(ran(['nslookup']), t)).toHaveLength(1);
    expect(fs.observe(ran(['nslookup']), t + 25 * HOUR)).toHaveLength(1);
  });

  it.each([
    [89, 0],
    [91, 1],
  ])('forgets a value after 90 days without it (%i days later: %i hits)', (days, expected) => {
    const fs = new FirstSeen(FIRST_SEEN_DEFAULTS);
    let t = warmUp(fs, { bins: ['git', 'dig'] });
    const end = t + days * DAY;
    for (; t < end; t += 6 * HOUR) fs.observe(ran(['git']), t);
    fs.sweep(end);
    expect(fs.observe(ran(['dig']), end)).toHaveLength(expected);
  });

  it('restarts the warm-up for a user idle longer than the decay window', () => {
    const fs = new FirstSeen(FIRST_SEEN_DEFAULTS);
    const t = warmUp(fs);
    expect(fs.observe(ran(['nslookup']), t + 100 * DAY)).toEqual([]);
    expect(fs.stats().entities).toBe(2);
  });

  it('flags a tool the user knows but has never run in a warmed-up project', () => {
    const fs = new FirstSeen(FIRST_SEEN_DEFAULTS);
    warmUp(fs, { project: '/work/a', bins: ['git', 'docker'] });
    const t = warmUp(fs, { project: '/work/b', bins: ['git', 'make'] });
    const hits = fs.observe(ran(['docker'], '/work/b'), t);
    expect(hits).toMatchObject([{ entity: 'up:alice\u0000/work/b', token: 'bin:docker' }]);
    expect(hits[0]!.note).toContain('in project `/work/b`');
  });

  it('keeps at most maxTokensPerEntity values, dropping the least recently seen', () => {
    const fs = new FirstSeen({ ...FIRST_SEEN_DEFAULTS, maxTokensPerEntity: 50 });
    for (let i = 0; i < 120; i++) fs.observe(ran([`tool${i}`]), T0 + i * HOUR);
    expect(fs.stats()).toEqual({ entities: 2, values: 100 });
  });
});
