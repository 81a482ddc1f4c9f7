import { describe, expect, it } from 'vitest';
import { Budget, BUDGET_DEFAULTS, type BudgetRequest } from './budget.js';
import { HOUR } from './util.js';

const T0 = Date.UTC(2026, 0, 5, 9);
const req = (token: string, sessionId: string | null = 's1', user = 'alice'): BudgetRequest => ({ detector: 'first-seen', entity: `u:${user}`, token, user, sessionId });

describe('anomaly alert budget', () => {
  it('admits at most 3 findings per session and counts the rest', () => {
    const b = new Budget(BUDGET_DEFAULTS);
    const admitted = ['a', 'b', 'c', 'd', 'e'].map((t) => b.admit(req(t), T0));
    expect(admitted).toEqual([true, true, true, false, false]);
    expect(b.admit(req('f', 's2'), T0)).toBe(true);
    expect(b.stats()).toEqual({ emitted: 4, excess: { token: 0, session: 2, userDay: 0 } });
  });

  it('admits at most 20 findings per user and UTC day', () => {
    const b = new Budget(BUDGET_DEFAULTS);
    const today = Array.from({ length: 30 }, (_, i) => b.admit(req(`t${i}`, `s${i}`), T0 + i * 60_000)).filter(Boolean);
    expect(today).toHaveLength(20);
    expect(b.admit(req('x', 'other-user-session', 'bob'), T0)).toBe(true);
    expect(b.admit(req('y', 'tomorrow'), T0 + 24 * HOUR)).toBe(true);
    expect(b.stats().excess.userDay).toBe(10);
  });

  it.each([
    [1, false],
    [23, false],
    [25, true],
  ])('suppresses the same (entity, token) %i h later: admitted=%s', (hours, admitted) => {
    const b = new Budget(BUDGET_DEFAULTS);
    expect(b.admit(req('curl', 's1'), T0)).toBe(true);
    expect(b.admit(req('curl', 's2'), T0 + hours * HOUR)).toBe(admitted);
    expect(b.stats().excess.token).toBe(admitted ? 0 : 1);
  });

  it('applies no session cap to events without a session', () => {
    const b = new Budget(BUDGET_DEFAULTS);
    expect(['a', 'b', 'c', 'd'].map((t) => b.admit(req(t, null), T0))).toEqual([true, true, true, true]);
  });

  it('forgets spent days and expired suppressions on sweep', () => {
    const b = new Budget(BUDGET_DEFAULTS);
    b.admit(req('a'), T0);
    b.sweep(T0 + 3 * 24 * HOUR);
    const s = b.snapshot();
    expect([s.days, s.keys]).toEqual([[], []]);
    expect(s.sessions).toEqual([['s1', 1]]);
  });
});
