/**
 * Run the real Claude Code CLI (npm `@anthropic-ai/claude-code`) offline against a local
 * scripted model server (see model-server.ts).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
const MACHO = [
  Buffer.from([0xcf, 0xfa, 0xed, 0xfe]),
  Buffer.from([0xca, 0xfe, 0xba, 0xbe]),
];

/** True if `file` is a big native executable (not a JS shim or a placeholder). */
function isNativeBinary(file: string): boolean {
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size < 1_000_000) return false;
    if (process.platform === 'win32') return true;
    if ((st.mode & 0o111) === 0) return false;
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(4);
      readSync(fd, head, 0, 4, 0);
      return head.equals(ELF) || MACHO.some((m) => head.equals(m));
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

function nodeModulesDirs(): string[] {
  const dirs: string[] = [];
  const add = (start: string): void => {
    let dir = resolve(start);
    for (;;) {
      const nm = join(dir, 'node_modules');
      if (existsSync(nm) && !dirs.includes(nm)) dirs.push(nm);
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  };
  add(dirname(fileURLToPath(import.meta.url)));
  add(process.cwd());
  return dirs;
}

let cachedBinary: string | undefined;

/**
 * Path of the native `claude` binary: the platform package first
 * (`@anthropic-ai/claude-code-<platform>-<arch>[-musl]/claude`), then the main package's
 * `bin/claude.exe` (which the postinstall step replaces with the native binary).
 * `CLAUDE_BINARY` in the environment overrides both.
 */
export function claudeBinary(): string {
  if (cachedBinary) return cachedBinary;
  const override = process.env['CLAUDE_BINARY'];
  if (override && isNativeBinary(override)) return (cachedBinary = override);
  const plat = `${process.platform}-${process.arch}`;
  const exe = process.platform === 'win32' ? 'claude.exe' : 'claude';
  const candidates: string[] = [];
  for (const nm of nodeModulesDirs()) {
    for (const pkg of [`claude-code-${plat}`, `claude-code-${plat}-musl`]) {
      candidates.push(join(nm, '@anthropic-ai', pkg, exe));
    }
    candidates.push(join(nm, '@anthropic-ai', 'claude-code', 'bin', 'claude.exe'));
  }
  for (const c of candidates) {
    if (isNativeBinary(c)) return (cachedBinary = c);
  }
  throw new Error(`claude binary not found; looked at:\n  ${candidates.join('\n  ')}`);
}

export interface RunClaudeOptions {
  prompt: string;
  cwd: string;
  home: string;
  modelUrl: string;
  settingsFile?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  extraArgs?: string[];
}

export interface RunClaudeResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** Variables passed through from the parent environment; everything else is dropped so that
 * the coding client's own CLAUDE_* / ANTHROPIC_* settings never leak into the test run. */
const PASS_THROUGH = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SYSTEMROOT', 'COMSPEC'];

export function claudeEnv(o: Pick<RunClaudeOptions, 'home' | 'modelUrl' | 'env'>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of PASS_THROUGH) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  env['PATH'] ??= '/usr/local/bin:/usr/bin:/bin';
  Object.assign(env, {
    HOME: o.home,
    USERPROFILE: o.home,
    XDG_CONFIG_HOME: join(o.home, '.config'),
    SHELL: existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh',
    TERM: 'dumb',
    NO_COLOR: '1',
    ANTHROPIC_BASE_URL: o.modelUrl,
    ANTHROPIC_API_KEY: 'test',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_BUG_COMMAND: '1',
    CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: '1',
    CLAUDE_CODE_DISABLE_TERMINAL_TITLE: '1',
    // A failed call is answered at once instead of being retried with back-off.
    CLAUDE_CODE_MAX_RETRIES: '0',
    IS_SANDBOX: '1', // --dangerously-skip-permissions refuses to run as root otherwise
    // Task outputs (subagent transcripts) go under HOME instead of /tmp/claude-<uid>/.
    CLAUDE_CODE_TMPDIR: join(o.home, '.tmp'),
  });
  if (o.env) Object.assign(env, o.env);
  return env;
}

export function runClaude(o: RunClaudeOptions): Promise<RunClaudeResult> {
  const args = ['-p', o.prompt, '--output-format', 'json', '--dangerously-skip-permissions'];
  if (o.settingsFile) args.push('--settings', o.settingsFile);
  if (o.extraArgs) args.push(...o.extraArgs);
  const timeoutMs = o.timeoutMs ?? 60_000;
  const started = Date.now();
  return new Promise((resolvePromise) => {
    const child = spawn(claudeBinary(), args, {
      cwd: o.cwd,
      env: claudeEnv(o),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32', // own process group, so a timeout kills its children too
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    let timedOut = false;
    let settled = false;
    const kill = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 2000).unref();
    }, timeoutMs);
    const finish = (exitCode: number | null, extra?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      let stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) stderr += `\n[runClaude] killed after ${timeoutMs} ms timeout`;
      if (extra) stderr += `\n[runClaude] ${extra}`;
      resolvePromise({
        exitCode: timedOut ? null : exitCode,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr,
        durationMs: Date.now() - started,
      });
    };
    child.on('error', (e) => finish(null, `spawn failed: ${e.message}`));
    child.on('close', (code) => finish(code));
  });
}
