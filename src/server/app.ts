import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import type { CollectorStats } from '../daemon/collector.js';
import { AGENTTRAIL_VERSION } from '../version.js';

/** What the HTTP API needs from the running daemon (injected, so the app is testable without a port). */
export interface AppDeps {
  readonly token?: string;
  readonly stats: () => CollectorStats;
  readonly daemon: () => { pid: number; startedAt: string; url: string };
  /** Accepts a hook payload delivered by the `http` transport. */
  readonly acceptHook: (event: string, body: Buffer, projectDir: string) => void;
}

const EVENT_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const MAX_HOOK_BYTES = 256 * 1024 * 1024;

/** Builds the daemon's HTTP API (a fetch-style handler). */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/health', (c) => c.json({ ok: true, version: AGENTTRAIL_VERSION }));
  if (deps.token) app.use('/api/*', bearerAuth({ token: deps.token }));

  app.get('/api/v1/status', (c) => c.json({ version: AGENTTRAIL_VERSION, daemon: deps.daemon(), ...deps.stats() }));

  app.post('/api/v1/hook/:event', async function acceptHookPost(c) {
    const event = c.req.param('event');
    if (!EVENT_NAME.test(event)) return c.json({ error: 'event must be a hook event name such as PreToolUse' }, 400);
    const length = Number(c.req.header('content-length') ?? '0');
    if (length > MAX_HOOK_BYTES) return c.json({ error: `payload larger than ${MAX_HOOK_BYTES} bytes` }, 413);
    const body = Buffer.from(await c.req.arrayBuffer());
    deps.acceptHook(event, body, c.req.header('x-agenttrail-project-dir') ?? '');
    // An empty body: Claude Code reads a hook's response as a decision, and we make none.
    return c.body(null, 200);
  });

  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => c.json({ error: err.message }, 500));
  return app;
}
