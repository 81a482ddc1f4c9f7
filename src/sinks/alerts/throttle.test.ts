import { describe, expect, it } from 'vitest';
import { AlertThrottle, type ThrottleDecision, type ThrottleOptions } from './throttle.js';

const MIN = 60_000;
const defaults: ThrottleOptions = { dedupeWindowMs: 10 * MIN, perRuleSessionLimit: 5, globalPerMinute: 30 };

/** One alert offered at `at` ms: rule, session, evidence. */
type Step = [at: number, rule: string, session: string | null, evidence: string];

const ok = (suppressedBefore = 0): ThrottleDecision => ({ deliver: true, suppressedBefore });
const no = (reason: 'duplicate' | 'rule_session_limit' | 'global_limit'): ThrottleDecision => ({ deliver: false, reason });

const same = (n: number, at: (i: number) => number, evidence: (i: number) => string, rule = 'R1', session = 's1'): Step[] =>
  Array.from({ length: n }, (_, i) => [at(i), rule, session, evidence(i)]);

describe('AlertThrottle', () => {
  it.each<[string, Partial<ThrottleOptions>, Step[], ThrottleDecision[]]>([
    ['delivers the first alert', {}, [[0, 'R1', 's1', 'e']], [ok()]],
    ['drops the same rule, session and evidence within the window', {}, [[0, 'R1', 's1', 'e'], [MIN, 'R1', 's1', 'e']], [ok(), no('duplicate')]],
    [
      'delivers it again after the window, saying how many were suppressed',
      {},
      [[0, 'R1', 's1', 'e'], [MIN, 'R1', 's1', 'e'], [2 * MIN, 'R1', 's1', 'e'], [10 * MIN, 'R1', 's1', 'e']],
      [ok(), no('duplicate'), no('duplicate'), ok(2)],
    ],
    ['keys duplicates per session', {}, [[0, 'R1', 's1', 'e'], [1, 'R1', 's2', 'e'], [2, 'R1', null, 'e']], [ok(), ok(), ok()]],
    ['keys duplicates per rule', {}, [[0, 'R1', 's1', 'e'], [1, 'R2', 's1', 'e']], [ok(), ok()]],
    [
      'allows perRuleSessionLimit different alerts per rule and session per window',
      { perRuleSessionLimit: 2 },
      same(4, (i) => i * 1000, (i) => `e${i}`),
      [ok(), ok(), no('rule_session_limit'), no('rule_session_limit')],
    ],
    [
      'frees the rule/session budget as the window slides',
      { perRuleSessionLimit: 2 },
      [...same(3, (i) => i * MIN, (i) => `e${i}`), [10 * MIN + 1, 'R1', 's1', 'e3']],
      [ok(), ok(), no('rule_session_limit'), ok(1)],
    ],
    [
      'caps all alerts per minute',
      { globalPerMinute: 3 },
      [...Array.from({ length: 4 }, (_, i): Step => [i, `R${i}`, 's1', 'e']), [MIN + 5, 'R9', 's1', 'e']],
      [ok(), ok(), ok(), no('global_limit'), ok()],
    ],
    ['turns de-duplication off with a zero window', { dedupeWindowMs: 0 }, [[0, 'R1', 's1', 'e'], [0, 'R1', 's1', 'e']], [ok(), ok()]],
  ])('%s', (_name, options, steps, expected) => {
    const throttle = new AlertThrottle({ ...defaults, ...options });
    const got = steps.map(([at, rule_id, session_id, evidence]) => throttle.admit({ rule_id, session_id, evidence }, at));
    expect(got).toEqual(expected);
  });

  it('totals suppressed alerts by reason', () => {
    const throttle = new AlertThrottle({ ...defaults, perRuleSessionLimit: 1 });
    for (const evidence of ['a', 'a', 'b']) throttle.admit({ rule_id: 'R', session_id: 's', evidence }, 0);
    expect(throttle.suppressed()).toEqual({ duplicate: 1, rule_session_limit: 1, global_limit: 0 });
  });

  it('forgets expired keys so memory stays bounded', () => {
    const throttle = new AlertThrottle(defaults);
    for (let i = 0; i < 1000; i++) throttle.admit({ rule_id: 'R', session_id: `s${i}`, evidence: 'e' }, i * 100);
    throttle.admit({ rule_id: 'R', session_id: 'late', evidence: 'e' }, 24 * 60 * MIN);
    const maps = throttle as unknown as { deliveredEvidence: Map<string, number>; deliveredPerKey: Map<string, number[]> };
    expect(maps.deliveredEvidence.size).toBe(1);
    expect(maps.deliveredPerKey.size).toBe(1);
  });
});
