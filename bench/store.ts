/**
 * Benchmark of the embedded store on generated, realistic data (test/helpers/generate.ts): journal
 * append rate (normalise + RFC 8785 + SHA-256 + write + fsync), index ingest rate (journal → DuckDB),
 * session timeline, aggregate counts by tool per hour over 30 days, substring search over the last
 * 7 days, and the process's memory. Usage: node dist-bench/bench/store.js [--events N] [--dir D]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { syntheticJournal, writeSyntheticJournal } from '../test/helpers/generate.js';
import { EventIndex } from '../src/store/event-index.js';
import { createLocalStore } from '../src/store/service.js';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '1000000' }, dir: { type: 'string' }, keep: { type: 'boolean', default: false }, 'queries-only': { type: 'boolean', default: false } },
});
const EVENTS = Number(values.events);
const DAY = 86_400_000;
const END = Date.parse('2026-11-24T00:00:00Z');
const START = END - 30 * DAY;

const root = values.dir ?? mkdtempSync(join(tmpdir(), 'agenttrail-store-bench-'));
mkdirSync(root, { recursive: true });
const journalDir = join(root, 'journal');
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)] ?? NaN;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function timeIt(runs: number, fn: (i: number) => Promise<unknown>): Promise<{ median: number; p99: number }> {
  const times: number[] = [];
  await fn(-1); // warm-up
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    times.push(ms(t0));
  }
  return { median: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

async function main(): Promise<void> {
  // --queries-only reuses a --dir that an earlier run generated and indexed.
  const queriesOnly = values['queries-only'];
  if (!queriesOnly) console.log(`Generating ${EVENTS.toLocaleString('en')} events over 30 days in ${root} …`);
  let t0 = process.hrtime.bigint();
  if (!queriesOnly) writeSyntheticJournal(journalDir, { events: EVENTS, startMs: START, spanMs: 30 * DAY, seed: 42 });
  const journalMs = ms(t0);

  const store = createLocalStore(await EventIndex.open(join(root, 'index.duckdb'), journalDir));
  t0 = process.hrtime.bigint();
  await store.catchUp();
  const indexMs = ms(t0);

  // The daemon's own path: each committed batch goes straight to the index (no re-read of the journal).
  const liveRoot = join(root, 'live');
  mkdirSync(liveRoot, { recursive: true });
  const liveStore = createLocalStore(await EventIndex.open(join(liveRoot, 'index.duckdb'), join(liveRoot, 'journal')));
  const liveEvents = queriesOnly ? 0 : Math.min(EVENTS, 1_000_000);
  t0 = process.hrtime.bigint();
  for (const batch of syntheticJournal(join(liveRoot, 'journal'), { events: liveEvents, startMs: START, spanMs: 30 * DAY, seed: 43 })) await liveStore.follow(batch);
  const liveMs = ms(t0);
  await liveStore.close();
  rmSync(liveRoot, { recursive: true, force: true });

  const sessions = await store.sessions({ sinceMs: END - 30 * DAY }, 10_000);
  const timeline = await timeIt(50, (i) => store.session(sessions[(i + 1) * 37 % sessions.length]!.session_id));
  const agg = await timeIt(10, () => store.aggregate({ sinceMs: START, untilMs: END }, 'tool', 'hour'));
  const words = ['git status', 'npm test', 'id_rsa', 'docker compose', 'no-such-text-anywhere'];
  const search = await timeIt(10, (i) => store.events({ text: words[Math.max(0, i) % words.length]!, sinceMs: END - 7 * DAY }, { limit: 200, newest: true }));
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  await store.close();

  const rate = (n: number, t: number) => Math.round(n / (t / 1000)).toLocaleString('en');
  console.log(`\n${EVENTS.toLocaleString('en')} events, ${sessions.length.toLocaleString('en')} sessions in the last 30 days, DuckDB memory_limit 96MB, 2 threads\n`);
  console.log('| measurement | result | target |');
  console.log('|---|---:|---:|');
  if (!queriesOnly) {
    console.log(`| journal append (normalise + canonical JSON + SHA-256 + write + fsync) | ${rate(EVENTS, journalMs)} events/s | — |`);
    console.log(`| index ingest from the journal: read + parse + SHA-256 chain verification + DuckDB appender (reindex) | ${rate(EVENTS, indexMs)} events/s | ≥ 20,000 events/s |`);
    console.log(`| both in sequence (journal, then reindex from it) | ${rate(EVENTS, journalMs + indexMs)} events/s | — |`);
    console.log(`| live pipeline as in the daemon, one thread: normalise + hash + journal + index each batch (${liveEvents.toLocaleString('en')} events) | ${rate(liveEvents, liveMs)} events/s | — |`);
  }
  console.log(`| session timeline (median / p99 of 50) | ${timeline.median.toFixed(1)} / ${timeline.p99.toFixed(1)} ms | < 50 ms |`);
  console.log(`| counts by tool per hour, 30 days (median / p99 of 10) | ${agg.median.toFixed(1)} / ${agg.p99.toFixed(1)} ms | < 300 ms |`);
  console.log(`| substring search, last 7 days, newest 200 (median / p99 of 10) | ${search.median.toFixed(1)} / ${search.p99.toFixed(1)} ms | < 500 ms |`);
  console.log(`| RSS of this process after the queries | ${rssMb.toFixed(0)} MB | — |`);
  if (!values.keep && !values.dir) rmSync(root, { recursive: true, force: true });
}

await main();
