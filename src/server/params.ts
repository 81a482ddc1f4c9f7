import { z } from 'zod';
import { parseFilter } from '../store/parse-filter.js';
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
    finding_severity: z.enum(['info', 'low', 'medium', 'high', 'critical']).optional(),
    rule: z.string().regex(/^[A-Za-z0-9*?_-]{1,100}$/, 'rule ids are like AGT-CRED-001; * and ? are wildcards').optional(),
  })
  .strict();

export const pageParams = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  cursor: z.coerce.number().int().min(0).optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
});

export const aggregateParams = z.object({
  by: z.enum(['tool', 'event_type', 'project', 'user', 'host', 'level', 'rule', 'severity']).default('tool'),
  interval: z.enum(['minute', 'hour', 'day', 'week']).default('hour'),
});

/** Turns validated query parameters into a store filter (times relative to `nowMs`). */
export const toFilter = (p: z.infer<typeof filterParams>, nowMs: number): EventFilter => parseFilter(p, nowMs);
