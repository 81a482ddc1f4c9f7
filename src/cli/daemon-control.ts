import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import type { Paths } from '../config/paths.js';
import type { CollectorStats } from '../daemon/collector.js';
import { readPid } from '../daemon/lock.js';
import type { DaemonInfo } from '../daemon/run.js';
import { UserError } from '../errors.js';
import { CLI_ENTRY } from '../install/install.js';
import { ensurePrivateDir, readJsonIfExists } from '../platform/fs.js';
import { isProcessAlive } from '../spool/reader.js';

export interface DaemonState {
  readonly running: boolean;
  readonly pid: number;
  readonly info?: DaemonInfo;
  readonly stats?: CollectorStats;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Returns whether `pid` is an AgentTrail daemon. A pid file left by a killed daemon can name a pid
 * the system has since given to another program, which must never be signalled.
 */
export function isDaemonProcess(pid: number): boolean {
  if (!isProcessAlive(pid)) return false;
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((a) => a.endsWith('cli.js') || a.endsWith('agenttrail')) && argv.includes('up');
  } catch {
    return process.platform !== 'linux';
  }
}

/** Finds out whether the daemon runs, and asks it for its stats when it does. */
export async function daemonState(paths: Paths, token?: string): Promise<DaemonState> {
  const pid = readPid(paths.pidFile);
  if (!pid || !isDaemonProcess(pid)) return { running: false, pid: 0 };
  const info = safeJson<DaemonInfo>(paths.daemonInfo);
  let stats: CollectorStats | undefined;
  if (info) {
    try {
      const res = await fetch(`${info.url}/api/v1/status`, {
        signal: AbortSignal.timeout(2000),
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      if (res.ok) stats = (await res.json()) as CollectorStats;
    } catch {
      // Running but not answering; report what the files say.
    }
  }
  return { running: true, pid, ...(info ? { info } : {}), ...(stats ? { stats } : {}) };
}

function safeJson<T>(path: string): T | undefined {
  try {
    return readJsonIfExists<T>(path);
  } catch {
    return undefined;
  }
}

/** Starts the daemon in the background and waits until it answers. */
export async function startDetached(paths: Paths, env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<DaemonInfo> {
  ensurePrivateDir(paths.home);
  const log = openSync(paths.logFile, 'a', 0o600);
  // A 1 MB young generation: the daemon allocates little per event, and V8's default semi-spaces
  // alone took ~40 MB of its resident memory (measured: 169 → 127 MB RSS after 300 events).
  const child = spawn(process.execPath, ['--max-semi-space-size=1', CLI_ENTRY, 'up'], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...env, AGENTTRAIL_HOME: paths.home },
  });
  closeSync(log);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const info = safeJson<DaemonInfo>(paths.daemonInfo);
    if (info && info.pid === child.pid && readPid(paths.pidFile) === child.pid) return info;
    if (exited !== undefined) {
      const holder = readPid(paths.pidFile);
      const other = safeJson<DaemonInfo>(paths.daemonInfo);
      // Lost a start race to another daemon: that one is what we wanted.
      if (holder && isProcessAlive(holder) && other?.pid === holder) return other;
      throw new UserError(`The daemon exited at start-up (code ${exited}). Last lines of ${paths.logFile}:\n${tail(paths.logFile)}`, 'DAEMON_START_FAILED');
    }
    await sleep(50);
  }
  throw new UserError(`The daemon did not answer within ${timeoutMs / 1000} s; see ${paths.logFile}.`, 'DAEMON_START_TIMEOUT');
}

function tail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Stops the daemon (SIGTERM, then SIGKILL after the timeout). Returns the pid it stopped, or 0. */
export async function stopDaemon(paths: Paths, timeoutMs: number): Promise<number> {
  const pid = readPid(paths.pidFile);
  if (!pid || !isDaemonProcess(pid)) return 0;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return pid;
    await sleep(50);
  }
  process.kill(pid, 'SIGKILL');
  return pid;
}
