/**
 * The Loki sink end to end, in process: a real journal written with JournalWriter, the real delivery
 * runner, and the fake Loki (a real local HTTP(S) server that decodes and validates pushes as Loki
 * does). Expected entries are derived here from the journal independently of the sink's code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { canonicalJson, type JournalEntry } from '../../src/core/chain/entry.js';
import type { ActionDetails, AgentEvent } from '../../src/core/event/schema.js';
import { readJournal } from '../../src/journal/reader.js';
import { JournalWriter } from '../../src/journal/writer.js';
import { readCursor, type Sleep } from '../../src/sinks/delivery/index.js';
import { createLokiSinks, lokiConfigSchema, type LokiSinks } from '../../src/sinks/loki/index.js';
import { entryIdentity, selfSignedCert, startFakeLoki, type FakeLoki, type FakeLokiEntry, type FakeLokiOptions } from '../helpers/fake-loki.js';
import { tmpDir } from '../helpers/tmp.js';

const fakes: FakeLoki[] = [];
const running: LokiSinks[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop(200)));
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fakeLoki(options: FakeLokiOptions = {}): Promise<FakeLoki> {
  const fake = await startFakeLoki(options);
  fakes.push(fake);
  return fake;
}

// Recent enough for Loki's 7-day window; several events share a millisecond.
const BASE_MS = Date.now() - 3_600_000;

function event(n: number, over: Partial<AgentEvent> = {}): AgentEvent {
  return {
    timestamp: new Date(BASE_MS + Math.floor(n / 3)).toISOString(),
    level: n % 5 === 0 ? 'WARN' : 'INFO',
    event_type: n % 2 ? 'command_exec' : 'file_read',
    hook_event: 'PreToolUse',
    session_id: `sess-${n % 2}`,
    prompt_id: `p-${n}`,
    agent_id: null,
    agent_type: null,
    project_path: '/home/alice/shop',
    project_name: 'shop',
    cwd: '/home/alice/shop',
    tool_name: 'Bash',
    tool_use_id: `toolu_${n}`,
    action_details: { command: `echo ${n} "quoted" \\ back` },
    context: { command: '', persona: '', reasoning: '' },
    metadata: { claude_version: '2.1.328', user_id: 'alice', host: 'devbox', agenttrail_version: '0.1.0', transport: 'command', permission_mode: 'default', claude_pid: null },
    raw: { n },
    ...over,
  };
}

/** What Loki must hold for a journal entry with the default configuration (computed without the sink's code). */
function expected(entry: JournalEntry): Pick<FakeLokiEntry, 'stream' | 'ts' | 'line' | 'metadata'> {
  const e = entry.event;
  const labels: Record<string, string> = { event_type: e.event_type, host: e.metadata.host, level: e.level.toLowerCase(), project: e.project_name, service_name: 'agenttrail', user: e.metadata.user_id };
  const stream = `{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(', ')}}`;
  const ts = (BigInt(Date.parse(e.timestamp)) * 1_000_000n + BigInt(entry.seq % 1_000_000)).toString();
  const metadata: Record<string, string> = {};
  for (const [k, v] of [['session_id', e.session_id], ['prompt_id', e.prompt_id], ['tool_use_id', e.tool_use_id], ['agent_id', e.agent_id], ['seq', String(entry.seq)], ['hash', entry.hash]] as const) if (v) metadata[k] = v;
  if (e.event_type === 'security_alert') metadata.rule_id = String((e.action_details as { rule_id: string }).rule_id);
  return { stream, ts, line: canonicalJson(e), metadata };
}

interface SetupOptions {
  readonly config?: Record<string, unknown>;
  readonly fake?: FakeLokiOptions;
  readonly clock?: () => number;
  readonly sleep?: Sleep;
  readonly random?: () => number;
}

async function setup(o: SetupOptions = {}) {
  const fake = await fakeLoki(o.fake);
  const journalDir = tmpDir();
  const stateDir = tmpDir();
  const writer = JournalWriter.open({ dir: journalDir, host: 'devbox', maxSegmentBytes: 1 << 20, tailEntries: 10 });
  const config = lokiConfigSchema.parse({ enabled: true, urls: [fake.url], batch: { maxWaitMs: 50 }, retry: { baseMs: 50, capMs: 400 }, timeoutMs: 2000, ...o.config });
  const logs: string[] = [];
  const open = (): LokiSinks => {
    const sinks = createLokiSinks(config, { journalDir, stateDir, log: (m) => logs.push(m), clock: o.clock, sleep: o.sleep, random: o.random });
    running.push(sinks);
    sinks.start();
    return sinks;
  };
  let sinks = open();
  const commit = (...events: AgentEvent[]): number => {
    for (const e of events) writer.append(e, `rec-${writer.head.seq + 1}`);
    writer.commit();
    sinks.wake(writer.head.seq);
    return writer.head.seq;
  };
  const commitMany = (from: number, count: number): number => commit(...Array.from({ length: count }, (_, i) => event(from + i)));
  const restart = async (drainMs = 200): Promise<void> => {
    await sinks.stop(drainMs);
    sinks = open();
  };
  const endpoint = () => sinks.stats().endpoints[0]!;
  const stats = () => endpoint().delivery;
  const journal = () => [...readJournal(journalDir)];
  /** Asserts that Loki holds exactly the journal's entries, each with one identity (duplicates byte-identical). */
  const expectExactlyTheJournal = (): void => {
    const want = journal().map((e) => entryIdentity(expected(e))).sort();
    const got = fake.unique().map(entryIdentity).sort();
    expect(got).toEqual(want);
    const bySeq = new Map<string, Set<string>>();
    for (const e of fake.entries) bySeq.set(e.metadata.seq!, (bySeq.get(e.metadata.seq!) ?? new Set()).add(entryIdentity(e)));
    for (const identities of bySeq.values()) expect(identities.size).toBe(1);
    for (const r of fake.requests) expect(r.unordered).toEqual([]);
  };
  return { fake, writer, journalDir, stateDir, commit, commitMany, restart, endpoint, stats, logs, journal, expectExactlyTheJournal, cursor: () => readCursor(stateDir, endpoint().id) };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Loki sink', () => {
  it('pushes every journal entry once as snappy protobuf, with labels, structured metadata and distinct nanosecond timestamps', async () => {
    const t = await setup({ config: { tenant: 'team-a', basicAuth: { username: '12345', password: 'glc_token' } }, fake: { tenant: 'team-a', authorization: `Basic ${Buffer.from('12345:glc_token').toString('base64')}` } });
    const head = t.commitMany(1, 30);
    await until(() => t.stats().delivered === 30);
    t.expectExactlyTheJournal();
    const first = t.fake.requests[0]!;
    expect(first.status).toBe(204);
    expect(first.headers['content-type']).toBe('application/x-protobuf');
    expect(first.headers['content-encoding']).toBeUndefined();
    expect(first.headers['user-agent']).toMatch(/^agenttrail\//);
    expect(new Set(t.fake.entries.map((e) => e.ts)).size).toBe(30);
    expect(Object.keys(t.fake.entries[0]!.labels).sort()).toEqual(['event_type', 'host', 'level', 'project', 'service_name', 'user']);
    expect(t.cursor()?.seq).toBe(head);
    expect(t.endpoint()).toMatchObject({ rejected: {}, truncated: 0 });
  });

  it('sends gzip-compressed JSON when configured, with the same entries as protobuf would', async () => {
    const t = await setup({ config: { encoding: 'json', gzip: true, bearerToken: 'tok' }, fake: { authorization: 'Bearer tok' } });
    t.commitMany(1, 12);
    await until(() => t.stats().delivered === 12);
    expect(t.fake.requests[0]!.headers['content-type']).toBe('application/json');
    expect(t.fake.requests[0]!.headers['content-encoding']).toBe('gzip');
    t.expectExactlyTheJournal();
  });

  it('sends each stream in timestamp order even when the journal is not', async () => {
    const t = await setup();
    const at = (n: number, ms: number) => event(n, { timestamp: new Date(BASE_MS + ms).toISOString(), level: 'INFO', event_type: 'file_read' });
    t.commit(at(1, 500), at(2, 100), at(3, 300), at(4, 100), at(5, 0));
    await until(() => t.stats().delivered === 5);
    expect(t.fake.requests).toHaveLength(1);
    // Equal timestamps (seq 2 and 4 share ms 100) keep journal order through the seq-derived nanoseconds.
    expect(t.fake.entries.map((e) => e.metadata.seq)).toEqual(['5', '2', '4', '3', '1']);
    t.expectExactlyTheJournal();
  });

  it('puts rule_id of a finding into structured metadata and keeps severity in the line', async () => {
    const t = await setup();
    const finding = { rule_id: 'AGT-EXFIL-001', severity: 'high', title: 'Secrets file sent', trigger_seqs: [1] } as unknown as ActionDetails;
    t.commit(event(1, { event_type: 'security_alert', level: 'WARN', action_details: finding }));
    await until(() => t.stats().delivered === 1);
    const [got] = t.fake.entries;
    expect(got!.metadata.rule_id).toBe('AGT-EXFIL-001');
    expect(got!.labels).toMatchObject({ event_type: 'security_alert', level: 'warn' });
    expect(JSON.parse(got!.line)).toMatchObject({ level: 'WARN', action_details: { severity: 'high' } });
    t.expectExactlyTheJournal();
  });

  it('retries after the Retry-After delay when Loki answers 429', async () => {
    const t = await setup({ fake: {} });
    t.fake.script({ status: 429, headers: { 'Retry-After': '1' }, body: 'ingestion rate limit exceeded for user fake (limit: 4194304 bytes/sec)' });
    t.commitMany(1, 5);
    await until(() => t.stats().delivered === 5);
    const [first, second] = t.fake.requests;
    expect(second!.atMs - first!.atMs).toBeGreaterThanOrEqual(1000);
    expect(second!.digest).toBe(first!.digest);
    expect(t.stats()).toMatchObject({ retries: 1, dropped: {} });
    t.expectExactlyTheJournal();
  });

  it('retries 500 and 503 answers with the same bytes, then delivers once', async () => {
    const t = await setup();
    t.fake.script({ status: 500 }, { status: 503, body: 'The server cannot accept more requests at this time.' });
    t.commitMany(1, 8);
    await until(() => t.stats().delivered === 8);
    expect(t.fake.requests.map((r) => r.status)).toEqual([500, 503, 204]);
    expect(new Set(t.fake.requests.map((r) => r.digest)).size).toBe(1);
    expect(t.stats()).toMatchObject({ retries: 2, dropped: {} });
    t.expectExactlyTheJournal();
  });

  it('counts a 400 partial acceptance as a drop, does not retry it, and carries on', async () => {
    // Loki's max_line_size is lower than the sink's: Loki stores the short lines and rejects the long ones.
    const t = await setup({ fake: { maxLineBytes: 900 } });
    const long = (n: number) => event(n, { action_details: { command: 'x'.repeat(1000) } });
    const seq = t.commit(event(1), long(2), event(3), long(4));
    await until(() => t.stats().dropped.http_400 === 4);
    expect(t.fake.requests).toHaveLength(1);
    expect(t.fake.requests[0]!.status).toBe(400);
    expect(t.fake.requests[0]!.error).toMatch(/^2 errors like: max entry size '900' bytes exceeded for stream '\{.*\}' while adding an entry with length '\d+' bytes$/);
    expect(t.fake.entries.map((e) => e.metadata.seq)).toEqual(['1', '3']);
    expect(t.stats().lastError).toContain('HTTP 400: 2 errors like: max entry size');
    expect(t.cursor()?.seq).toBe(seq);
    expect(t.logs.some((l) => /dropped 4 entries \(http_400/.test(l))).toBe(true);
    t.commit(event(5));
    await until(() => t.stats().delivered === 1);
    expect(t.fake.requests).toHaveLength(2);
  });

  it('retries a push that times out', async () => {
    const t = await setup({ config: { timeoutMs: 300 } });
    t.fake.script({ hang: true, store: false });
    t.commitMany(1, 4);
    await until(() => t.stats().delivered === 4);
    expect(t.fake.requests).toHaveLength(2);
    expect(t.stats().retries).toBe(1);
    expect(t.stats().lastError).toMatch(/timed out/);
    t.expectExactlyTheJournal();
  });

  it('retries while the connection is refused and delivers once Loki is back', async () => {
    const t = await setup();
    await t.fake.close();
    t.commitMany(1, 6);
    await until(() => t.stats().retries >= 2);
    expect(t.stats().lastError).toMatch(/ECONNREFUSED/);
    expect(t.stats().state).toBe('retrying');
    await t.fake.reopen();
    await until(() => t.stats().delivered === 6);
    t.expectExactlyTheJournal();
  });

  it('loses nothing over a 30-minute outage (virtual clock) and backs off to the cap', async () => {
    let virtual = Date.now();
    const delays: number[] = [];
    const sleep: Sleep = async (ms, signal) => {
      if (signal?.aborted) return;
      if (ms >= 500) delays.push(ms);
      virtual += ms;
      await new Promise((r) => setTimeout(r, 1));
    };
    const outageEnds = virtual + 30 * 60_000;
    const t = await setup({ config: { retry: { baseMs: 500, capMs: 300_000 } }, clock: () => virtual, sleep, random: () => 0.999 });
    t.fake.respond(() => (virtual < outageEnds ? { status: 503 } : undefined));
    t.commitMany(1, 40);
    await until(() => t.stats().delivered === 40, 15_000);
    expect(virtual).toBeGreaterThanOrEqual(outageEnds);
    expect(Math.max(...delays)).toBeLessThanOrEqual(300_000);
    expect(delays.filter((d) => d > 299_000).length).toBeGreaterThan(0);
    expect(t.stats()).toMatchObject({ dropped: {} });
    expect(t.stats().retries).toBeGreaterThan(10);
    t.expectExactlyTheJournal();
  });

  it('after a restart mid-push resends the same bytes: nothing lost, duplicates identical', async () => {
    const t = await setup();
    // Loki stores the push but the answer never arrives (lost on the way back).
    t.fake.script({ hang: true, store: true });
    const head = t.commitMany(1, 25);
    await until(() => t.fake.requests.length === 1);
    await t.restart(100);
    expect(t.cursor()?.seq).toBe(0);
    await until(() => t.stats().delivered === 25);
    expect(t.fake.requests).toHaveLength(2);
    expect(t.fake.requests[1]!.digest).toBe(t.fake.requests[0]!.digest);
    expect(t.fake.entries).toHaveLength(50);
    t.expectExactlyTheJournal();
    expect(t.cursor()?.seq).toBe(head);
  });

  it('drops entries outside Loki’s time window locally, counts them, and never re-stamps them', async () => {
    const t = await setup({ fake: { now: Date.now } });
    t.commit(event(1), event(2, { timestamp: new Date(Date.now() - 8 * 86_400_000).toISOString() }), event(3, { timestamp: new Date(Date.now() + 3_600_000).toISOString() }), event(4, { timestamp: 'yesterday' }));
    await until(() => t.stats().delivered === 4);
    expect(t.fake.requests.map((r) => r.status)).toEqual([204]);
    expect(t.fake.entries.map((e) => e.metadata.seq)).toEqual(['1']);
    expect(t.endpoint().rejected).toEqual({ too_old: 1, too_new: 1, invalid_timestamp: 1 });
    expect(t.logs.some((l) => /did not send 1 entries \(too_old/.test(l))).toBe(true);
  });

  it('shortens an oversized line to valid JSON instead of sending a line Loki rejects', async () => {
    const t = await setup({ config: { maxLineBytes: 4096 }, fake: { maxLineBytes: 4096 } });
    t.commit(event(1, { raw: { blob: 'r'.repeat(20_000) } }), event(2, { action_details: { command: 'c'.repeat(20_000) } }));
    await until(() => t.stats().delivered === 2);
    expect(t.fake.requests[0]!.status).toBe(204);
    const [a, b] = t.fake.entries.map((e) => JSON.parse(e.line) as Record<string, unknown>);
    expect(a).toMatchObject({ raw: null, _truncated: { reason: 'max_line_bytes', raw_removed: true } });
    expect((b!.action_details as { command: string }).command).toMatch(/…\[clipped \d+ chars\]$/);
    expect(t.endpoint().truncated).toBe(2);
  });

  it('splits a push that Loki answers 413 and delivers both halves', async () => {
    const t = await setup();
    t.fake.script({ status: 413, body: 'request body too large' });
    t.commitMany(1, 10);
    await until(() => t.stats().delivered === 10);
    expect(t.fake.requests.map((r) => [r.status, r.entries])).toEqual([[413, 10], [204, 5], [204, 5]]);
    t.expectExactlyTheJournal();
  });

  it('counts a push answered 260 (ingestion blocked) as dropped, not delivered', async () => {
    const t = await setup();
    t.fake.script({ status: 260, body: "ingestion blocked for user 'fake' until '2030-01-01' with status code '260'" });
    t.commitMany(1, 3);
    await until(() => t.stats().dropped.ingestion_blocked === 3);
    expect(t.fake.requests).toHaveLength(1);
  });

  it('keeps retrying a 401 (a wrong tenant or token is fixable), surfacing it in stats and dropping nothing', async () => {
    const t = await setup({ fake: { tenant: 'team-a' } });
    t.commitMany(1, 2);
    await until(() => t.fake.requests.length >= 2);
    expect(t.stats().lastError).toContain('HTTP 401: no org id');
    expect(t.stats().dropped.http_401 ?? 0).toBe(0);
    expect(t.stats().delivered).toBe(0);
  });

  it('pushes through an injected fetch instead of node:http when one is given', async () => {
    const fake = await fakeLoki();
    const journalDir = tmpDir();
    const writer = JournalWriter.open({ dir: journalDir, host: 'devbox', maxSegmentBytes: 1 << 20, tailEntries: 10 });
    for (let n = 1; n <= 3; n++) writer.append(event(n), `r${n}`);
    writer.commit();
    let calls = 0;
    const config = lokiConfigSchema.parse({ enabled: true, urls: [fake.url], batch: { maxWaitMs: 10 } });
    const sinks = createLokiSinks(config, { journalDir, stateDir: tmpDir(), log: () => undefined, fetch: (url, init) => (calls++, fetch(url, init)) });
    running.push(sinks);
    sinks.start();
    await until(() => sinks.stats().endpoints[0]!.delivery.delivered === 3);
    expect(calls).toBe(1);
    expect(fake.unique().map(entryIdentity).sort()).toEqual([...readJournal(journalDir)].map((e) => entryIdentity(expected(e))).sort());
  });

  it('feeds each URL through its own cursor, so a down endpoint does not hold back the others', async () => {
    const up = await fakeLoki();
    const t = await setup({ config: {} });
    await t.fake.close();
    const journalDir = tmpDir();
    const stateDir = tmpDir();
    const writer = JournalWriter.open({ dir: journalDir, host: 'devbox', maxSegmentBytes: 1 << 20, tailEntries: 10 });
    const config = lokiConfigSchema.parse({ enabled: true, urls: [t.fake.url, up.url], batch: { maxWaitMs: 20 }, retry: { baseMs: 50, capMs: 200 } });
    const sinks = createLokiSinks(config, { journalDir, stateDir, log: () => undefined });
    running.push(sinks);
    sinks.start();
    for (let n = 1; n <= 5; n++) writer.append(event(n), `r${n}`);
    writer.commit();
    sinks.wake(5);
    await until(() => sinks.stats().endpoints[1]!.delivery.delivered === 5);
    const [down, ok] = sinks.stats().endpoints;
    expect(down!.delivery.delivered).toBe(0);
    expect(down!.id).not.toBe(ok!.id);
    expect(readCursor(stateDir, ok!.id)?.seq).toBe(5);
    expect(readCursor(stateDir, down!.id)?.seq).toBe(0);
    await t.fake.reopen();
    await until(() => sinks.stats().endpoints[0]!.delivery.delivered === 5);
  });
});

describe('Loki sink over TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agenttrail-loki-tls-'));
  const cert = selfSignedCert(dir);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Skipped only where openssl is not installed: the certificate is generated at test time.
  it.skipIf(!cert)('trusts a self-signed Loki through caFile, and refuses it without (needs openssl)', async () => {
    const fake = await fakeLoki({ tls: { key: cert!.key, cert: cert!.cert } });
    const run = async (caFile?: string) => {
      const journalDir = tmpDir();
      const writer = JournalWriter.open({ dir: journalDir, host: 'devbox', maxSegmentBytes: 1 << 20, tailEntries: 10 });
      writer.append(event(1), 'r1');
      writer.commit();
      const config = lokiConfigSchema.parse({ enabled: true, urls: [fake.url], caFile, batch: { maxWaitMs: 10 }, retry: { baseMs: 50, capMs: 100 } });
      const sinks = createLokiSinks(config, { journalDir, stateDir: tmpDir(), log: () => undefined });
      running.push(sinks);
      sinks.start();
      return sinks;
    };
    const trusted = await run(cert!.certPath);
    await until(() => trusted.stats().endpoints[0]!.delivery.delivered === 1);
    expect(fake.entries).toHaveLength(1);
    const untrusted = await run(undefined);
    await until(() => untrusted.stats().endpoints[0]!.delivery.retries >= 1);
    expect(untrusted.stats().endpoints[0]!.delivery.lastError).toMatch(/SELF_SIGNED|CERT|certificate/i);
    expect(fake.entries).toHaveLength(1);
  });
});
