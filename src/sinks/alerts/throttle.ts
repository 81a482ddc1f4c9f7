/**
 * Alert throttling, pure apart from its own memory (the time is passed in): per (rule_id, session_id)
 * the same evidence is delivered once per dedupe window, at most `perRuleSessionLimit` alerts go out
 * per window, and at most `globalPerMinute` in any minute. Suppressed alerts are counted per key and
 * the next delivered alert for that key carries the count ("+N similar suppressed").
 */

/** Throttle limits (defaults: 10 min window, 5 per rule and session, 30 per minute). */
export interface ThrottleOptions {
  readonly dedupeWindowMs: number;
  readonly perRuleSessionLimit: number;
  readonly globalPerMinute: number;
}

/** Why an alert was held back. */
export type SuppressReason = 'duplicate' | 'rule_session_limit' | 'global_limit';

/** The throttle's verdict on one alert. */
export type ThrottleDecision =
  | { readonly deliver: true; readonly suppressedBefore: number }
  | { readonly deliver: false; readonly reason: SuppressReason };

/** The part of an alert the throttle keys on. */
export interface ThrottleKey {
  readonly rule_id: string;
  readonly session_id: string | null;
  readonly evidence: string;
}

const MINUTE_MS = 60_000;
// Suppressed counts of keys that never deliver again are forgotten after a day.
const FORGET_SUPPRESSED_MS = 86_400_000;

/** De-duplicates and rate-limits alerts per (rule_id, session_id) and globally. */
export class AlertThrottle {
  private readonly deliveredEvidence = new Map<string, number>();
  private readonly deliveredPerKey = new Map<string, number[]>();
  private readonly suppressedPerKey = new Map<string, { count: number; atMs: number }>();
  private readonly totals: Record<SuppressReason, number> = { duplicate: 0, rule_session_limit: 0, global_limit: 0 };
  private globalTimes: number[] = [];
  private prunedAtMs = -Infinity;

  constructor(private readonly options: ThrottleOptions) {}

  /** Decides whether the alert goes out at `nowMs`, and records the decision. */
  admit(alert: ThrottleKey, nowMs: number): ThrottleDecision {
    this.prune(nowMs);
    const window = this.options.dedupeWindowMs;
    const key = `${alert.rule_id}\u0000${alert.session_id ?? ''}`;
    const evidenceKey = `${key}\u0000${alert.evidence}`;
    const firstAt = this.deliveredEvidence.get(evidenceKey);
    if (firstAt !== undefined && nowMs - firstAt < window) return this.suppress(key, 'duplicate', nowMs);
    const times = (this.deliveredPerKey.get(key) ?? []).filter((t) => nowMs - t < window);
    if (times.length >= this.options.perRuleSessionLimit) return this.suppress(key, 'rule_session_limit', nowMs);
    this.globalTimes = this.globalTimes.filter((t) => nowMs - t < MINUTE_MS);
    if (this.globalTimes.length >= this.options.globalPerMinute) return this.suppress(key, 'global_limit', nowMs);
    this.deliveredEvidence.set(evidenceKey, nowMs);
    this.deliveredPerKey.set(key, [...times, nowMs]);
    this.globalTimes.push(nowMs);
    const suppressedBefore = this.suppressedPerKey.get(key)?.count ?? 0;
    this.suppressedPerKey.delete(key);
    return { deliver: true, suppressedBefore };
  }

  /** Totals of suppressed alerts by reason. */
  suppressed(): Readonly<Record<SuppressReason, number>> {
    return { ...this.totals };
  }

  private suppress(key: string, reason: SuppressReason, nowMs: number): ThrottleDecision {
    const s = this.suppressedPerKey.get(key) ?? { count: 0, atMs: nowMs };
    this.suppressedPerKey.set(key, { count: s.count + 1, atMs: nowMs });
    this.totals[reason]++;
    return { deliver: false, reason };
  }

  /** Forgets expired state, at most once per tenth of a window, so memory stays bounded. */
  private prune(nowMs: number): void {
    const window = this.options.dedupeWindowMs;
    if (nowMs - this.prunedAtMs < Math.max(window / 10, 1000)) return;
    this.prunedAtMs = nowMs;
    for (const [k, t] of this.deliveredEvidence) if (nowMs - t >= window) this.deliveredEvidence.delete(k);
    for (const [k, ts] of this.deliveredPerKey) if (ts.every((t) => nowMs - t >= window)) this.deliveredPerKey.delete(k);
    for (const [k, s] of this.suppressedPerKey) if (nowMs - s.atMs >= FORGET_SUPPRESSED_MS) this.suppressedPerKey.delete(k);
  }
}
