import { mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { canonicalJson } from '../../src/core/chain/entry.js';
import { boundLargeFields } from '../../src/core/event/bound.js';
import { createSecretScanner } from '../../src/core/detect/secrets/scanner.js';
import { observedEvents } from '../../src/install/hook-events.js';
import { cli, eventsJson, makeTestHome, type TestHome } from '../helpers/agenttrail.js';
import { runClaude, type RunClaudeResult } from '../helpers/claude-cli.js';

/** A free TCP port on loopback (the http transport needs a fixed one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface E2EHome extends TestHome {
  readonly proj: string;
  /** Where the trivial recorder hook, registered beside ours, writes one file per event. */
  readonly rec: string;
}

/**
 * A user's machine: HOME with an existing settings.json that already holds another tool's hook
 * (the trivial recorder), then `agenttrail install` exactly as the README says.
 */
export async function installedHome(transport: 'command' | 'async' | 'http' = 'command'): Promise<E2EHome> {
  const base = makeTestHome();
  const port = await freePort();
  const t: E2EHome = {
    ...base,
    env: { ...base.env, AGENTTRAIL_PORT: String(port) },
    proj: join(realpathSync(base.root), 'proj'),
    rec: join(base.root, 'rec'),
  };
  mkdirSync(t.proj, { recursive: true });
  mkdirSync(t.rec, { recursive: true });
  mkdirSync(join(t.home, '.claude'), { recursive: true });
  const hooks: Record<string, unknown[]> = {};
  for (const e of observedEvents()) {
    const handler = { type: 'command', command: `cat > '${t.rec}'/$(date +%s%N).${e}.$$.json` };
    hooks[e] = [e === 'FileChanged' ? { matcher: 'settings.json|settings.local.json|.env', hooks: [handler] } : { hooks: [handler] }];
  }
  writeFileSync(join(t.home, '.claude', 'settings.json'), JSON.stringify({ theme: 'dark', hooks }, null, 2));
  const r = cli(t, ['install', '--transport', transport]);
  expect(r.status, r.stderr).toBe(0);
  return t;
}

/** Runs the real Claude Code CLI in the project of an installed home. */
export async function session(t: E2EHome, modelUrl: string, prompt: string, env: Record<string, string> = {}): Promise<RunClaudeResult> {
  const r = await runClaude({ prompt, cwd: t.proj, home: t.home, modelUrl, env, timeoutMs: 90_000 });
  expect(r.exitCode, `claude failed:\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(0, 2000)}`).toBe(0);
  return r;
}

/** The payloads the recorder saw, in capture order. */
export function recorded(t: E2EHome): Record<string, unknown>[] {
  return readdirSync(t.rec)
    .sort()
    .map((f) => JSON.parse(readFileSync(join(t.rec, f), 'utf8')) as Record<string, unknown>);
}

/**
 * Asserts that every event Claude Code emitted (what the recorder saw) is stored exactly once:
 * the multiset of recorded payloads equals the multiset of journaled raw payloads.
 */
export function expectStoredExactlyOnce(t: E2EHome): Record<string, any>[] {
  const flush = cli(t, ['flush', '--timeout', '30']);
  expect(flush.status, flush.stderr).toBe(0);
  const config = defaultConfig();
  const bound = { maxFieldBytes: config.capture.maxFieldBytes, previewBytes: config.capture.previewBytes };
  // The collector bounds large fields, then masks secrets with this installation's key: so does the expectation.
  const scanner = createSecretScanner({ key: readFileSync(t.paths.secretKey) });
  const want = recorded(t).map((p) => canonicalJson(scanner.redactValue(boundLargeFields(p, bound)).value)).sort();
  const events = eventsJson(t);
  // settings_change comes from the daemon's own watch on settings files, and security_alert from its
  // detection rules: neither comes from Claude Code.
  const fromClaude = events.filter((e) => !['ingest_error', 'settings_change', 'security_alert'].includes(e.event_type));
  const got = fromClaude.map((e) => canonicalJson(e.raw)).sort();
  expect(want.length).toBeGreaterThan(3);
  expect(got.length, 'stored event count').toBe(want.length);
  expect(got).toEqual(want);
  expect(events.filter((e) => e.event_type === 'ingest_error')).toEqual([]);
  return events;
}
