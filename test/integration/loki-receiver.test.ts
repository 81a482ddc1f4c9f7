/**
 * The Loki push endpoint on a real node:http server (only handleLokiPush and a 404 fallback), written
 * to by real third-party Loki clients from npm — pino-loki (JSON, pino transport in a worker thread)
 * and winston-loki (protobuf + snappy by default, JSON on request) — with their own batching and
 * flushing, plus raw fetch for each error status Loki answers with (loki.md §1.5).
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { gzipSync } from 'node:zlib';
import winston from 'winston';
import LokiTransport from 'winston-loki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LokiPush } from '../../src/core/event/from-loki.js';
import { eventsFromLokiPush } from '../../src/core/event/from-loki.js';
import { handleLokiPush } from '../../src/server/loki-push/handler.js';

const TOKEN = 'team-collector-token-0123';

interface Received {
  readonly contentType: string;
  readonly push: LokiPush;
}

let server: Server;
let base: string;
const received: Received[] = [];
let failAccept = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    const contentType = String(req.headers['content-type'] ?? '');
    const handled = handleLokiPush(req, res, {
      token: TOKEN,
      maxBodyBytes: 1024 * 1024,
      accept: (push) => {
        if (failAccept) throw new Error('spool is full');
        received.push({ contentType, push });
      },
    });
    if (!handled) res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const entriesOf = (pushes: readonly Received[]) =>
  pushes.flatMap(({ push, contentType }) => push.streams.flatMap((s) => s.entries.map((e) => ({ contentType, tenant: push.tenant, labels: s.labels, ...e }))));

/**
 * A pino logger with pino-loki as its transport (a worker thread, as pino-loki's README shows) in a
 * separate process, as on another machine: on exit pino blocks its process' main thread while the worker
 * flushes, so a receiver in the same process could not answer that last push.
 */
const PINO_CLIENT = `
import pino from 'pino';
const [host, password, timeMs] = process.argv.slice(1);
const transport = pino.transport({
  target: 'pino-loki',
  options: { host, basicAuth: { username: 'team-b', password }, labels: { application: 'shop' }, batching: { interval: 0.2 } },
});
const logger = pino({ level: 'debug', timestamp: () => ',"time":' + timeMs }, transport);
logger.info({ meta: { trace_id: 't-1' } }, 'order placed');
logger.warn('stock low');
logger.error({ order: 17 }, 'payment failed');
await new Promise((resolve) => setTimeout(resolve, 1000));
logger.debug('shutting down');
// No end(): pino flushes and ends its transport when the process exits, which is how apps stop.
`;

function runPinoClient(timeMs: number): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', PINO_CLIENT, base, TOKEN, String(timeMs)], { cwd: process.cwd() });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('Loki receiver with pino-loki', () => {
  it('receives a batch of JSON pushes from a pino transport, then the rest when the process exits', async () => {
    const from = received.length;
    const timeMs = Date.now() - 5_000;
    expect(await runPinoClient(timeMs)).toEqual({ code: 0, stderr: '' });

    const pushes = received.slice(from);
    expect(pushes.map((p) => p.push.streams.length)).toEqual([3, 1]);
    const entries = entriesOf(pushes);
    const lines = entries.map((e) => JSON.parse(e.line) as Record<string, unknown>);
    expect(entries.map((e) => [e.labels, e.tsNs, e.metadata, e.contentType, e.tenant])).toEqual([
      [{ application: 'shop', hostname: hostname(), level: 'info', service_name: 'shop' }, `${timeMs}000000`, { trace_id: 't-1' }, 'application/json', 'team-b'],
      [{ application: 'shop', hostname: hostname(), level: 'warning', service_name: 'shop' }, `${timeMs}000000`, {}, 'application/json', 'team-b'],
      [{ application: 'shop', hostname: hostname(), level: 'error', service_name: 'shop' }, `${timeMs}000000`, {}, 'application/json', 'team-b'],
      [{ application: 'shop', hostname: hostname(), level: 'debug', service_name: 'shop' }, `${timeMs}000000`, {}, 'application/json', 'team-b'],
    ]);
    expect(lines.map((l) => [l.msg, l.level, l.time])).toEqual([
      ['order placed', 30, timeMs],
      ['stock low', 40, timeMs],
      ['payment failed', 50, timeMs],
      ['shutting down', 20, timeMs],
    ]);
    expect(lines[2]).toMatchObject({ order: 17 });

    const events = pushes.flatMap((r) => eventsFromLokiPush(r.push, { host: 'collector', agenttrailVersion: '0.1.0' }));
    expect(events.map((e) => [e.event_type, e.level, e.project_name, e.metadata.host, e.timestamp])).toEqual([
      ['log_line', 'INFO', 'shop', hostname(), new Date(timeMs).toISOString()],
      ['log_line', 'WARN', 'shop', hostname(), new Date(timeMs).toISOString()],
      ['log_line', 'ERROR', 'shop', hostname(), new Date(timeMs).toISOString()],
      ['log_line', 'DEBUG', 'shop', hostname(), new Date(timeMs).toISOString()],
    ]);
  });
});

describe('Loki receiver with winston-loki', () => {
  const logWith = async (json: boolean, labels: Record<string, string>, messages: [string, string, Record<string, unknown>?][], timeMs: number) => {
    const errors: Error[] = [];
    const transport = new LokiTransport({
      host: base,
      basicAuth: `team-c:${TOKEN}`,
      labels,
      json,
      interval: 0.2,
      replaceTimestamp: false,
      gracefulShutdown: false,
      onConnectionError: (err: Error) => errors.push(err),
    });
    const logger = winston.createLogger({ level: 'debug', transports: [transport] });
    for (const [level, message, meta] of messages) logger.log(level, message, { timestamp: new Date(timeMs).toISOString(), ...meta });
    await transport.flush();
    await transport.close();
    logger.close();
    expect(errors).toEqual([]);
  };

  it('receives protobuf + snappy pushes (its default) with labels, lines and millisecond timestamps', async () => {
    const from = received.length;
    const timeMs = Date.now() - 3_000;
    await logWith(false, { app: 'billing' }, [['info', 'invoice sent'], ['warn', 'invoice late', { invoice: 'A-1' }]], timeMs);
    const entries = entriesOf(received.slice(from));
    expect(entries.map((e) => [e.contentType, e.tenant, e.labels, e.tsNs, e.line, e.metadata])).toEqual([
      ['application/x-protobuf', 'team-c', { app: 'billing', level: 'info', service_name: 'billing' }, `${timeMs}000000`, 'invoice sent {"level":"info"}', {}],
      ['application/x-protobuf', 'team-c', { app: 'billing', level: 'warn', service_name: 'billing' }, `${timeMs}000000`, 'invoice late {"invoice":"A-1","level":"warn"}', {}],
    ]);
  });

  it('receives JSON pushes with structured metadata when asked for json', async () => {
    const from = received.length;
    const timeMs = Date.now() - 2_000;
    await logWith(true, { app: 'billing', env: 'test' }, [['error', 'refund failed', { order: 9 }]], timeMs);
    const entries = entriesOf(received.slice(from));
    expect(entries.map((e) => [e.contentType, e.labels, e.tsNs, e.line, e.metadata])).toEqual([
      [
        'application/json',
        { app: 'billing', env: 'test', level: 'error', service_name: 'billing' },
        `${timeMs}000000`,
        'refund failed {"order":9,"level":"error"}',
        { level: 'error', order: '9' },
      ],
    ]);
  });
});

describe('Loki receiver answers as Loki does', () => {
  const ts = () => `${Date.now()}000000`;
  const body = (streams: unknown) => JSON.stringify({ streams });
  const post = (init: { body?: string | Buffer; headers?: Record<string, string>; method?: string; path?: string }) =>
    fetch(`${base}${init.path ?? '/loki/api/v1/push'}`, {
      method: init.method ?? 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, ...init.headers },
      body: init.body,
    });
  const answer = async (res: Response) => ({ status: res.status, type: res.headers.get('content-type'), text: await res.text() });

  it('answers 204 with an empty body to a gzipped JSON push and keeps it under the X-Scope-OrgID tenant', async () => {
    const from = received.length;
    const res = await post({
      body: gzipSync(body([{ stream: { job: 'cron' }, values: [[ts(), 'backup done', { run: '7' }]] }])),
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip', 'x-scope-orgid': 'ops' },
    });
    expect([res.status, await res.text()]).toEqual([204, '']);
    expect(received.slice(from).map((r) => [r.push.tenant, r.push.remote, r.push.streams[0]?.labels])).toEqual([
      ['ops', '127.0.0.1', { job: 'cron', service_name: 'cron' }],
    ]);
  });

  it('reproduces an AgentTrail event that another machine pushed, as a snappy protobuf with seq and hash as metadata', async () => {
    const from = received.length;
    const event = {
      timestamp: new Date(Date.now() - 1000).toISOString(), level: 'INFO', event_type: 'file_read', hook_event: 'PostToolUse',
      session_id: 's-9', prompt_id: null, agent_id: null, agent_type: null, project_path: '/srv/app', project_name: 'app', cwd: '/srv/app',
      tool_name: 'Read', tool_use_id: 'toolu_9', action_details: { phase: 'post', file_path: '/srv/app/a.ts' },
      context: { command: '', persona: '', reasoning: '' },
      metadata: { claude_version: '2.1.328', user_id: 'ana', host: 'ana-laptop', agenttrail_version: '0.1.0', transport: 'http', permission_mode: 'default', claude_pid: 77 },
      raw: { hook_event_name: 'PostToolUse' },
    };
    const protobuf = await import('protobufjs');
    const snappy = await import('snappyjs');
    const type = protobuf.default.Root.fromJSON({
      nested: {
        Push: { fields: { streams: { rule: 'repeated', type: 'Stream', id: 1 } } },
        Stream: { fields: { labels: { type: 'string', id: 1 }, entries: { rule: 'repeated', type: 'Entry', id: 2 } } },
        Entry: { fields: { timestamp: { type: 'Ts', id: 1 }, line: { type: 'string', id: 2 }, structuredMetadata: { rule: 'repeated', type: 'Pair', id: 3 } } },
        Pair: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Ts: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
      },
    }).lookupType('Push');
    const ms = Date.parse(event.timestamp);
    const message = type.fromObject({
      streams: [{
        labels: '{host="ana-laptop", service_name="claude-code"}',
        entries: [{ timestamp: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 + 12 }, line: JSON.stringify(event), structuredMetadata: [{ name: 'seq', value: '12' }, { name: 'hash', value: 'f'.repeat(64) }] }],
      }],
    });
    const res = await post({ body: Buffer.from(snappy.default.compress(type.encode(message).finish())), headers: { 'content-type': 'application/x-protobuf' } });
    expect(res.status).toBe(204);
    const events = received.slice(from).flatMap((r) => eventsFromLokiPush(r.push, { host: 'collector', agenttrailVersion: '0.1.0' }));
    expect(events).toEqual([
      {
        ...event,
        action_details: { ...event.action_details, source_seq: 12, source_hash: 'f'.repeat(64), source_transport: 'http', loki_tenant: 'fake', loki_remote: '127.0.0.1' },
        metadata: { ...event.metadata, transport: 'loki' },
      },
    ]);
  });

  it.each([
    ['no Content-Type', {}, Buffer.from(body([])), 'mime: no media type'],
    ['an unsupported Content-Encoding', { 'content-type': 'application/json', 'content-encoding': 'br' }, body([]), 'Content-Encoding "br" not supported'],
    ['JSON sent as protobuf', { 'content-type': 'application/x-protobuf' }, body([]), 'snappy: corrupt input'],
    ['a label name Loki cannot parse', { 'content-type': 'application/json' }, body([{ stream: { 'tool.name': 'x' }, values: [] }]), "couldn't parse labels: 1:6: parse error: unexpected character inside braces: '.'"],
    ['a numeric timestamp', { 'content-type': 'application/json' }, body([{ stream: { a: 'b' }, values: [[1, 'x']] }]), 'Value is string, but can\'t find closing \'"\' symbol'],
    ['an invalid tenant', { 'content-type': 'application/json', 'x-scope-orgid': 'a b' }, body([]), "tenant ID 'a b' contains unsupported character ' '"],
  ])('answers 400 to %s', async (_name, headers, payload, text) => {
    expect(await answer(await post({ body: payload, headers }))).toEqual({ status: 400, type: 'text/plain; charset=utf-8', text: `${text}\n` });
  });

  it('answers 400 with the grouped errors and keeps the valid entries of a partly invalid push', async () => {
    const from = received.length;
    const payload = body([{ stream: { a: 'b' }, values: [[ts(), 'fine'], ['1000000000', 'ancient'], ['2000000000', 'ancient too']] }]);
    const res = await answer(await post({ body: payload, headers: { 'content-type': 'application/json' } }));
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/^1 errors like: entry for stream '\{a="b", service_name="unknown_service"\}' has timestamp too old: 1970-01-01T00:00:01Z, oldest acceptable timestamp is: .*; 1 errors like: .* too old: 1970-01-01T00:00:02Z, .*\n$/);
    expect(entriesOf(received.slice(from)).map((e) => e.line)).toEqual(['fine']);
  });

  it('answers 401 without the token, with a wrong one, and accepts basic auth with the token as password', async () => {
    const payload = body([{ stream: { a: 'b' }, values: [[ts(), 'x']] }]);
    const headers = { 'content-type': 'application/json' };
    expect((await post({ body: payload, headers: { ...headers, authorization: '' } })).status).toBe(401);
    expect((await post({ body: payload, headers: { ...headers, authorization: 'Bearer not-the-token-0000' } })).status).toBe(401);
    const basic = `Basic ${Buffer.from(`anyone:${TOKEN}`).toString('base64')}`;
    expect((await post({ body: payload, headers: { ...headers, authorization: basic } })).status).toBe(204);
  });

  it('answers 413 to a body over the limit', async () => {
    const res = await answer(await post({ body: Buffer.alloc(1024 * 1024 + 1, 0x20), headers: { 'content-type': 'application/json' } }));
    expect(res).toEqual({ status: 413, type: 'text/plain; charset=utf-8', text: `request body too large: message size too large than max (${1024 * 1024 + 1} vs ${1024 * 1024})\n` });
  });

  it('answers 413 to a chunked body that grows over the limit', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${base}/loki/api/v1/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/^request body too large: message size too large than max \(\d+ vs 1048576\)\n$/);
  });

  it('answers 422 to a push without streams', async () => {
    expect(await answer(await post({ body: body([]), headers: { 'content-type': 'application/json' } }))).toEqual({
      status: 422,
      type: 'text/plain; charset=utf-8',
      text: 'error at least one valid stream is required for ingestion\n',
    });
  });

  it('answers 500 to an empty structured metadata name, and 503 when the push cannot be stored', async () => {
    const sm = body([{ stream: { a: 'b' }, values: [[ts(), 'x', { '': 'v' }]] }]);
    expect((await answer(await post({ body: sm, headers: { 'content-type': 'application/json' } }))).status).toBe(500);
    failAccept = true;
    try {
      const ok = body([{ stream: { a: 'b' }, values: [[ts(), 'x']] }]);
      expect(await answer(await post({ body: ok, headers: { 'content-type': 'application/json' } }))).toMatchObject({
        status: 503,
        text: 'could not store the push: spool is full\n',
      });
    } finally {
      failAccept = false;
    }
  });

  it('answers 405 to a GET on the push path and leaves other paths to the next handler', async () => {
    expect((await post({ method: 'GET' })).status).toBe(405);
    expect((await post({ path: '/loki/api/v1/query' })).status).toBe(404);
  });
});
