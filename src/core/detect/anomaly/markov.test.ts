import { describe, expect, it } from 'vitest';
import { Markov, MARKOV_DEFAULTS } from './markov.js';
import { HOUR } from './util.js';

const T0 = Date.UTC(2026, 0, 5, 9);

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A clean coding session: explore, then edit/test loops, then commit. */
function cleanSession(random: () => number): string[] {
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const out = ['Bash:git', 'Read:in'];
  for (let i = 0, n = 3 + Math.floor(random() * 4); i < n; i++) {
    out.push(...pick([['Grep', 'Read:in'], ['Read:in'], ['Glob', 'Read:in', 'Read:in']]));
    out.push(...pick([['Edit:in'], ['Edit:in', 'Edit:in'], ['Write:in']]));
    out.push(...pick([['Bash:npm'], ['Bash:npx'], ['Bash:npm', 'Read:in', 'Edit:in', 'Bash:npm']]));
  }
  out.push('Bash:git', 'Bash:git');
  return out;
}

/** Runs sessions of tokens (one event per token); returns how many raised an alert. */
function run(m: Markov, sessions: string[][], tag: string, start = T0): number {
  let alerts = 0;
  sessions.forEach((tokens, i) => {
    const id = `${tag}-${i}`;
    const hits = tokens.map((t, j) => m.observe('alice', id, [t], start + i * HOUR + j * 1000)).filter((h) => h !== null);
    alerts += hits.length;
    m.close(id);
  });
  return alerts;
}

const clean = (n: number, seed: number): string[][] => {
  const random = rng(seed);
  return Array.from({ length: n }, () => cleanSession(random));
};
const EXFIL = ['Bash:git', 'Read:in', 'Grep', 'Read:in', 'Bash:curl', 'Edit:in', 'Bash:npm'];

describe('Markov surprise detector', () => {
  it('flags an unusual transition after training on clean sessions, and explains it', () => {
    const m = new Markov(MARKOV_DEFAULTS);
    expect(run(m, clean(60, 1), 'train')).toBe(0);
    expect(m.threshold('alice')).toBeGreaterThan(0);
    const hits = EXFIL.map((t, j) => m.observe('alice', 'attack', [t], T0 + 100 * HOUR + j)).filter((h) => h !== null);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ detector: 'markov', entity: 'u:alice', evidence: 'Read:in → Bash:curl' });
    expect(hits[0]!.note).toMatch(/^`Read:in → Bash:curl` seen 0 times in [\d,]+ transitions \(window surprise [\d.]+ bits > [\d.]+, the 98th percentile of 60 sessions' maxima\)\.$/);
    expect(hits[0]!.score).toBeGreaterThan(m.threshold('alice')!);
  });

  it('does not flag clean held-out sessions', () => {
    const m = new Markov(MARKOV_DEFAULTS);
    run(m, clean(60, 1), 'train');
    expect(run(m, clean(5, 99), 'held-out', T0 + 200 * HOUR)).toBe(0);
  });

  it('needs minSessions of history before it alerts', () => {
    const m = new Markov(MARKOV_DEFAULTS);
    run(m, clean(19, 1), 'train');
    expect(m.threshold('alice')).toBeNull();
    expect(run(m, [EXFIL], 'attack', T0 + 100 * HOUR)).toBe(0);
  });

  it('does not learn from transitions that alerted', () => {
    const m = new Markov(MARKOV_DEFAULTS);
    run(m, clean(60, 1), 'train');
    expect(run(m, [EXFIL, EXFIL, EXFIL], 'attack', T0 + 100 * HOUR)).toBe(3);
    const pairs = new Map(m.snapshot().users[0]![1].pairs);
    expect(pairs.get('Read:in\u0000Bash:curl')).toBeUndefined();
    expect(pairs.get('Bash:git\u0000Read:in')).toBeGreaterThan(60);
  });

  it('computes P(t|prev) with add-α smoothing over V+1 tokens', () => {
    const m = new Markov({ ...MARKOV_DEFAULTS, window: 1, minSessions: 1 });
    run(m, [['A', 'B', 'A', 'B']], 'train');
    // counts: ^→A 1, A→B 2, B→A 1; V = 2. P(C|B) = (0+.5)/(1+.5·3) = 0.2
    m.close('x');
    const hits = ['A', 'B', 'C'].map((t) => m.observe('alice', 'probe', [t], T0)).filter((h) => h !== null);
    expect(hits.map((h) => h.evidence)).toEqual(['B → C']);
    expect(hits[0]!.score).toBeCloseTo(-Math.log2(0.2), 10);
  });

  it('caps the transitions it keeps per user', () => {
    const m = new Markov({ ...MARKOV_DEFAULTS, maxTransitions: 30, maxTokens: 20 });
    run(m, [Array.from({ length: 500 }, (_, i) => `T${i % 97}`)], 'big');
    expect(m.snapshot().users[0]![1].pairs.length).toBeLessThanOrEqual(30);
    expect(m.snapshot().users[0]![1].vocab.length).toBeLessThanOrEqual(20);
  });
});
