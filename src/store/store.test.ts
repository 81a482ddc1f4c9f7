import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tmpDir } from '../../test/helpers/tmp.js';
import { writeSyntheticJournal } from '../../test/helpers/generate.js';
import { readJournal, readJournalLocated } from '../journal/reader.js';
import { EventIndex } from './event-index.js';
import { matchesFilter } from './match.js';
import type { EventFilter } from './queries.js';
import { createLocalStore, type LocalStore } from './service.js';

const START = Date.parse('2026-10-01T00:00:00Z');
const DAY = 86_400_000;

function journal(events = 6000): string {
  const dir = join(tmpDir(), 'journal');
  writeSyntheticJournal(dir, { events, startMs: START, spanMs: 10 * DAY, seed: 7 });
  return dir;
}

async function openStore(journalDir: string): Promise<LocalStore> {
  return createLocalStore(await EventIndex.open(join(journalDir, '..', 'index.duckdb'), journalDir));
}

async function allSeqs(store: LocalStore, f: EventFilter): Promise<number[]> {
  const out: number[] = [];
  let cursor: number | undefined;
  do {
    const page = await store.events(f, { limit: 700, ...(cursor !== undefined ? { cursor } : {}) });
    out.push(...page.events.map((e) => e.seq));
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

const FILTERS: [string, EventFilter][] = [
  ['everything', {}],
  ['one tool', { tool: 'bash' }],
  ['one type', { type: 'tool_failure' }],
  ['a project', { project: 'billing' }],
  ['a user and host', { user: 'alice', host: 'dev-2' }],
  ['at least WARN', { severity: 'WARN' }],
  ['a path glob across directories', { path: '*/.ssh/*' }],
  ['a time range', { sinceMs: START + 2 * DAY, untilMs: START + 3 * DAY }],
  ['text in commands', { text: 'GIT STATUS' }],
  ['a session prefix', { session: 'sess-7-0000000a' }],
  ['combined', { tool: 'Read', sinceMs: START + DAY, text: 'src/', project: 'webapp' }],
];

describe('DuckDB index', () => {
  it.each(FILTERS)('returns what the journal holds for %s, across pages', async (_, filter) => {
    const dir = journal();
    const store = await openStore(dir);
    await store.catchUp();
    const expected = [...readJournal(dir)].filter((e) => matchesFilter(e, filter)).map((e) => e.seq);
    expect(expected.length).toBeGreaterThan(0);
    expect(await allSeqs(store, filter)).toEqual(expected);
    await store.close();
  });

  it('returns each event whole, its raw payload read back from the journal', async () => {
    const dir = journal(1500);
    const store = await openStore(dir);
    await store.catchUp();
    const page = await store.events({}, { limit: 1500 });
    expect(page.events.map(({ seq, hash, ...event }) => ({ seq, hash, event }))).toEqual([...readJournal(dir)].map((e) => ({ seq: e.seq, hash: e.hash, event: e.event })));
    await store.close();
  });

  it('gives the same index whether built live batch by batch or rebuilt at once', async () => {
    const dir = journal(3000);
    const entries = [...readJournalLocated(dir)];
    const live = createLocalStore(await EventIndex.open(join(dir, '..', 'live.duckdb'), dir));
    for (let i = 0; i < entries.length; i += 97) await live.follow(entries.slice(i, i + 97));
    const rebuilt = await openStore(dir);
    await rebuilt.rebuild();
    const dump = async (s: LocalStore) => JSON.stringify((await s.events({}, { limit: 10_000 })).events);
    expect(await dump(live)).toEqual(await dump(rebuilt));
    await live.sync();
    expect(live.lastSeq).toBe(entries.length);
    await live.close();
    await rebuilt.close();
  });

  it('resumes an interrupted reindex where it stopped', async () => {
    const dir = journal(12_000);
    const store = await openStore(dir);
    await expect(
      store.rebuild((seq) => {
        if (seq >= 5000 && seq < 12_000) throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    const partial = store.lastSeq;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(12_000);
    await store.close();
    const reopened = await openStore(dir);
    expect(reopened.lastSeq).toBe(partial);
    expect(await reopened.catchUp()).toBe(12_000 - partial);
    expect(await allSeqs(reopened, {})).toEqual(Array.from({ length: 12_000 }, (_, i) => i + 1));
    await reopened.close();
  });

  it('reads a gap from the journal when committed entries do not continue the cursor', async () => {
    const dir = journal(500);
    const entries = [...readJournalLocated(dir)];
    const store = await openStore(dir);
    await store.follow(entries.slice(0, 100));
    await store.follow(entries.slice(300, 310));
    await store.sync();
    expect(store.lastSeq).toBe(500);
    await store.close();
  });

  it('summarises sessions and counts per tool and hour', async () => {
    const dir = journal(2000);
    const store = await openStore(dir);
    await store.catchUp();
    const all = [...readJournal(dir)];
    const sessions = await store.sessions({}, 1000);
    expect(sessions.length).toBe(new Set(all.map((e) => e.event.session_id)).size);
    const one = sessions.at(-1)!;
    const mine = all.filter((e) => e.event.session_id === one.session_id);
    expect(one).toMatchObject({ events: mine.length, tool_calls: mine.filter((e) => e.event.hook_event === 'PreToolUse').length });
    const buckets = await store.aggregate({}, 'tool', 'hour');
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(all.length);
    const timeline = await store.session(one.session_id.slice(0, 16));
    expect(timeline.map((e) => e.seq)).toEqual(mine.map((e) => e.seq));
    await store.close();
  });
});

describe('chain verification while indexing', () => {
  it('indexes an intact journal without a break', async () => {
    const store = await openStore(journal(3000));
    await store.catchUp();
    expect(store.chainBreak).toBeUndefined();
    await store.close();
  });

  it('records the first entry whose bytes were edited, and still indexes everything', async () => {
    const dir = journal(3000);
    const { readdirSync, readFileSync, writeFileSync } = await import('node:fs');
    const segment = join(dir, readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()[0]!);
    const lines = readFileSync(segment, 'utf8').split('\n');
    const victim = lines.findIndex((l, i) => i > 100 && l.includes('"tool_name":"Bash"'));
    const seq = (JSON.parse(lines[victim]!) as { seq: number }).seq;
    lines[victim] = lines[victim]!.replace('"tool_name":"Bash"', '"tool_name":"Read"');
    writeFileSync(segment, lines.join('\n'));
    const store = await openStore(dir);
    await store.catchUp();
    expect(store.chainBreak).toEqual({ kind: 'hash_mismatch', seq });
    expect(store.lastSeq).toBe(3000);
    await store.close();
    const reopened = await openStore(dir);
    expect(reopened.chainBreak).toEqual({ kind: 'hash_mismatch', seq });
    await reopened.close();
  });
});

