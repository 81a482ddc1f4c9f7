/**
 * The anomaly engine: runs the three online detectors of security reference C.2 (first-seen,
 * Markov surprise, robust z) over EventFacts and passes their candidates through the alert budget.
 * Pure: time comes from event timestamps, and all state is a JSON snapshot the daemon persists.
 */
import { z } from 'zod';
import type { EventFacts, Severity } from '../types.js';
import { Budget, BUDGET_DEFAULTS, type BudgetConfig, type BudgetExcess, budgetSchema } from './budget.js';
import { FirstSeen, FIRST_SEEN_DEFAULTS, type FirstSeenConfig, firstSeenSchema } from './first-seen.js';
import { Markov, MARKOV_DEFAULTS, type MarkovConfig, markovSchema } from './markov.js';
import { ROBUST_Z_DEFAULTS, RobustZ, type RobustZConfig, robustZSchema } from './robust-z.js';
import { anomalyInputOf } from './tokens.js';
import { type Candidate, count, type Detector, HOUR, touch } from './util.js';

export interface AnomalyConfig {
  firstSeen: FirstSeenConfig;
  markov: MarkovConfig;
  robustZ: RobustZConfig;
  budget: BudgetConfig;
  /** Severity of every anomaly finding: anomalies annotate, they do not page. */
  severity: Severity;
  /** A session with no event for this long is closed (its statistics join the history). */
  sessionIdleHours: number;
  /** Open sessions tracked at once; the least recently active is closed beyond this. */
  maxOpenSessions: number;
}

export const ANOMALY_DEFAULTS: AnomalyConfig = {
  firstSeen: FIRST_SEEN_DEFAULTS, markov: MARKOV_DEFAULTS, robustZ: ROBUST_Z_DEFAULTS, budget: BUDGET_DEFAULTS,
  severity: 'low', sessionIdleHours: 12, maxOpenSessions: 200,
};

/** Partial overrides, merged one level deep (`{ markov: { minSessions: 5 } }`). */
export type AnomalyConfigInput = { [K in keyof AnomalyConfig]?: AnomalyConfig[K] extends object ? Partial<AnomalyConfig[K]> : AnomalyConfig[K] };

const RULE_IDS = { 'first-seen': 'AGT-ANOM-001', markov: 'AGT-ANOM-002', 'robust-z': 'AGT-ANOM-003' } as const;

export interface AnomalyHit {
  readonly detector: Detector;
  readonly ruleId: (typeof RULE_IDS)[Detector];
  readonly severity: Severity;
  readonly evidence: string;
  readonly note: string;
  readonly score: number;
  readonly sessionId: string | null;
}

export interface AnomalyStats {
  events: number;
  candidates: number;
  emitted: number;
  excess: BudgetExcess;
  openSessions: number;
  firstSeen: { entities: number; values: number };
  markov: { users: number; transitions: number; sessions: number };
  robustZ: { users: number; sessions: number };
}

export interface AnomalyEngine {
  observe(facts: EventFacts): AnomalyHit[];
  snapshot(): unknown;
  stats(): AnomalyStats;
}

const FORMAT = 'agenttrail-anomaly/1';
const time = z.number().min(-8.64e15).max(8.64e15);
const snapshotSchema = z.object({
  format: z.literal(FORMAT), clock: time, swept: time, events: count, candidates: count,
  open: z.array(z.tuple([z.string(), z.object({ user: z.string(), last: time })])),
  firstSeen: firstSeenSchema, markov: markovSchema, robustZ: robustZSchema, budget: budgetSchema,
});

export function createAnomalyEngine(config: AnomalyConfigInput = {}, snapshot?: unknown): AnomalyEngine {
  const cfg: AnomalyConfig = {
    ...ANOMALY_DEFAULTS, ...config,
    firstSeen: { ...FIRST_SEEN_DEFAULTS, ...config.firstSeen }, markov: { ...MARKOV_DEFAULTS, ...config.markov },
    robustZ: { ...ROBUST_Z_DEFAULTS, ...config.robustZ }, budget: { ...BUDGET_DEFAULTS, ...config.budget },
  } as AnomalyConfig;
  const parsed = snapshot === undefined ? undefined : snapshotSchema.safeParse(snapshot);
  const s = parsed?.success ? parsed.data : undefined;
  const firstSeen = new FirstSeen(cfg.firstSeen, s?.firstSeen);
  const markov = new Markov(cfg.markov, s?.markov);
  const robustZ = new RobustZ(cfg.robustZ, s?.robustZ);
  const budget = new Budget(cfg.budget, s?.budget);
  const open = new Map((s?.open ?? []).map(([id, o]) => [id, { ...o }]));
  let clock = s?.clock ?? 0;
  let swept = s?.swept ?? 0;
  let events = s?.events ?? 0;
  let candidates = s?.candidates ?? 0;

  const close = (id: string): void => {
    open.delete(id);
    markov.close(id);
    robustZ.close(id);
  };

  /** Hourly: closes idle sessions, forgets decayed first-seen values and spent budget. */
  const sweep = (now: number): void => {
    if (now - swept < HOUR) return;
    swept = now;
    for (const [id, o] of open) if (now - o.last >= cfg.sessionIdleHours * HOUR) close(id);
    firstSeen.sweep(now);
    budget.sweep(now);
  };

  return {
    observe(facts) {
      const input = anomalyInputOf(facts);
      if (!input) return [];
      events++;
      const now = Number.isFinite(input.time) ? input.time : clock;
      clock = Math.max(clock, now);
      sweep(clock);
      const found: Candidate[] = [];
      const id = input.sessionId;
      if (input.kind === 'tool' || input.kind === 'start') found.push(...firstSeen.observe(input, now));
      if (id !== null) {
        touch(open, id, { user: input.user, last: now });
        for (const [old] of open) {
          if (open.size <= cfg.maxOpenSessions) break;
          close(old);
        }
        if (input.kind === 'tool' && input.tokens.length > 0) {
          const hit = markov.observe(input.user, id, input.tokens, now);
          if (hit) found.push(hit);
          found.push(...robustZ.observe(input.user, id, input.delta, now));
        }
        if (input.kind === 'stop' || input.kind === 'end') found.push(...robustZ.check(id, input.kind === 'end'));
        if (input.kind === 'end') close(id);
      }
      candidates += found.length;
      return found
        .filter((c) => budget.admit({ detector: c.detector, entity: c.entity, token: c.token, user: input.user, sessionId: id }, now))
        .map((c) => ({ detector: c.detector, ruleId: RULE_IDS[c.detector], severity: cfg.severity, evidence: c.evidence, note: c.note, score: c.score, sessionId: id }));
    },

    snapshot() {
      return {
        format: FORMAT, clock, swept, events, candidates,
        open: [...open].map(([k, o]) => [k, { ...o }]),
        firstSeen: firstSeen.snapshot(), markov: markov.snapshot(), robustZ: robustZ.snapshot(), budget: budget.snapshot(),
      };
    },

    stats() {
      const b = budget.stats();
      return {
        events, candidates, emitted: b.emitted, excess: b.excess, openSessions: open.size,
        firstSeen: firstSeen.stats(), markov: markov.stats(), robustZ: robustZ.stats(),
      };
    },
  };
}
