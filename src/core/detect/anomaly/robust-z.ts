/**
 * Detector 3 of security reference C.2: robust (modified) z-scores of per-session rate features
 * against a ring of the user's last sessions: z = 0.6745·(x − median)/max(MAD, floor), flagged
 * at |z| > 3.5 once ≥ 10 sessions are in the ring. All features only grow during a session, so a
 * running session is checked on every tool call for the high side; the low side is only judged
 * when the session ends. Each feature alerts at most once per session, and a feature that alerted
 * is not added to the ring (a detector never learns from what it alerted on).
 */
import { z } from 'zod';
import type { FeatureDelta } from './tokens.js';
import { type Candidate, count, fmt, median, MINUTE, num, touch, trim } from './util.js';

export const FEATURES = ['eventsPerMin', 'reads', 'outPaths', 'netTools', 'bytesWritten', 'subagents'] as const;
export type Feature = (typeof FEATURES)[number];

const LABELS: Record<Feature, string> = {
  eventsPerMin: 'tool calls in one minute (peak)', reads: 'file reads', outPaths: 'distinct paths outside the project',
  netTools: 'network-tool invocations', bytesWritten: 'bytes written', subagents: 'subagents spawned',
};

export interface RobustZConfig {
  threshold: number;
  minSessions: number;
  /** Ring size per user and feature. */
  historySessions: number;
  madFloor: number;
  /** Also flag unusually low values when a session ends (|z|, as in the reference). */
  twoSided: boolean;
  maxUsers: number;
  /** Distinct out-of-project paths remembered per running session. */
  maxPathsPerSession: number;
}

export const ROBUST_Z_DEFAULTS: RobustZConfig = { threshold: 3.5, minSessions: 10, historySessions: 50, madFloor: 1, twoSided: true, maxUsers: 500, maxPathsPerSession: 1000 };

type Values = Record<Feature, number>;
interface Session { user: string; minute: number; inMinute: number; f: Values; paths: Set<string>; fired: Feature[] }

const values = z.object(Object.fromEntries(FEATURES.map((f) => [f, num])) as Record<Feature, typeof num>);
const rings = z.object(Object.fromEntries(FEATURES.map((f) => [f, z.array(num)])) as Record<Feature, z.ZodArray<typeof num>>);
export const robustZSchema = z.object({
  users: z.array(z.tuple([z.string(), rings])),
  sessions: z.array(z.tuple([z.string(), z.object({ user: z.string(), minute: num, inMinute: count, f: values, paths: z.array(z.string()), fired: z.array(z.enum(FEATURES)) })])),
});
export type RobustZSnapshot = z.infer<typeof robustZSchema>;

const zeros = (): Values => ({ eventsPerMin: 0, reads: 0, outPaths: 0, netTools: 0, bytesWritten: 0, subagents: 0 });
const emptyRings = (): Record<Feature, number[]> => ({ eventsPerMin: [], reads: [], outPaths: [], netTools: [], bytesWritten: [], subagents: [] });

export class RobustZ {
  private readonly users = new Map<string, Record<Feature, number[]>>();
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly cfg: RobustZConfig, snapshot?: RobustZSnapshot) {
    for (const [user, r] of snapshot?.users ?? []) this.users.set(user, Object.fromEntries(FEATURES.map((f) => [f, [...r[f]]])) as Record<Feature, number[]>);
    for (const [id, s] of snapshot?.sessions ?? []) this.sessions.set(id, { ...s, f: { ...s.f }, paths: new Set(s.paths), fired: [...s.fired] });
  }

  /** Adds one tool call to its session and returns high-side alerts the running session already earns. */
  observe(user: string, sessionId: string, delta: FeatureDelta, now: number): Candidate[] {
    let s = this.sessions.get(sessionId);
    if (!s) {
      s = { user, minute: -1, inMinute: 0, f: zeros(), paths: new Set(), fired: [] };
      this.sessions.set(sessionId, s);
    }
    const minute = Math.floor(now / MINUTE);
    s.inMinute = minute === s.minute ? s.inMinute + 1 : 1;
    s.minute = minute;
    s.f.eventsPerMin = Math.max(s.f.eventsPerMin, s.inMinute);
    s.f.reads += delta.reads;
    s.f.netTools += delta.netTools;
    s.f.bytesWritten += delta.bytesWritten;
    s.f.subagents += delta.subagents;
    for (const p of delta.outPaths) if (s.paths.size < this.cfg.maxPathsPerSession) s.paths.add(p);
    s.f.outPaths = s.paths.size;
    return this.check(sessionId, false);
  }

  /** Scores a session's features against the user's ring; `ended` also allows the low side. */
  check(sessionId: string, ended: boolean): Candidate[] {
    const s = this.sessions.get(sessionId);
    const ring = s && this.users.get(s.user);
    if (!s || !ring) return [];
    const out: Candidate[] = [];
    for (const f of FEATURES) {
      const hist = ring[f];
      if (s.fired.includes(f) || hist.length < this.cfg.minSessions) continue;
      const med = median(hist);
      const mad = Math.max(median(hist.map((x) => Math.abs(x - med))), this.cfg.madFloor);
      const z = (0.6745 * (s.f[f] - med)) / mad;
      if (!(z > this.cfg.threshold || (ended && this.cfg.twoSided && z < -this.cfg.threshold))) continue;
      s.fired.push(f);
      out.push({
        detector: 'robust-z', entity: `u:${s.user}`, token: f, score: Math.abs(z),
        evidence: `${f}=${s.f[f]}`,
        note: `Session has ${fmt(s.f[f])} ${LABELS[f]}; user \`${s.user}\`'s last ${hist.length} sessions: median ${fmt(med)}, MAD ${fmt(mad)} (modified z ${fmt(z)}, threshold ±${fmt(this.cfg.threshold)}).`,
      });
    }
    return out;
  }

  /** Ends a session: features that did not alert join the user's rings. */
  close(sessionId: string): void {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    this.sessions.delete(sessionId);
    const ring = this.users.get(s.user) ?? emptyRings();
    touch(this.users, s.user, ring);
    trim(this.users, this.cfg.maxUsers);
    for (const f of FEATURES) {
      if (s.fired.includes(f)) continue;
      ring[f].push(s.f[f]);
      if (ring[f].length > this.cfg.historySessions) ring[f].splice(0, ring[f].length - this.cfg.historySessions);
    }
  }

  snapshot(): RobustZSnapshot {
    return {
      users: [...this.users].map(([u, r]) => [u, Object.fromEntries(FEATURES.map((f) => [f, [...r[f]]])) as Record<Feature, number[]>]),
      sessions: [...this.sessions].map(([id, s]) => [id, { ...s, f: { ...s.f }, paths: [...s.paths], fired: [...s.fired] }]),
    };
  }

  stats(): { users: number; sessions: number } {
    return { users: this.users.size, sessions: this.sessions.size };
  }
}
