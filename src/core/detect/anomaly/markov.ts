/**
 * Detector 2 of security reference C.2: smoothed first-order Markov surprise on tool tokens, per
 * user. P(t|prev) = (c(prev,t)+α)/(c(prev)+α·(V+1)); each transition scores −log2 P, averaged over
 * a window of w; a session alerts (once) when a window score exceeds the 98th percentile of
 * per-session maxima from clean history, once at least `minSessions` maxima exist. Transitions in
 * alerting windows are not learned; an alerting session's maximum enters the history clipped to
 * the threshold, so attacks cannot raise it and the threshold does not creep down.
 */
import { z } from 'zod';
import { type Candidate, count, fmt, num, percentile, touch, trim } from './util.js';

export interface MarkovConfig {
  alpha: number;
  window: number;
  percentile: number;
  /** Per-session maxima needed before the detector alerts. */
  minSessions: number;
  /** Per-session maxima kept per user (a ring). */
  historySessions: number;
  /** Distinct tokens (V) and transitions kept per user, least recently seen dropped first. */
  maxTokens: number;
  maxTransitions: number;
  maxUsers: number;
}

export const MARKOV_DEFAULTS: MarkovConfig = { alpha: 0.5, window: 3, percentile: 98, minSessions: 20, historySessions: 100, maxTokens: 2000, maxTransitions: 20_000, maxUsers: 500 };

/** Token before the first tool call of a session. */
export const START = '^';
const SEP = '\u0000';

interface Model { pairs: Map<string, number>; rows: Map<string, number>; vocab: Map<string, number>; total: number; maxima: number[] }
interface Step { s: number; prev: string; t: string; c: number }
interface Session { user: string; prev: string; window: Step[]; max: number; n: number; alerted: boolean }

const stepSchema = z.tuple([num, z.string(), z.string(), count]);
export const markovSchema = z.object({
  users: z.array(z.tuple([z.string(), z.object({ pairs: z.array(z.tuple([z.string(), count])), vocab: z.array(z.tuple([z.string(), num])), maxima: z.array(num) })])),
  sessions: z.array(z.tuple([z.string(), z.object({ user: z.string(), prev: z.string(), window: z.array(stepSchema), max: num, n: count, alerted: z.boolean() })])),
});
export type MarkovSnapshot = z.infer<typeof markovSchema>;

export class Markov {
  private readonly users = new Map<string, Model>();
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly cfg: MarkovConfig, snapshot?: MarkovSnapshot) {
    for (const [user, m] of snapshot?.users ?? []) {
      const model: Model = { pairs: new Map(m.pairs), rows: new Map(), vocab: new Map(m.vocab), total: 0, maxima: [...m.maxima] };
      for (const [key, c] of model.pairs) this.count(model, key.slice(0, key.indexOf(SEP)), c);
      this.users.set(user, model);
    }
    for (const [id, s] of snapshot?.sessions ?? []) this.sessions.set(id, { ...s, window: s.window.map(([sc, prev, t, c]) => ({ s: sc, prev, t, c })) });
  }

  /** The alert threshold for a user, or null while fewer than `minSessions` maxima exist. */
  threshold(user: string): number | null {
    const maxima = this.users.get(user)?.maxima ?? [];
    return maxima.length < this.cfg.minSessions ? null : percentile(maxima, this.cfg.percentile);
  }

  observe(user: string, sessionId: string, tokens: readonly string[], now: number): Candidate | null {
    const m = this.model(user);
    let s = this.sessions.get(sessionId);
    if (!s) {
      s = { user, prev: START, window: [], max: 0, n: 0, alerted: false };
      this.sessions.set(sessionId, s);
    }
    const threshold = this.threshold(user);
    const { alpha, window } = this.cfg;
    let out: Candidate | null = null;
    for (const t of tokens) {
      const c = m.pairs.get(s.prev + SEP + t) ?? 0;
      const p = (c + alpha) / ((m.rows.get(s.prev) ?? 0) + alpha * (m.vocab.size + 1));
      s.window.push({ s: -Math.log2(p), prev: s.prev, t, c });
      if (s.window.length > window) s.window.shift();
      const score = s.window.reduce((a, x) => a + x.s, 0) / s.window.length;
      s.max = Math.max(s.max, score);
      s.n++;
      const alerting = threshold !== null && score > threshold;
      if (alerting && !s.alerted) {
        s.alerted = true;
        const worst = s.window.reduce((a, x) => (x.s > a.s ? x : a));
        const pair = `${worst.prev} → ${worst.t}`;
        out = {
          detector: 'markov', entity: `u:${user}`, token: pair, score,
          evidence: pair,
          note: `\`${pair}\` seen ${fmt(worst.c)} times in ${fmt(m.total)} transitions (window surprise ${fmt(score)} bits > ${fmt(threshold)}, the ${this.cfg.percentile}th percentile of ${m.maxima.length} sessions' maxima).`,
        };
      }
      if (!alerting) this.learn(m, s.prev, t, now);
      s.prev = t;
    }
    return out;
  }

  /** Ends a session: its maximum window score joins the user's history (clipped if it alerted). */
  close(sessionId: string): void {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    this.sessions.delete(sessionId);
    const m = this.users.get(s.user);
    if (!m || s.n === 0) return;
    const threshold = this.threshold(s.user);
    m.maxima.push(s.alerted && threshold !== null ? Math.min(s.max, threshold) : s.max);
    if (m.maxima.length > this.cfg.historySessions) m.maxima.splice(0, m.maxima.length - this.cfg.historySessions);
  }

  snapshot(): MarkovSnapshot {
    return {
      users: [...this.users].map(([u, m]) => [u, { pairs: [...m.pairs], vocab: [...m.vocab], maxima: [...m.maxima] }]),
      sessions: [...this.sessions].map(([id, s]) => [id, { ...s, window: s.window.map((x) => [x.s, x.prev, x.t, x.c] as [number, string, string, number]) }]),
    };
  }

  stats(): { users: number; transitions: number; sessions: number } {
    let transitions = 0;
    for (const m of this.users.values()) transitions += m.total;
    return { users: this.users.size, transitions, sessions: this.sessions.size };
  }

  private model(user: string): Model {
    const m = this.users.get(user) ?? { pairs: new Map(), rows: new Map(), vocab: new Map(), total: 0, maxima: [] };
    touch(this.users, user, m);
    trim(this.users, this.cfg.maxUsers);
    return m;
  }

  private learn(m: Model, prev: string, t: string, now: number): void {
    const key = prev + SEP + t;
    touch(m.pairs, key, (m.pairs.get(key) ?? 0) + 1);
    this.count(m, prev, 1);
    touch(m.vocab, t, now);
    trim(m.vocab, this.cfg.maxTokens);
    trim(m.pairs, this.cfg.maxTransitions, (k, c) => this.count(m, k.slice(0, k.indexOf(SEP)), -c));
  }

  private count(m: Model, prev: string, by: number): void {
    const r = (m.rows.get(prev) ?? 0) + by;
    if (r > 0) m.rows.set(prev, r);
    else m.rows.delete(prev);
    m.total += by;
  }
}
