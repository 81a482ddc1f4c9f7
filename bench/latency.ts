/**
 * End-to-end latency from hook to queryable: the real capture script writes an event with a unique
 * marker, and the running daemon's API is polled until a search finds it. Also reports the daemon's
 * resident memory and CPU use while idle. Usage: node dist-bench/bench/latency.js [--events N]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type * as Install from '../src/install/install.js';
import { resolvePaths } from '../src/config/paths.js';
import { SOURCE_SCRIPT } from '../src/install/settings.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '300' } } });
const N = Number(values.events);
const CLI = fileURLToPath(new URL('../../dist/bin/cli.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'agenttrail-latency-'));
const env = { ...process.env, AGENTTRAIL_HOME: join(root, 'at'), HOME: root, AGENTTRAIL_PORT: '0' };
const paths = resolvePaths(env);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)] ?? NaN;

function hook(marker: string): Promise<void> {
  return new Promise((resolve) => {
    const payload = JSON.stringify({ hook_event_name: 'PreToolUse', session_id: 'lat', tool_name: 'Bash', tool_use_id: marker, tool_input: { command: `echo ${marker}` } });
    const child = spawn('/bin/sh', ['-c', SOURCE_SCRIPT, paths.hookScript, 'PreToolUse', 'command'], { env, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('close', () => resolve());
    child.stdin.end(payload);
  });
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function main(): Promise<void> {
  // The installer from dist/: it finds the shipped hook script relative to itself.
  const install = (await import(new URL('../../dist/install/install.js', import.meta.url).href)) as typeof Install;
  install.installScript(paths, false, CLI);
  spawnSync(process.execPath, [CLI, 'up', '--detach', '--quiet'], { env });
  const info = JSON.parse(readFileSync(paths.daemonInfo, 'utf8')) as { url: string; pid: number };
  const latencies: number[] = [];
  for (let i = 0; i < N; i++) {
    const marker = `m${process.pid}x${i}`;
    const t0 = performance.now();
    await hook(marker);
    for (;;) {
      const res = (await (await fetch(`${info.url}/api/v1/search?q=${marker}&limit=1`)).json()) as { events: unknown[] };
      if (res.events.length) break;
      await sleep(2);
    }
    latencies.push(performance.now() - t0);
    await sleep(20);
  }
  await sleep(3000);
  const ticks0 = cpuTicks(info.pid);
  await sleep(10_000);
  const idleCpu = ((cpuTicks(info.pid) - ticks0) / 100 / 10) * 100;
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${info.pid}/status`, 'utf8'))?.[1]);
  spawnSync(process.execPath, [CLI, 'down'], { env });
  console.log(`\n${N} events, one at a time, capture script → spool → journal (fsync) → DuckDB index → API search\n`);
  console.log('| measurement | result | target |');
  console.log('|---|---:|---:|');
  console.log(`| hook to queryable, p50 / p99 / max | ${quantile(latencies, 0.5).toFixed(0)} / ${quantile(latencies, 0.99).toFixed(0)} / ${Math.max(...latencies).toFixed(0)} ms | p99 < 1000 ms |`);
  console.log(`| daemon RSS after the run, idle | ${(rssKb / 1024).toFixed(0)} MB | < 150 MB |`);
  console.log(`| daemon CPU while idle (10 s) | ${idleCpu.toFixed(2)} % of a core | near zero |`);
  rmSync(root, { recursive: true, force: true });
}

await main();
