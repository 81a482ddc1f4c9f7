import type { Paths } from '../config/paths.js';
import { UserError } from '../errors.js';
import { EventIndex } from '../store/event-index.js';
import type { AggregateKey, EventFilter, Interval, PageOptions } from '../store/queries.js';
import { createLocalStore, type LocalStore, type QueryService } from '../store/service.js';
import { daemonState } from './daemon-control.js';
import { ensurePrivateDir } from '../platform/fs.js';
import { dirname } from 'node:path';
import { loadConfig } from '../config/config.js';

/** Query parameters for the API from a store filter. */
export function filterToParams(f: EventFilter): URLSearchParams {
  const p = new URLSearchParams();
  const set = (k: string, v: string | undefined) => v !== undefined && p.set(k, v);
  set('session', f.session);
  set('project', f.project);
  set('tool', f.tool);
  set('type', f.type);
  set('user', f.user);
  set('host', f.host);
  set('severity', f.severity);
  set('path', f.path);
  set('since', f.sinceMs !== undefined ? new Date(f.sinceMs).toISOString() : undefined);
  set('until', f.untilMs !== undefined ? new Date(f.untilMs).toISOString() : undefined);
  set('q', f.text);
  set('finding_severity', f.findingSeverity);
  set('rule', f.rule);
  return p;
}

/** A QueryService that asks the running daemon (which owns the index file). */
export function createApiClient(baseUrl: string, token?: string): QueryService {
  async function get<T>(path: string, params: URLSearchParams): Promise<T> {
    const res = await fetch(`${baseUrl}${path}?${params}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const body = (await res.json()) as T & { error?: string };
    if (res.status === 404 && path.startsWith('/api/v1/sessions/')) return body;
    if (!res.ok) throw new UserError(`The daemon refused the query (${res.status}): ${body.error ?? 'no reason given'}`, 'QUERY_REFUSED');
    return body;
  }
  return {
    async events(f: EventFilter, page: PageOptions) {
      const p = filterToParams(f);
      p.set('limit', String(page.limit));
      p.set('order', page.newest ? 'desc' : 'asc');
      if (page.cursor !== undefined) p.set('cursor', String(page.cursor));
      return get('/api/v1/events', p);
    },
    async sessions(f: EventFilter, limit: number) {
      const p = filterToParams(f);
      p.set('limit', String(limit));
      return (await get<{ sessions: never[] }>('/api/v1/sessions', p)).sessions;
    },
    async session(id: string) {
      return (await get<{ events?: never[] }>(`/api/v1/sessions/${encodeURIComponent(id)}`, new URLSearchParams())).events ?? [];
    },
    async aggregate(f: EventFilter, by: AggregateKey, interval: Interval) {
      const p = filterToParams(f);
      p.set('by', by);
      p.set('interval', interval);
      return (await get<{ buckets: never[] }>('/api/v1/aggregates', p)).buckets;
    },
  };
}

/** Opens the index in this process (the daemon is not running), brought up to date with the journal. */
export async function openLocalStore(paths: Paths, onProgress?: (seq: number) => void): Promise<LocalStore> {
  ensurePrivateDir(dirname(paths.index));
  const config = loadConfig(paths);
  let index: EventIndex;
  try {
    index = await EventIndex.open(paths.index, paths.journal, { memoryLimit: config.index.memoryLimit, threads: config.index.threads });
  } catch (err) {
    throw new UserError(`Could not open the index ${paths.index} (${(err as Error).message}). If the daemon is running but not answering, restart it with \`agenttrail down && agenttrail up --detach\`.`, 'INDEX_BUSY');
  }
  const store = createLocalStore(index);
  await store.catchUp(onProgress);
  return store;
}

/** Runs `fn` against the daemon's API when it runs, else against the index opened locally. */
export async function withQuery<T>(paths: Paths, env: NodeJS.ProcessEnv, fn: (q: QueryService) => Promise<T>): Promise<T> {
  const token = loadConfig(paths, env).token;
  const state = await daemonState(paths, token);
  if (state.running && state.info) return fn(createApiClient(state.info.url, token));
  const store = await openLocalStore(paths);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
