import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePaths, type Paths } from '../../src/config/paths.js';
import { defaultConfig } from '../../src/config/config.js';
import { installScript } from '../../src/install/install.js';
import { SOURCE_SCRIPT } from '../../src/install/settings.js';
import { tmpDir } from './tmp.js';

/** The built CLI (tests run after `npm run build`). */
export const CLI = fileURLToPath(new URL('../../dist/bin/cli.js', import.meta.url));

export interface TestHome {
  readonly root: string;
  /** HOME for Claude Code and the CLI. */
  readonly home: string;
  readonly paths: Paths;
  readonly env: NodeJS.ProcessEnv;
}

/** A private HOME and AGENTTRAIL_HOME, with the daemon on a free port. */
export function makeTestHome(): TestHome {
  const root = tmpDir('agenttrail-home-');
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  const atHome = join(root, 'agenttrail');
  const env = { ...process.env, HOME: home, AGENTTRAIL_HOME: atHome, AGENTTRAIL_PORT: '0', NO_COLOR: '1' };
  return { root, home, paths: resolvePaths(env), env };
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI synchronously. */
export function cli(t: TestHome, args: string[], extraEnv: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...t.env, ...extraEnv }, encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 30 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI asynchronously (for commands that wait, such as flush). */
export function cliAsync(t: TestHome, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: t.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Parses `agenttrail events --json` output. */
export function eventsJson(t: TestHome, args: string[] = []): Record<string, any>[] {
  const r = cli(t, ['events', '--json', ...args]);
  if (r.status !== 0) throw new Error(`events failed (${r.status}): ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
}

/** Installs the capture script (without touching any settings file). */
export function installCaptureScript(t: TestHome, autostart = false): string {
  installScript(t.paths, autostart, CLI);
  return t.paths.hookScript;
}

/** The argv Claude Code runs for an installed command hook (exec form). */
export const hookArgv = (script: string, event: string) => ['-c', SOURCE_SCRIPT, script, event, 'command'];

/** Runs the capture script once, as Claude Code would, with `stdin` as the payload. */
export function capture(script: string, event: string, stdin: string | Buffer, env: NodeJS.ProcessEnv = process.env) {
  return spawnSync('/bin/sh', hookArgv(script, event), { input: stdin, env, timeout: 30_000 });
}

/** Runs the capture script asynchronously (for parallel bursts). */
export function captureAsync(script: string, event: string, stdin: string, env: NodeJS.ProcessEnv = process.env): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', hookArgv(script, event), { env, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('close', resolve);
    child.stdin.end(stdin);
  });
}
