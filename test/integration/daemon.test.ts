import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSampleSession } from '../helpers/samples.js';
import { capture, captureAsync, cli, cliAsync, CLI, eventsJson, installCaptureScript, makeTestHome, type TestHome } from '../helpers/agenttrail.js';

const started: TestHome[] = [];
function up(t: TestHome): void {
  const r = cli(t, ['up', '--detach']);
  expect(r.status, r.stderr).toBe(0);
  started.push(t);
}
afterEach(() => {
  for (const t of started.splice(0)) cli(t, ['down']);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const daemonInfo = (t: TestHome) => JSON.parse(readFileSync(t.paths.daemonInfo, 'utf8')) as { pid: number; url: string };

describe('collector daemon', () => {
  it('stores every event of a real session once, in order, in a verifiable chain', async () => {
    const t = makeTestHome();
    const script = installCaptureScript(t);
    up(t);
    const session = loadSampleSession('benign-session');
    for (const p of session) expect(capture(script, String(p.hook_event_name), JSON.stringify(p), t.env).status).toBe(0);
    expect((await cliAsync(t, ['flush', '--timeout', '20'])).status).toBe(0);
    const all = eventsJson(t);
    const events = all.filter((e) => e.event_type !== 'security_alert');
    expect(events.map((e) => e.hook_event)).toEqual(session.map((p) => p.hook_event_name));
    expect(events.map((e) => e.raw)).toEqual(session);
    expect(cli(t, ['verify']).status).toBe(0);
    // The sample session runs in bypassPermissions mode, which is itself worth a (medium) finding, once.
    const findings = all.filter((e) => e.event_type === 'security_alert').map((e) => [e.action_details.rule_id, e.action_details.severity]);
    expect(findings).toEqual([['AGT-TAMPER-004', 'medium']]);
    const sessions = JSON.parse(cli(t, ['sessions', '--json']).stdout);
    expect(sessions).toMatchObject([{ session_id: session[0]!.session_id, events: session.length, tool_calls: 8, failures: 1, prompts: 2, subagents: 1, project_name: 'webapp' }]);
  });

  it('ingests everything spooled while it was down once it starts', async () => {
    const t = makeTestHome();
    const script = installCaptureScript(t);
    for (let i = 0; i < 50; i++) capture(script, 'PreToolUse', JSON.stringify({ hook_event_name: 'PreToolUse', session_id: 's', tool_name: 'Bash', tool_use_id: `t${i}`, tool_input: { command: `echo ${i}` } }), t.env);
    const status = JSON.parse(cli(t, ['status', '--json']).stdout);
    expect(status).toMatchObject({ daemon: 'stopped', spool_backlog: 50, events_stored: 0 });
    up(t);
    expect((await cliAsync(t, ['flush'])).status).toBe(0);
    expect(eventsJson(t).map((e) => e.action_details.command)).toEqual(Array.from({ length: 50 }, (_, i) => `echo ${i}`));
  });

  it('loses nothing and stores nothing twice when killed with SIGKILL in the middle of a burst', async () => {
    const t = makeTestHome();
    const script = installCaptureScript(t);
    const ids: string[] = [];
    const burst = async (from: number, n: number) => {
      const jobs: Promise<unknown>[] = [];
      for (let i = from; i < from + n; i++) {
        ids.push(`t${i}`);
        jobs.push(captureAsync(script, 'PreToolUse', JSON.stringify({ hook_event_name: 'PreToolUse', session_id: 's', tool_name: 'Read', tool_use_id: `t${i}`, tool_input: { file_path: `/f${i}` } }), t.env));
        if (jobs.length >= 40) await Promise.all(jobs.splice(0));
      }
      await Promise.all(jobs);
    };
    await burst(0, 1500);
    for (let round = 0; round < 4; round++) {
      up(t);
      const killer = (async () => {
        await sleep(30 + round * 40);
        process.kill(daemonInfo(t).pid, 'SIGKILL');
      })();
      await Promise.all([killer, burst(1500 + round * 300, 300)]);
      await sleep(100);
    }
    up(t);
    expect((await cliAsync(t, ['flush', '--timeout', '60'])).status).toBe(0);
    const stored = eventsJson(t).map((e) => e.tool_use_id as string);
    expect(stored.length).toBe(ids.length);
    expect(new Set(stored)).toEqual(new Set(ids));
    expect(cli(t, ['verify']).status).toBe(0);
  }, 120_000);

  it('quarantines bad records with their bytes, journals an ingest_error and counts them in status', async () => {
    const t = makeTestHome();
    const script = installCaptureScript(t);
    up(t);
    capture(script, 'PreToolUse', 'not json at all', t.env);
    capture(script, 'PreToolUse', '[1,2,3]', t.env);
    // A writer that died half-way: header and part of a payload, no trailer, pid of a dead process.
    writeFileSync(join(t.paths.spoolNew, 'dead-writer.rec'), 'AT1 PostToolUse command 999999 1 dead-writer 0 -\n\n{"session_id":"s","tool_resp');
    await sleep(3500);
    expect((await cliAsync(t, ['flush'])).status).toBe(0);
    const errors = eventsJson(t, ['--type', 'ingest_error']);
    expect(errors.map((e) => e.action_details.reason).sort()).toEqual(['not_an_object', 'not_json', 'truncated']);
    for (const e of errors) expect(readFileSync(e.action_details.quarantine_file).length).toBe(e.action_details.size_bytes === undefined ? -1 : readFileSync(e.action_details.quarantine_file).length);
    expect(readFileSync(errors.find((e) => e.action_details.reason === 'truncated')!.action_details.quarantine_file, 'utf8')).toContain('"tool_resp');
    const status = JSON.parse(cli(t, ['status', '--json']).stdout);
    expect(status).toMatchObject({ daemon: 'running', quarantined: 3, spool_backlog: 0 });
  });

  it('stores a payload holding a lone surrogate (valid JSON that strict canonicalisers reject)', async () => {
    const t = makeTestHome();
    const script = installCaptureScript(t);
    up(t);
    capture(script, 'PreToolUse', '{"hook_event_name":"PreToolUse","session_id":"s","tool_name":"Bash","tool_use_id":"x","tool_input":{"command":"echo \\ud800"}}', t.env);
    expect((await cliAsync(t, ['flush'])).status).toBe(0);
    expect(eventsJson(t).map((e) => e.action_details.command)).toEqual(['echo \ud800']);
    expect(cli(t, ['verify']).status).toBe(0);
  });

  it('accepts the http transport and stores its events like spooled ones', async () => {
    const t = makeTestHome();
    up(t);
    const payload = { hook_event_name: 'PreToolUse', session_id: 's', tool_name: 'WebFetch', tool_use_id: 'w1', tool_input: { url: 'https://example.com/a' } };
    const res = await fetch(`${daemonInfo(t).url}/api/v1/hook/PreToolUse`, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect((await fetch(`${daemonInfo(t).url}/api/v1/hook/..%2Fx`, { method: 'POST', body: '{}' })).status).toBe(400);
    expect((await cliAsync(t, ['flush'])).status).toBe(0);
    expect(eventsJson(t)).toMatchObject([{ event_type: 'web_fetch', metadata: { transport: 'http' }, action_details: { url: 'https://example.com/a', domain: 'example.com' } }]);
  });

  it('is started by the SessionStart capture when it is not running', async () => {
    const t = makeTestHome();
    const script = installCaptureScript(t, true);
    capture(script, 'SessionStart', JSON.stringify({ hook_event_name: 'SessionStart', session_id: 'auto', source: 'startup', cwd: '/tmp' }), t.env);
    let running = false;
    for (let i = 0; i < 100 && !running; i++) {
      await sleep(100);
      running = JSON.parse(cli(t, ['status', '--json']).stdout).daemon === 'running';
    }
    expect(running).toBe(true);
    started.push(t);
    expect((await cliAsync(t, ['flush'])).status).toBe(0);
    expect(eventsJson(t).map((e) => e.session_id)).toEqual(['auto']);
  });

  it('records edits of Claude settings files that switch hooks off, without any hook', async () => {
    const t = makeTestHome();
    const file = join(t.home, '.claude', 'settings.json');
    mkdirSync(join(t.home, '.claude'));
    writeFileSync(file, '{"theme":"dark"}');
    up(t);
    await sleep(1500);
    writeFileSync(file, '{"theme":"dark","disableAllHooks":true}');
    let changes: Record<string, any>[] = [];
    for (let i = 0; i < 50 && changes.length === 0; i++) {
      await sleep(200);
      changes = eventsJson(t, ['--type', 'settings_change']);
    }
    expect(changes).toMatchObject([{ level: 'WARN', hook_event: 'AgentTrailSettingsChanged', action_details: { file_path: file, disable_all_hooks: true } }]);
    expect(changes[0]!.raw.before).toMatchObject({ disable_all_hooks: false });
  });

  it('refuses a second daemon on the same data directory', () => {
    const t = makeTestHome();
    up(t);
    const second = spawn(process.execPath, [CLI, 'up'], { env: t.env });
    return new Promise<void>((resolve) => {
      let err = '';
      second.stderr.on('data', (d) => (err += d));
      second.on('close', (code) => {
        expect(code).toBe(1);
        expect(err).toMatch(/already running/);
        resolve();
      });
    });
  });
});
