import { z } from 'zod';
import { parseSince } from '../store/time.js';
import type { EventFilter } from '../store/queries.js';

const text = z.string().min(1).max(4096);
const when = z.string().min(1).max(64);

/** Query parameters every event-listing route accepts. */
export const filterParams = z
  .object({
    session: text.optional(),
    project: text.optional(),
    tool: text.optional(),
    type: z.string().regex(/^[a-z0-9_]{1,64}$/, 'event types are lower_snake_case').optional(),
    user: text.optional(),
    host: text.optional(),
    severity: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'debug', 'info', 'warn', 'error']).optional(),
    path: text.optional(),
    since: when.optional(),
    until: when.optional(),
    q: text.optional(),
  })
  .strict();

export const pageParams = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  cursor: z.coerce.number().int().min(0).optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
});

export const aggregateParams = z.object({
  by: z.enum(['tool', 'event_type', 'project', 'user', 'host', 'level']).default('tool'),
  interval: z.enum(['minute', 'hour', 'day', 'week']).default('hour'),
});

/** Turns validated query parameters into a store filter (times relative to `nowMs`). */
export function toFilter(p: z.infer<typeof filterParams>, nowMs: number): EventFilter {
  return {
    ...(p.session ? { session: p.session } : {}),
    ...(p.project ? { project: p.project } : {}),
    ...(p.tool ? { tool: p.tool } : {}),
    ...(p.type ? { type: p.type } : {}),
    ...(p.user ? { user: p.user } : {}),
    ...(p.host ? { host: p.host } : {}),
    ...(p.severity ? { severity: p.severity.toUpperCase() } : {}),
    ...(p.path ? { path: p.path } : {}),
    ...(p.since ? { sinceMs: parseSince(p.since, nowMs) } : {}),
    ...(p.until ? { untilMs: parseSince(p.until, nowMs) } : {}),
    ...(p.q ? { text: p.q } : {}),
  };
}
