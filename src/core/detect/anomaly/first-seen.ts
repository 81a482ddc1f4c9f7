/**
 * Detector 1 of security reference C.2: first-seen values per entity (`user`, `user×project`).
 * A value alerts when its count is 0 once the entity has warmed up (N events and D days of
 * history); repeats of an alerted value are suppressed for 24 h, and counted (the alerting
 * occurrence itself is not learned). Values unseen for 90 days decay away. Score: 1/(1+count).
 */
import { z } from 'zod';
import type { AnomalyInput, FirstSeenValue, ValueKind } from './tokens.js';
import { type Candidate, count, DAY, fmt, HOUR, num, touch, trim } from './util.js';

export interface FirstSeenConfig {
  /** Events an entity must have seen before it may alert. */
  warmupEvents: number;
  /** …and days of history (first event to now). */
  warmupDays: number;
  /** Repeats of an alerted (entity, value) stay quiet this long. */
  repeatHours: number;
  /** Values (and entities) not seen for this long are forgotten. */
  decayDays: number;
  maxTokensPerEntity: number;
  maxEntities: number;
}

export const FIRST_SEEN_DEFAULTS: FirstSeenConfig = { warmupEvents: 200, warmupDays: 7, repeatHours: 24, decayDays: 90, maxTokensPerEntity: 5000, maxEntities: 2000 };

interface Stat { count: number; first: number; last: number; /** Time of the last alert, 0 = never. */ alerted: number }
interface Entity { events: number; first: number; last: number; tokens: Map<string, Stat> }

const statSchema = z.tuple([z.string(), count, num, num, num]);
export const firstSeenSchema = z.array(z.tuple([z.string(), z.object({ events: count, first: num, last: num, tokens: z.array(statSchema) })]));
export type FirstSeenSnapshot = z.infer<typeof firstSeenSchema>;

const VERBS: Record<ValueKind, string> = {
  bin: 'ran', domain: 'contacted', dir: 'touched files in', 'mcp-server': 'used MCP server', 'mcp-tool': 'called MCP tool', mode: 'ran in permission mode',
};

export class FirstSeen {
  private readonly entities = new Map<string, Entity>();

  constructor(private readonly cfg: FirstSeenConfig, snapshot?: FirstSeenSnapshot) {
    for (const [key, e] of snapshot ?? []) {
      const tokens = new Map(e.tokens.map(([t, c, f, l, a]) => [t, { count: c, first: f, last: l, alerted: a }] as const));
      this.entities.set(key, { events: e.events, first: e.first, last: e.last, tokens });
    }
  }

  observe(input: AnomalyInput, now: number): Candidate[] {
    const keys = [`u:${input.user}`, `up:${input.user}\u0000${input.project}`];
    const entities = keys.map((k) => this.entity(k, now));
    const ready = entities.map((e) => e.events >= this.cfg.warmupEvents && now - e.first >= this.cfg.warmupDays * DAY);
    for (const e of entities) e.events++;
    const out: Candidate[] = [];
    for (const v of input.values) {
      const token = `${v.kind}:${v.value}`;
      let emitted = false;
      entities.forEach((e, i) => {
        const stat = this.stat(e, token, now);
        const fresh = ready[i] === true && (stat?.count ?? 0) === 0 && now - (stat?.alerted ?? 0) >= this.cfg.repeatHours * HOUR;
        const next: Stat = fresh
          ? { count: stat?.count ?? 0, first: stat?.first ?? now, last: now, alerted: now }
          : { count: (stat?.count ?? 0) + 1, first: stat?.first ?? now, last: now, alerted: stat?.alerted ?? 0 };
        touch(e.tokens, token, next);
        trim(e.tokens, this.cfg.maxTokensPerEntity);
        if (fresh && !emitted) {
          emitted = true;
          out.push(this.candidate(keys[i]!, i === 0, e, v, input, token, stat?.count ?? 0, now));
        }
      });
    }
    return out;
  }

  /** Forgets values and entities not seen within the decay window. */
  sweep(now: number): void {
    const cutoff = now - this.cfg.decayDays * DAY;
    for (const [key, e] of this.entities) {
      if (e.last < cutoff) this.entities.delete(key);
      else for (const [t, s] of e.tokens) if (s.last < cutoff) e.tokens.delete(t);
    }
  }

  snapshot(): FirstSeenSnapshot {
    return [...this.entities].map(([key, e]) => [key, {
      events: e.events, first: e.first, last: e.last,
      tokens: [...e.tokens].map(([t, s]) => [t, s.count, s.first, s.last, s.alerted] as [string, number, number, number, number]),
    }]);
  }

  stats(): { entities: number; values: number } {
    let values = 0;
    for (const e of this.entities.values()) values += e.tokens.size;
    return { entities: this.entities.size, values };
  }

  private entity(key: string, now: number): Entity {
    let e = this.entities.get(key);
    if (e && now - e.last > this.cfg.decayDays * DAY) e = undefined;
    e ??= { events: 0, first: now, last: now, tokens: new Map() };
    e.last = Math.max(e.last, now);
    touch(this.entities, key, e);
    trim(this.entities, this.cfg.maxEntities);
    return e;
  }

  private stat(e: Entity, token: string, now: number): Stat | undefined {
    const s = e.tokens.get(token);
    return s && now - s.last <= this.cfg.decayDays * DAY ? s : undefined;
  }

  private candidate(entity: string, isUser: boolean, e: Entity, v: FirstSeenValue, input: AnomalyInput, token: string, seen: number, now: number): Candidate {
    const days = Math.max(0, Math.floor((now - e.first) / DAY));
    const history = `${fmt(days)} days, ${fmt(e.events - 1)} events of history`;
    const what = `${VERBS[v.kind]} \`${v.value}\``;
    const detail = v.detail && v.detail !== v.value ? ` (${v.detail})` : '';
    const note = isUser
      ? `First time user \`${input.user}\` ${what}${detail} in ${history}.`
      : `First time user \`${input.user}\` ${what}${detail} in project \`${input.project}\` (${history}).`;
    return { detector: 'first-seen', entity, token, score: 1 / (1 + seen), evidence: v.detail ?? v.value, note };
  }
}
