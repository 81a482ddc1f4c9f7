import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSyntheticJournal } from '../../test/helpers/generate.js';
import { tmpDir } from '../../test/helpers/tmp.js';
import { readJournal } from '../journal/reader.js';
import { EventIndex } from '../store/event-index.js';
import { createLocalStore } from '../store/service.js';
import type { JournalEntry } from '../core/chain/entry.js';
import { createApp } from './app.js';

async function app(token?: string) {
  const dir = join(tmpDir(), 'journal');
  writeSyntheticJournal(dir, { events: 800, startMs: Date.parse('2026-11-01T00:00:00Z'), spanMs: 3_600_000, seed: 3 });
  const store = createLocalStore(await EventIndex.open(join(dir, '..', 'i.duckdb'), dir));
  await store.catchUp();
  const listeners = new Set<(e: JournalEntry[]) => void>();
  const stats = { eventsStored: 800, lastEventTime: '', ingestedSinceStart: 0, quarantined: 0, duplicatesDropped: 0, backlog: 0, pendingWrites: 0, indexedSeq: 800, reindexing: false };
  const a = createApp({
    ...(token ? { token } : {}),
    stats: () => stats,
    daemon: () => ({ pid: 1, startedAt: '', url: '' }),
    query: store,
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    reindex: () => ({ targetSeq: 800 }),
  });
  return { a, store, dir, emit: (e: JournalEntry[]) => listeners.forEach((l) => l(e)) };
}

describe('HTTP API', () => {
  it('pages through events with a cursor', async () => {
    const { a, store } = await app();
    const first = (await (await a.request('/api/v1/events?limit=300')).json()) as { events: { seq: number }[]; next_cursor: number };
    const second = (await (await a.request(`/api/v1/events?limit=300&cursor=${first.next_cursor}`)).json()) as { events: { seq: number }[] };
    expect(first.events.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(second.events[0]!.seq).toBe(301);
    await store.close();
  });

  it.each([
    ['/api/v1/events?limit=0', /limit/],
    ['/api/v1/events?limit=abc', /limit/],
    ['/api/v1/events?since=yesterday-ish', /neither a duration/],
    ['/api/v1/events?type=DROP%20TABLE', /event types/],
    ['/api/v1/events?severity=loud', /severity/],
    ['/api/v1/events?bogus=1', /Unrecognized key|bogus/],
    ['/api/v1/search', /q/],
    ['/api/v1/aggregates?by=password', /by/],
    ['/api/v1/findings?finding_severity=loud', /finding_severity/],
    ['/api/v1/findings?rule=x%27%3B%20DROP', /rule ids/],
    ['/api/v1/findings?type=file_read', /Unrecognized key|type/],
  ])('answers 400 with the reason for %s', async (url, reason) => {
    const { a, store } = await app();
    const res = await a.request(url);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(reason);
    await store.close();
  });

  it('returns search results newest first unless asked otherwise', async () => {
    const { a, store } = await app();
    const seqs = async (url: string) => ((await (await a.request(url)).json()) as { events: { seq: number }[] }).events.map((e) => e.seq);
    const newest = await seqs('/api/v1/search?q=bash&limit=5');
    expect(newest).toEqual([...newest].sort((x, y) => y - x));
    const oldest = await seqs('/api/v1/search?q=bash&limit=5&order=asc');
    expect(oldest).toEqual([...oldest].sort((x, y) => x - y));
    expect(newest[0]!).toBeGreaterThan(oldest[0]!);
    await store.close();
  });

  it('treats hostile filter text as data, never as SQL', async () => {
    const { a, store } = await app();
    const res = await a.request(`/api/v1/search?q=${encodeURIComponent("x' OR 1=1; DROP TABLE events; --")}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { events: unknown[] }).events).toEqual([]);
    expect(((await (await a.request('/api/v1/events?limit=1')).json()) as { events: unknown[] }).events).toHaveLength(1);
    await store.close();
  });

  it('returns a session timeline and 404 for an unknown session', async () => {
    const { a, store, dir } = await app();
    const session = [...readJournal(dir)][0]!.event.session_id!;
    const ok = (await (await a.request(`/api/v1/sessions/${session}`)).json()) as { events: { session_id: string }[] };
    expect(ok.events.length).toBeGreaterThan(1);
    expect(new Set(ok.events.map((e) => e.session_id))).toEqual(new Set([session]));
    expect((await a.request('/api/v1/sessions/nope')).status).toBe(404);
    await store.close();
  });

  it('counts events by tool per hour', async () => {
    const { a, store } = await app();
    const body = (await (await a.request('/api/v1/aggregates?by=tool&interval=hour')).json()) as { buckets: { count: number }[] };
    expect(body.buckets.reduce((n, b) => n + b.count, 0)).toBe(800);
    await store.close();
  });

  it('requires the bearer token when one is set', async () => {
    const { a, store } = await app('a-long-enough-token-123');
    expect((await a.request('/api/v1/events')).status).toBe(401);
    expect((await a.request('/api/v1/events', { headers: { authorization: 'Bearer a-long-enough-token-123' } })).status).toBe(200);
    await store.close();
  });

  it('streams new events matching the filter as server-sent events', async () => {
    const { a, store, dir, emit } = await app();
    const entries = [...readJournal(dir)];
    const res = await a.request('/api/v1/stream?tool=Bash');
    const reader = res.body!.getReader();
    setTimeout(() => emit(entries.slice(0, 50)), 50);
    const { value } = await reader.read();
    const text = new TextDecoder().decode(value);
    const bash = entries.slice(0, 50).filter((e) => e.event.tool_name === 'Bash');
    expect(bash.length).toBeGreaterThan(0);
    expect(text).toContain(`id: ${bash[0]!.seq}`);
    expect(text).toContain('event: event');
    await reader.cancel();
    await store.close();
  });
});
