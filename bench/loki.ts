/**
 * Loki push throughput and size: the real Loki sink (delivery runner, labels, validation, encoders,
 * node:http transport) reads a generated journal of realistic events and pushes it to the fake Loki on
 * loopback, once per encoding (protobuf+snappy, JSON+gzip, JSON), in rotating order within one run.
 * The timed runs use the fake in drain-only mode so its decoding does not count against the sender;
 * one extra decoding run per encoding checks that Loki would hold exactly the journal's entries.
 *
 *   npm run bench:loki                          # 20,000 events, 3 timed runs per encoding
 *   npm run bench:loki -- --events 100000 --runs 5
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readJournal } from '../src/journal/reader.js';
import type { LokiConfig } from '../src/sinks/loki/index.js';
import { startFakeLoki } from '../test/helpers/fake-loki.js';
import { writeSyntheticJournal } from '../test/helpers/generate.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '20000' }, runs: { type: 'string', default: '3' } } });
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);

const ENCODINGS: { name: string; encoding: LokiConfig['encoding']; gzip: boolean }[] = [
  { name: 'protobuf + snappy', encoding: 'protobuf', gzip: false },
  { name: 'JSON + gzip', encoding: 'json', gzip: true },
  { name: 'JSON', encoding: 'json', gzip: false },
];

interface Run {
  readonly ms: number;
  readonly cpuMs: number;
  readonly wireBytes: number;
  readonly requests: number;
  readonly unique: number;
}

// src/version.ts reads ../package.json relative to itself, i.e. dist-bench/package.json once compiled here.
const benchPackageJson = new URL('../package.json', import.meta.url);
if (!existsSync(benchPackageJson)) copyFileSync(new URL('../../package.json', import.meta.url), benchPackageJson);
const { createLokiSinks, lokiConfigSchema } = await import('../src/sinks/loki/index.js');

async function pushAll(journalDir: string, enc: (typeof ENCODINGS)[number], decode: boolean): Promise<Run> {
  const fake = await startFakeLoki({ decode });
  const stateDir = mkdtempSync(join(tmpdir(), 'agenttrail-bench-loki-state-'));
  // maxWaitMs 0: the journal is complete, so waiting for a batch to fill would only add idle time at the end.
  const config = lokiConfigSchema.parse({ enabled: true, urls: [fake.url], encoding: enc.encoding, gzip: enc.gzip, batch: { maxWaitMs: 0 } });
  const sinks = createLokiSinks(config, { journalDir, stateDir, log: (m) => console.error(m) });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  sinks.start();
  while (sinks.stats().endpoints[0]!.delivery.delivered < EVENTS) await new Promise((r) => setTimeout(r, 2));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const stats = sinks.stats().endpoints[0]!;
  await sinks.stop(1000);
  await fake.close();
  rmSync(stateDir, { recursive: true, force: true });
  if (Object.keys(stats.delivery.dropped).length || Object.keys(stats.rejected).length) throw new Error(`entries were dropped: ${JSON.stringify(stats)}`);
  const wireBytes = fake.requests.reduce((n, r) => n + r.bytes, 0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, wireBytes, requests: fake.requests.length, unique: fake.unique().length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'agenttrail-bench-loki-'));
  try {
    const journalDir = join(root, 'journal');
    // Timestamps end now, so every event is inside Loki's 7-day window.
    writeSyntheticJournal(journalDir, { events: EVENTS, startMs: Date.now() - 6 * 3_600_000, spanMs: 6 * 3_600_000, seed: 7 });
    let journalBytes = 0;
    for (const entry of readJournal(journalDir)) journalBytes += Buffer.byteLength(JSON.stringify(entry.event));
    for (const enc of ENCODINGS) {
      const check = await pushAll(journalDir, enc, true);
      if (check.unique !== EVENTS) throw new Error(`${enc.name}: Loki would hold ${check.unique} entries, the journal has ${EVENTS}`);
    }
    const runs = new Map<string, Run[]>(ENCODINGS.map((e) => [e.name, []]));
    for (let r = 0; r < RUNS; r++) {
      for (let i = 0; i < ENCODINGS.length; i++) {
        const enc = ENCODINGS[(i + r) % ENCODINGS.length]!;
        runs.get(enc.name)!.push(await pushAll(journalDir, enc, false));
      }
    }
    console.log(`\n## Loki push: ${fmt(EVENTS)} generated events (${fmt(journalBytes / EVENTS)} B of event JSON each), ${RUNS} timed runs per encoding, median\n`);
    console.log('| encoding | events/s | wire bytes/event | vs event JSON | requests | total ms | CPU ms / 1k events |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const enc of ENCODINGS) {
      const rs = runs.get(enc.name)!;
      const ms = median(rs.map((x) => x.ms));
      const perEvent = rs[0]!.wireBytes / EVENTS;
      console.log(`| ${enc.name} | ${fmt(EVENTS / (ms / 1000))} | ${perEvent.toFixed(1)} | ${((100 * perEvent) / (journalBytes / EVENTS)).toFixed(1)} % | ${rs[0]!.requests} | ${fmt(ms)} | ${(median(rs.map((x) => x.cpuMs)) / (EVENTS / 1000)).toFixed(1)} |`);
    }
    console.log(`\nBatches: 1 MiB of journal lines (maxWaitMs 0), fake Loki on 127.0.0.1 in drain-only mode; each encoding's output was also decoded once and held exactly the ${fmt(EVENTS)} journal entries.`);
    console.log(`Command: npm run bench:loki -- --events ${EVENTS} --runs ${RUNS}   (node ${process.version}, ${process.platform}/${process.arch})\n`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
