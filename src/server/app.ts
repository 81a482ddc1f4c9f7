import { Hono, type Context } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { JournalEntry } from '../core/chain/entry.js';
import type { CollectorStats } from '../daemon/collector.js';
import { UserError } from '../errors.js';
import type { QueryService } from '../store/service.js';
import { matchesFilter } from '../store/match.js';
import { AGENTTRAIL_VERSION } from '../version.js';
import { aggregateParams, filterParams, pageParams, toFilter } from './params.js';
import type { RuleMeta } from '../core/detect/types.js';

/** What the HTTP API needs from the running daemon (injected, so the app is testable without a port). */
export interface AppDeps {
  readonly token?: string;
  readonly stats: () => CollectorStats & { indexedSeq: number; reindexing: boolean; [extra: string]: unknown };
  readonly daemon: () => { pid: number; startedAt: string; url: string };
  readonly query: QueryService;
  /** Calls `listener` with each batch of committed entries; returns the unsubscribe function. */
  readonly subscribe: (listener: (entries: JournalEntry[]) => void) => () => void;
  /** Starts rebuilding the index from the journal; returns the seq it will reach. */
  readonly reindex: () => { targetSeq: number };
  readonly now?: () => number;
  /** The detection rules in force (metadata only), when detection is on. */
  readonly rules?: () => readonly RuleMeta[];
}

/** Validates query parameters against a schema; throws a 400 listing every problem. */
function parse<T extends z.ZodTypeAny>(schema: T, c: Context): z.infer<T> {
  const result = schema.safeParse(c.req.query());
  if (!result.success) throw new BadRequest(result.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  return result.data;
}

class BadRequest extends Error {}

/** Builds the daemon's HTTP API (a fetch-style handler). */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const now = deps.now ?? Date.now;
  app.get('/health', (c) => c.json({ ok: true, version: AGENTTRAIL_VERSION }));
  if (deps.token) app.use('/api/*', bearerAuth({ token: deps.token }));

  app.get('/api/v1/status', (c) => c.json({ version: AGENTTRAIL_VERSION, daemon: deps.daemon(), ...deps.stats() }));

  app.post('/api/v1/reindex', (c) => c.json({ started: true, target_seq: deps.reindex().targetSeq }, 202));

  app.get('/api/v1/events', async function getEvents(c) {
    const { limit, cursor, order, ...rest } = parse(filterParams.extend(pageParams.shape).strict(), c);
    const page = await deps.query.events(toFilter(rest, now()), { limit, newest: order === 'desc', ...(cursor !== undefined ? { cursor } : {}) });
    return c.json(page);
  });

  app.get('/api/v1/search', async function search(c) {
    const schema = filterParams.extend({ ...pageParams.shape, order: pageParams.shape.order.removeDefault().default('desc'), q: z.string().min(1).max(4096) });
    const { limit, cursor, order, ...rest } = parse(schema.strict(), c);
    const page = await deps.query.events(toFilter(rest, now()), { limit, newest: order === 'desc', ...(cursor !== undefined ? { cursor } : {}) });
    return c.json(page);
  });

  app.get('/api/v1/findings', async function getFindings(c) {
    const schema = filterParams.omit({ type: true }).extend({ ...pageParams.shape, order: pageParams.shape.order.removeDefault().default('desc') });
    const { limit, cursor, order, ...rest } = parse(schema.strict(), c);
    const filter = { ...toFilter(rest, now()), type: 'security_alert' };
    return c.json(await deps.query.events(filter, { limit, newest: order === 'desc', ...(cursor !== undefined ? { cursor } : {}) }));
  });

  app.get('/api/v1/rules', (c) => c.json({ rules: deps.rules?.() ?? [] }));

  app.get('/api/v1/sessions', async function getSessions(c) {
    const { limit, ...rest } = parse(filterParams.extend({ limit: pageParams.shape.limit }).strict(), c);
    return c.json({ sessions: await deps.query.sessions(toFilter(rest, now()), limit) });
  });

  app.get('/api/v1/sessions/:id', async function getSession(c) {
    const id = c.req.param('id');
    if (!/^[A-Za-z0-9._:-]{1,128}$/.test(id)) throw new BadRequest('session id has unexpected characters');
    const events = await deps.query.session(id);
    if (events.length === 0) return c.json({ error: `no single session matches "${id}"` }, 404);
    return c.json({ session_id: events[0]!.session_id, events });
  });

  app.get('/api/v1/aggregates', async function getAggregates(c) {
    const { by, interval, ...rest } = parse(filterParams.extend(aggregateParams.shape).strict(), c);
    return c.json({ by, interval, buckets: await deps.query.aggregate(toFilter(rest, now()), by, interval) });
  });

  app.get('/api/v1/stream', function streamEvents(c) {
    const filter = toFilter(parse(filterParams, c), now());
    return streamSSE(c, async (stream) => {
      const pending: JournalEntry[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = deps.subscribe((entries) => {
        pending.push(...entries.filter((e) => matchesFilter(e, filter)));
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      while (!stream.aborted) {
        for (const entry of pending.splice(0)) {
          await stream.writeSSE({ id: String(entry.seq), event: 'event', data: JSON.stringify({ seq: entry.seq, hash: entry.hash, ...entry.event }) });
        }
        await Promise.race([new Promise<void>((r) => (wake = r)), stream.sleep(15_000).then(() => stream.writeSSE({ event: 'ping', data: '' }))]);
      }
    });
  });

  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    if (err instanceof BadRequest || err instanceof UserError) return c.json({ error: err.message }, 400);
    if ('getResponse' in err && typeof err.getResponse === 'function') return err.getResponse() as Response;
    return c.json({ error: 'internal error', detail: err.message }, 500);
  });
  return app;
}
