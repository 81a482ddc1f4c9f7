/**
 * One AgentTrail as the team's collector: another AgentTrail's Loki sink pushes its journal to this
 * daemon's Loki endpoint (protobuf + snappy), and a third-party Loki client (winston-loki) writes to
 * it too. Everything arrives once, journaled and queryable, with the sending host preserved.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSampleSession } from '../helpers/samples.js';
import { capture, cli, cliAsync, eventsJson, installCaptureScript, makeTestHome, type TestHome } from '../helpers/agenttrail.js';

const started: TestHome[] = [];
afterEach(() => {
  for (const t of started.splice(0)) cli(t, ['down']);
});

function up(t: TestHome): string {
  installCaptureScript(t);
  const r = cli(t, ['up', '--detach']);
  expect(r.status, r.stderr).toBe(0);
  started.push(t);
  return (JSON.parse(readFileSync(t.paths.daemonInfo, 'utf8')) as { url: string }).url;
}

async function until<T>(fn: () => T, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let v = fn();
  while (!ok(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    v = fn();
  }
  return v;
}

describe('Loki relay: AgentTrail as the team collector', () => {
  it("stores another AgentTrail's journal pushed by its Loki sink, once, with the sender's host", async () => {
    const team = makeTestHome();
    const teamUrl = up(team);
    const dev = makeTestHome();
    installCaptureScript(dev);
    writeFileSync(dev.paths.configFile, JSON.stringify({ loki: { enabled: true, urls: [`${teamUrl}/loki/api/v1/push`], batch: { maxWaitMs: 200 } } }));
    up(dev);
    const session = loadSampleSession('benign-session');
    for (const p of session) capture(dev.paths.hookScript, String(p.hook_event_name), JSON.stringify(p), dev.env);
    expect((await cliAsync(dev, ['flush'])).status).toBe(0);
    const sent = eventsJson(dev);

    const relayed = await until(() => eventsJson(team, ['--session', String(session[0]!.session_id)]), (e) => e.length >= sent.length);
    expect(relayed).toHaveLength(sent.length);
    expect(relayed.map((e) => [e.timestamp, e.event_type, e.hook_event, e.tool_use_id])).toEqual(sent.map((e) => [e.timestamp, e.event_type, e.hook_event, e.tool_use_id]));
    expect(new Set(relayed.map((e) => e.metadata.transport))).toEqual(new Set(['loki']));
    expect(relayed.map((e) => e.action_details.source_seq)).toEqual(sent.map((e) => e.seq));
    expect(new Set(relayed.map((e) => e.metadata.host))).toEqual(new Set(sent.map((e) => e.metadata.host)));
    // The sender's findings come along as events; the team collector does not raise them again.
    expect(relayed.filter((e) => e.event_type === 'security_alert')).toHaveLength(sent.filter((e) => e.event_type === 'security_alert').length);
    // Heartbeats keep Loki's silence alert fed but are not audit events.
    expect(eventsJson(team, ['--type', 'heartbeat'])).toEqual([]);
    expect(cli(team, ['verify']).status).toBe(0);

    // A restart of the sender resends nothing: its cursor is past everything.
    expect(cli(dev, ['down']).status).toBe(0);
    up(dev);
    await new Promise((r) => setTimeout(r, 1500));
    expect(eventsJson(team, ['--session', String(session[0]!.session_id)])).toHaveLength(sent.length);
  }, 60_000);

  it('accepts a third-party Loki client (winston-loki, protobuf + snappy) and stores its lines as log_line events', async () => {
    const team = makeTestHome();
    const teamUrl = up(team);
    const { createLogger } = await import('winston');
    const { default: LokiTransport } = (await import('winston-loki')) as unknown as { default: new (o: Record<string, unknown>) => import('winston').transport };
    const logger = createLogger({ transports: [new LokiTransport({ host: teamUrl, labels: { service_name: 'billing-api', host: 'web-7' }, batching: false, onConnectionError: () => undefined })] });
    logger.warn('payment retried', { labels: { level: 'warn' } });
    logger.error('payment failed for order 42');
    const lines = await until(() => eventsJson(team, ['--type', 'log_line']), (e) => e.length >= 2);
    // winston-loki writes `message {meta as JSON}` as the line.
    const failed = lines.find((e) => String(e.action_details.line).startsWith('payment failed for order 42'))!;
    const retried = lines.find((e) => String(e.action_details.line).startsWith('payment retried'))!;
    expect(lines.every((e) => e.metadata.transport === 'loki' && e.project_name === 'billing-api')).toBe(true);
    expect([failed.level, retried.level]).toEqual(['ERROR', 'WARN']);
    logger.close();
  }, 60_000);

  it('refuses pushes and hook events that a web page sent (Origin or cross-site fetch metadata)', async () => {
    const team = makeTestHome();
    const url = up(team);
    const body = JSON.stringify({ streams: [{ stream: { service_name: 'x' }, values: [[`${Date.now()}000000`, 'hello']] }] });
    const push = (headers: Record<string, string>) => fetch(`${url}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await push({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await push({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await fetch(`${url}/api/v1/hook/PreToolUse`, { method: 'POST', headers: { origin: 'https://evil.example' }, body: '{}' })).status).toBe(403);
    expect((await push({})).status).toBe(204);
  });
});

