/**
 * The anomaly alert budget (security reference C.3: calibrate to a per-session / per-day budget):
 * at most `perSession` findings per session and `perUserDay` per user and UTC day, and one finding
 * per (detector, entity, token) per `suppressHours`. What exceeds the budget is counted, not emitted.
 */
import { z } from 'zod';
import { count, DAY, HOUR, num, touch, trim } from './util.js';

export interface BudgetConfig {
  perSession: number;
  perUserDay: number;
  suppressHours: number;
  /** Bounds on remembered sessions and suppression keys. */
  maxKeys: number;
}

export const BUDGET_DEFAULTS: BudgetConfig = { perSession: 3, perUserDay: 20, suppressHours: 24, maxKeys: 10_000 };

export interface BudgetExcess { token: number; session: number; userDay: number }

export const budgetSchema = z.object({
  sessions: z.array(z.tuple([z.string(), count])),
  days: z.array(z.tuple([z.string(), count])),
  keys: z.array(z.tuple([z.string(), num])),
  excess: z.object({ token: count, session: count, userDay: count }),
  emitted: count,
});
export type BudgetSnapshot = z.infer<typeof budgetSchema>;

export interface BudgetRequest {
  readonly detector: string;
  readonly entity: string;
  readonly token: string;
  readonly user: string;
  readonly sessionId: string | null;
}

export class Budget {
  private readonly sessions: Map<string, number>;
  private readonly days: Map<string, number>;
  private readonly keys: Map<string, number>;
  private readonly excess: BudgetExcess;
  private emitted: number;

  constructor(private readonly cfg: BudgetConfig, snapshot?: BudgetSnapshot) {
    this.sessions = new Map(snapshot?.sessions);
    this.days = new Map(snapshot?.days);
    this.keys = new Map(snapshot?.keys);
    this.excess = { ...(snapshot?.excess ?? { token: 0, session: 0, userDay: 0 }) };
    this.emitted = snapshot?.emitted ?? 0;
  }

  /** Spends one unit of budget for the request, or counts it as excess and returns false. */
  admit(r: BudgetRequest, now: number): boolean {
    const key = `${r.detector}\u0000${r.entity}\u0000${r.token}`;
    const last = this.keys.get(key);
    if (last !== undefined && now - last < this.cfg.suppressHours * HOUR) {
      this.excess.token++;
      return false;
    }
    const session = r.sessionId === null ? undefined : this.sessions.get(r.sessionId) ?? 0;
    if (session !== undefined && session >= this.cfg.perSession) {
      this.excess.session++;
      return false;
    }
    const day = `${r.user}\u0000${new Date(Math.floor(now / DAY) * DAY).toISOString().slice(0, 10)}`;
    const today = this.days.get(day) ?? 0;
    if (today >= this.cfg.perUserDay) {
      this.excess.userDay++;
      return false;
    }
    if (r.sessionId !== null) touch(this.sessions, r.sessionId, (session ?? 0) + 1);
    touch(this.days, day, today + 1);
    touch(this.keys, key, now);
    for (const m of [this.sessions, this.days, this.keys]) trim(m, this.cfg.maxKeys);
    this.emitted++;
    return true;
  }

  /** Drops user-days older than yesterday and suppression keys that expired. */
  sweep(now: number): void {
    const yesterday = new Date(Math.floor(now / DAY) * DAY - DAY).toISOString().slice(0, 10);
    for (const k of this.days.keys()) if (k.slice(k.lastIndexOf('\u0000') + 1) < yesterday) this.days.delete(k);
    for (const [k, t] of this.keys) if (now - t >= this.cfg.suppressHours * HOUR) this.keys.delete(k);
  }

  snapshot(): BudgetSnapshot {
    return { sessions: [...this.sessions], days: [...this.days], keys: [...this.keys], excess: { ...this.excess }, emitted: this.emitted };
  }

  stats(): { emitted: number; excess: BudgetExcess } {
    return { emitted: this.emitted, excess: { ...this.excess } };
  }
}
