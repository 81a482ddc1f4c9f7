import { afterEach, describe, expect, it } from 'vitest';
import { loadSampleSession } from '../helpers/samples.js';
import { capture, cli, cliAsync, eventsJson, installCaptureScript, makeTestHome, type TestHome } from '../helpers/agenttrail.js';

const started: TestHome[] = [];
afterEach(() => {
  for (const t of started.splice(0)) cli(t, ['down']);
});

async function withSession(): Promise<TestHome> {
  const t = makeTestHome();
  const script = installCaptureScript(t);
  expect(cli(t, ['up', '--detach']).status).toBe(0);
  started.push(t);
  for (const p of loadSampleSession('benign-session')) capture(script, String(p.hook_event_name), JSON.stringify(p), t.env);
  expect((await cliAsync(t, ['flush'])).status).toBe(0);
  return t;
}

describe('store through the CLI', () => {
  it('answers the same through the daemon and from the index opened locally', async () => {
    const t = await withSession();
    const queries = [['events', '--json'], ['events', '--tool', 'read', '--json'], ['search', 'exit 3', '--json'], ['sessions', '--json'], ['events', '--path', '*/src/*.js', '--json'], ['events', '--severity', 'warn', '--json']];
    const online = queries.map((q) => cli(t, q).stdout);
    expect(cli(t, ['down']).status).toBe(0);
    const offline = queries.map((q) => cli(t, q).stdout);
    expect(offline).toEqual(online);
    expect(online[1]!.trim().split('\n')).toHaveLength(6);
    expect(online[4]!.trim().split('\n').map((l) => JSON.parse(l).action_details.file_path)).toEqual(expect.arrayContaining(['/home/dev/work/webapp/src/app.js']));
  });

  it('rebuilds the index with reindex, in the daemon and without it', async () => {
    const t = await withSession();
    const before = eventsJson(t);
    const inDaemon = cli(t, ['reindex']);
    expect(inDaemon.status, inDaemon.stderr).toBe(0);
    expect(inDaemon.stdout).toContain(`Reindexed ${before.length} events (in the daemon)`);
    expect(eventsJson(t)).toEqual(before);
    cli(t, ['down']);
    const local = cli(t, ['reindex']);
    expect(local.stdout).toContain(`Reindexed ${before.length} events.`);
    expect(local.stderr).toContain('reindex 100%');
    expect(eventsJson(t)).toEqual(before);
  });

  it('prints a readable timeline and refuses an unknown session', async () => {
    const t = await withSession();
    const show = cli(t, ['show', '4abb']);
    expect(show.status).toBe(0);
    expect(show.stdout).toContain('▶ please work on the webapp');
    expect(show.stdout).toMatch(/Bash\s+exit 3\s+✗ Exit code 3/);
    expect(show.stdout).toMatch(/\[abc7ade\] Read\s+\/home\/dev\/work\/webapp\/src\/util\.js/);
    const missing = cli(t, ['show', 'zzzz']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('No single session matches');
  });

  it('rejects bad filter values with a clear message', async () => {
    const t = await withSession();
    const r = cli(t, ['events', '--since', 'last tuesday']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/neither a duration/);
  });
});
