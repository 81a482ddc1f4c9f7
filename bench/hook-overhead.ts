/**
 * Hook overhead benchmark: what capturing every hook event costs a real Claude Code session.
 *
 * Runs the real CLI (test/helpers/claude-cli.ts) offline against the scripted model server through one
 * session of 40 Read calls over 10 turns (some parallel), once per configuration per round: no hooks,
 * three no-op hooks (command, async command, http), AgentTrail's three transports installed by the real
 * installer with their daemons running, and the original design's bash+sed script. Rounds interleave the
 * configurations so machine noise spreads evenly; round 0 is a discarded warm-up. Prints a markdown table.
 *
 * Usage: npm run bench:hooks -- [--runs N] (default 7 timed runs per configuration).
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/config.js';
import { resolvePaths } from '../src/config/paths.js';
import { observedEvents, WATCHED_FILES } from '../src/install/hook-events.js';
import type { Transport } from '../src/install/settings.js';
import { runClaude } from '../test/helpers/claude-cli.js';
import { startModelServer, type Conversation, type ScriptedTurn } from '../test/helpers/model-server.js';

/** Compiled to dist-bench/bench/, so the repository is two levels up. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/bin/cli.js');
/** The original design's hook script, copied verbatim from its design document (shared/reference/original-design.md). */
const DESIGN_SCRIPT = fileURLToPath(new URL('../../bench/fixtures/design-telemetry-hook.sh', import.meta.url));
const PROMPT = 'Benchmark: read the forty files.';
/** Tool calls per turn: 40 Reads in 10 turns, mixing single and parallel calls. */
const TURN_SIZES = [1, 4, 1, 8, 2, 6, 1, 10, 3, 4];

type Kind = 'baseline' | 'noop' | 'ours' | 'design';
interface Setup {
  readonly name: string;
  readonly kind: Kind;
  /** The no-op configuration this one is compared with. */
  readonly compareTo?: string;
  readonly settingsFile: string;
  readonly home: string;
  /** AgentTrail CLI environment (ours only). */
  readonly atEnv?: NodeJS.ProcessEnv;
  readonly times: number[];
  readonly sessions: string[];
  /** Hook events delivered per timed run, where something counts them. */
  readonly delivered: number[];
}

function parseRuns(argv: string[]): number {
  const i = argv.indexOf('--runs');
  const runs = i >= 0 ? Number(argv[i + 1]) : 7;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive integer');
  return runs;
}

/** A project of 40 small files and the scripted conversation that reads them. */
function makeProject(dir: string): Conversation {
  mkdirSync(dir, { recursive: true });
  const files = Array.from({ length: 40 }, (_, i) => join(dir, `file-${String(i).padStart(2, '0')}.txt`));
  files.forEach((f, i) => writeFileSync(f, `line one of file ${i}\nline two\n`));
  let next = 0;
  const turns: ScriptedTurn[] = TURN_SIZES.map((n) => ({
    text: 'Reading more files.',
    tools: files.slice(next, (next += n)).map((file_path) => ({ name: 'Read', input: { file_path } })),
  }));
  turns.push({ text: 'All forty files read.' });
  return { match: PROMPT, turns };
}

/** Claude settings registering `handler` for every event AgentTrail observes, with the same FileChanged matcher. */
function hooksFor(handler: (event: string) => Record<string, unknown>): Record<string, unknown> {
  const hooks: Record<string, unknown> = {};
  for (const event of observedEvents()) {
    hooks[event] = [{ ...(event === 'FileChanged' ? { matcher: WATCHED_FILES.join('|') } : {}), hooks: [handler(event)] }];
  }
  return { hooks };
}

function writeJson(file: string, value: unknown): string {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/**
 * The no-op http endpoint, in a Node process of its own as AgentTrail's daemon is (so both pay the same
 * cross-process scheduling on a 2-core machine): POST drains the body and answers 200 empty; GET answers
 * the number of POSTs since the previous GET.
 */
const NOOP_HTTP_SERVER = `let n = 0;
const s = require('node:http').createServer((q, r) => {
  q.resume();
  q.on('end', () => {
    if (q.method === 'GET') { r.end(String(n)); n = 0; return; }
    n += 1;
    r.writeHead(200, { 'content-length': '0' }).end();
  });
});
s.listen(0, '127.0.0.1', () => console.log(s.address().port));`;

async function startNoopHttp(): Promise<{ url: string; takeCount: () => Promise<number>; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', NOOP_HTTP_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const url = `http://127.0.0.1:${line.trim()}`;
  return { url, takeCount: async () => Number(await (await fetch(url)).text()), stop: () => child.kill() };
}

function agenttrail(env: NodeJS.ProcessEnv, args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`agenttrail ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Installs AgentTrail with the real installer of the built package (its paths point at dist/ and hook/), and starts its daemon. */
async function setupOurs(root: string, transport: Transport, settingsFile: string): Promise<NodeJS.ProcessEnv> {
  const install = (await import(pathToFileURL(join(ROOT, 'dist/install/install.js')).href)) as typeof import('../src/install/install.js');
  const env = { ...process.env, AGENTTRAIL_HOME: join(root, `agenttrail-${transport}`), AGENTTRAIL_PORT: String(await freePort()), NO_COLOR: '1' };
  const paths = resolvePaths(env);
  install.installHooks(paths, loadConfig(paths, env), settingsFile, transport);
  agenttrail(env, ['up', '--detach', '--quiet']);
  return env;
}

/** The original design's hook, verbatim except for the log path. */
function designScript(dir: string, log: string): string {
  const file = join(dir, 'telemetry-hook.sh');
  writeFileSync(file, readFileSync(DESIGN_SCRIPT, 'utf8').replace('/tmp/claude-telemetry.jsonl', log), { mode: 0o755 });
  return file;
}

/** One session, timed by runClaude (spawn to exit). Fails loudly: a broken run must not become a number. */
async function runSession(s: Pick<Setup, 'name' | 'home' | 'settingsFile'>, project: string, modelUrl: string): Promise<{ ms: number; session: string }> {
  const r = await runClaude({ prompt: PROMPT, cwd: project, home: s.home, modelUrl, settingsFile: s.settingsFile, timeoutMs: 180_000 });
  const result = (() => {
    try {
      return JSON.parse(r.stdout) as { is_error?: boolean; session_id?: string; result?: string };
    } catch {
      return undefined;
    }
  })();
  if (r.exitCode !== 0 || !result || result.is_error || result.result !== 'All forty files read.') {
    throw new Error(`${s.name}: session failed (exit ${r.exitCode}): ${r.stdout.slice(0, 500)} ${r.stderr.slice(0, 1000)}`);
  }
  return { ms: r.durationMs, session: result.session_id ?? '' };
}

const median = (xs: number[]) => quantile(xs, 0.5);
/** Nearest-rank quantile (with 7 runs, p90 is the slowest run). */
function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

/** Entries in the design script's log: multi-line JSON objects, each with one `  "timestamp": ` line. */
function logEntries(log: string): number {
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n  "timestamp": ').length - 1 : 0;
}

/** Events per name in the recorder's log (one JSON payload per line). */
function countByEvent(log: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
    const name = String((JSON.parse(line) as { hook_event_name?: string }).hook_event_name);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

function printTable(setups: Setup[], fired: number): void {
  const base = median(setups.find((s) => s.kind === 'baseline')!.times);
  const byName = new Map(setups.map((s) => [s.name, s]));
  const events = (s: Setup) => (s.kind === 'baseline' ? 0 : s.delivered.length > 0 && s.kind === 'noop' ? median(s.delivered) : fired);
  const overhead = (s: Setup) => median(s.times) - base;
  const sec = (ms: number) => (ms / 1000).toFixed(2);
  console.log('| configuration | median s | p90 s | hook events / session | overhead / event ms | overhead vs no-op | wall vs no-op |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const s of setups) {
    const ref = s.compareTo ? byName.get(s.compareTo) : undefined;
    const perEvent = s.kind === 'baseline' ? '—' : (overhead(s) / events(s)).toFixed(2);
    const vsOverhead = ref ? `${(overhead(s) / overhead(ref)).toFixed(2)}x` : '—';
    const vsWall = ref ? `${(median(s.times) / median(ref.times)).toFixed(2)}x` : '—';
    console.log(`| ${s.name} | ${sec(median(s.times))} | ${sec(quantile(s.times, 0.9))} | ${events(s)} | ${perEvent} | ${vsOverhead} | ${vsWall} |`);
  }
}

/** Proves the AgentTrail configurations stored every event: journal lines per timed session. */
function printStored(s: Setup): void {
  const perSession = new Map<string, number>();
  for (const line of agenttrail(s.atEnv!, ['events', '--json']).split('\n').filter(Boolean)) {
    const id = String((JSON.parse(line) as { session_id?: string }).session_id);
    perSession.set(id, (perSession.get(id) ?? 0) + 1);
  }
  console.log(`- ${s.name}: events stored per timed run: ${s.sessions.map((id) => perSession.get(id) ?? 0).join(' ')}`);
}

async function main(): Promise<void> {
  const runs = parseRuns(process.argv.slice(2));
  const root = mkdtempSync(join(tmpdir(), 'agenttrail-bench-'));
  const project = join(root, 'project');
  const model = await startModelServer([makeProject(project)]);
  const noopHttp = await startNoopHttp();
  const setups: Setup[] = [];
  try {
    const add = async (name: string, kind: Kind, settings: Record<string, unknown> | Transport, compareTo?: string) => {
      const dir = join(root, name.replace(/[^a-z0-9]+/gi, '-'));
      mkdirSync(join(dir, 'home'), { recursive: true });
      const settingsFile = join(dir, 'settings.json');
      // Every configuration gets its settings the same way: --settings FILE, with a HOME of its own.
      const atEnv = typeof settings === 'string' ? await setupOurs(root, settings, settingsFile) : (writeJson(settingsFile, settings), undefined);
      setups.push({ name, kind, settingsFile, home: join(dir, 'home'), times: [], sessions: [], delivered: [], ...(compareTo ? { compareTo } : {}), ...(atEnv ? { atEnv } : {}) });
    };
    const noop = { type: 'command', command: 'cat >/dev/null', timeout: 30 };
    const httpUrl = `${noopHttp.url}/hook`;
    await add('no hooks', 'baseline', {});
    await add('no-op command', 'noop', hooksFor(() => noop));
    await add('no-op async', 'noop', hooksFor(() => ({ ...noop, async: true })));
    await add('no-op http', 'noop', hooksFor((e) => ({ type: 'http', url: `${httpUrl}/${e}`, timeout: 10 })));
    await add('AgentTrail command', 'ours', 'command', 'no-op command');
    await add('AgentTrail async', 'ours', 'async', 'no-op async');
    await add('AgentTrail http', 'ours', 'http', 'no-op http');
    const designLog = join(root, 'claude-telemetry.jsonl');
    const design = designScript(root, designLog);
    await add('design bash+sed', 'design', hooksFor(() => ({ type: 'command', command: design })), 'no-op command');

    // Events fired per session, counted once by a sync recorder hook (each payload is one line on stdin).
    const recorderLog = join(root, 'recorder.jsonl');
    const recorderHooks = hooksFor(() => ({ type: 'command', command: `cat >> '${recorderLog}'` }));
    const recorder = { name: 'recorder', home: join(root, 'recorder-home'), settingsFile: writeJson(join(root, 'recorder.json'), recorderHooks) };
    mkdirSync(recorder.home);
    await runSession(recorder, project, model.url);
    const fired = countByEvent(recorderLog);
    const firedTotal = [...fired.values()].reduce((a, b) => a + b, 0);
    if (fired.get('PreToolUse') !== 40) throw new Error(`expected 40 PreToolUse events, got ${fired.get('PreToolUse')}`);

    for (let round = 0; round <= runs; round++) {
      for (let k = 0; k < setups.length; k++) {
        // Rotate the order each round so no configuration always follows the same neighbour.
        const s = setups[(k + round) % setups.length]!;
        if (s.name === 'no-op http') await noopHttp.takeCount(); // resets its count
        const designBefore = s.kind === 'design' ? logEntries(designLog) : 0;
        const { ms, session } = await runSession(s, project, model.url);
        // Let the daemon drain its spool outside the timed window, so it never steals CPU from the next run.
        if (s.atEnv) agenttrail(s.atEnv, ['flush', '--timeout', '60']);
        if (round === 0) continue;
        s.times.push(ms);
        s.sessions.push(session);
        if (s.name === 'no-op http') s.delivered.push(await noopHttp.takeCount());
        if (s.kind === 'design') s.delivered.push(logEntries(designLog) - designBefore);
      }
      process.stderr.write(round === 0 ? 'warm-up done\n' : `round ${round}/${runs} done\n`);
    }

    console.log(`\n${runs} timed runs per configuration (after 1 warm-up), 40 Read calls per session, ${process.platform} ${process.arch}.\n`);
    printTable(setups, firedTotal);
    console.log('\nOverhead = median − no-hooks median. "vs no-op": AgentTrail against the no-op hook of its transport, bash+sed against');
    console.log('the no-op command hook; "overhead" divides the overheads, "wall" the medians. p90 is nearest-rank.');
    console.log(`\nHook events fired per session (recorder): ${[...fired].map(([e, n]) => `${e} ${n}`).join(', ')}.`);
    console.log(`- no-op http: requests received per timed run: ${setups.find((s) => s.name === 'no-op http')!.delivered.join(' ')}`);
    for (const s of setups.filter((x) => x.kind === 'design')) console.log(`- ${s.name}: log entries per timed run: ${s.delivered.join(' ')}`);
    for (const s of setups.filter((x) => x.atEnv)) printStored(s);
  } finally {
    for (const s of setups) if (s.atEnv) spawnSync(process.execPath, [CLI, 'down'], { env: s.atEnv });
    noopHttp.stop();
    await model.close();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
