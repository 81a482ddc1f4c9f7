import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpoolRecord } from '../../src/spool/format.js';
import { capture, captureAsync, installCaptureScript, makeTestHome } from '../helpers/agenttrail.js';

function records(dir: string) {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.rec'))
    .map((n) => parseSpoolRecord(readFileSync(join(dir, n))));
}

describe('agenttrail-capture.sh', () => {
  it('writes one complete record, byte for byte, and prints nothing', () => {
    const t = makeTestHome();
    const script = installCaptureScript(t);
    const payload = '{"hook_event_name":"PreToolUse","tool_input":{"command":"echo \'$(rm -rf /)\' `id`"}}';
    const r = capture(script, 'PreToolUse', payload, { ...t.env, CLAUDE_PROJECT_DIR: '/p/with space' });
    expect({ status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() }).toEqual({ status: 0, stdout: '', stderr: '' });
    const [rec] = records(t.paths.spoolNew);
    expect(rec?.status).toBe('complete');
    expect(rec?.status === 'complete' && rec.record.payload.toString()).toBe(payload);
    expect(rec?.status === 'complete' && rec.record.projectDir).toBe('/p/with space');
  });

  it('keeps garbage and empty stdin as records (the collector quarantines them)', () => {
    const t = makeTestHome();
    const script = installCaptureScript(t);
    expect(capture(script, 'PreToolUse', Buffer.from([0xff, 0x00, 0x7b])).status).toBe(0);
    expect(capture(script, 'Stop', '').status).toBe(0);
    expect(records(t.paths.spoolNew).map((r) => r.status)).toEqual(['complete', 'complete']);
  });

  it('recreates a missing spool directory', () => {
    const t = makeTestHome();
    const script = installCaptureScript(t);
    rmSync(join(t.paths.home, 'spool'), { recursive: true });
    expect(capture(script, 'PreToolUse', '{}').status).toBe(0);
    expect(records(t.paths.spoolNew)).toHaveLength(1);
  });

  it('exits 0 with no output when the spool cannot be written', () => {
    const t = makeTestHome();
    const script = installCaptureScript(t);
    rmSync(t.paths.spoolNew, { recursive: true });
    writeFileSync(t.paths.spoolNew, 'not a directory');
    const r = capture(script, 'PreToolUse', 'x'.repeat(1 << 20));
    expect({ status: r.status, out: r.stdout.length, err: r.stderr.length }).toEqual({ status: 0, out: 0, err: 0 });
  });

  it('exits 0 when the script itself is gone (sh alone would exit 2 and block the tool call)', () => {
    const t = makeTestHome();
    const script = installCaptureScript(t);
    rmSync(script);
    const r = capture(script, 'PreToolUse', '{}');
    expect({ status: r.status, out: r.stdout.length, err: r.stderr.length }).toEqual({ status: 0, out: 0, err: 0 });
  });

  it('never mixes parallel events: 200 concurrent hooks give 200 intact records', async () => {
    const t = makeTestHome();
    const script = installCaptureScript(t);
    const payloads = Array.from({ length: 200 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat((i * 997) % 70_000) }));
    const codes = await Promise.all(payloads.map((p) => captureAsync(script, 'PostToolUse', p, t.env)));
    expect(new Set(codes)).toEqual(new Set([0]));
    const got = records(t.paths.spoolNew).map((r) => (r.status === 'complete' ? r.record.payload.toString() : `!${r.status}`));
    expect(got.sort()).toEqual([...payloads].sort());
  });

  it('copies a 5 MB payload whole', () => {
    const t = makeTestHome();
    const script = installCaptureScript(t);
    const payload = JSON.stringify({ tool_response: { file: { content: 'z'.repeat(5 * 1024 * 1024) } } });
    expect(capture(script, 'PostToolUse', payload).status).toBe(0);
    const [rec] = records(t.paths.spoolNew);
    expect(rec?.status === 'complete' && rec.record.payload.length).toBe(payload.length);
  });
});
