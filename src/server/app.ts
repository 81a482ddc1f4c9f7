import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import type { CollectorStats } from '../daemon/collector.js';
import { AGENTTRAIL_VERSION } from '../version.js';

/** What the HTTP API needs from the running daemon (injected, so the app is testable without a port). */
export interface AppDeps {
  readonly token?: string;
  readonly stats: () => CollectorStats;
  readonly daemon: () => { pid: number; startedAt: string; url: string };
}

/** Builds the daemon's HTTP API (a fetch-style handler). */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/health', (c) => c.json({ ok: true, version: AGENTTRAIL_VERSION }));
  if (deps.token) app.use('/api/*', bearerAuth({ token: deps.token }));

  app.get('/api/v1/status', (c) => c.json({ version: AGENTTRAIL_VERSION, daemon: deps.daemon(), ...deps.stats() }));

  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => c.json({ error: err.message }, 500));
  return app;
}
