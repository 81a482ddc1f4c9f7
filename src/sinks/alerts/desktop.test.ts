import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../../test/helpers/tmp.js';
import type { Alert } from './alert.js';
import { createDesktopSender, detectDesktop, notifyCommand, type ExecFile } from './desktop.js';

const HOSTILE = '"; do shell script "rm -rf ~" --" $(id) `id` <a href="x">';

function binDir(...programs: string[]): string {
  const dir = tmpDir();
  for (const p of programs) {
    writeFileSync(join(dir, p), '#!/bin/sh\n');
    chmodSync(join(dir, p), 0o755);
  }
  return dir;
}

describe('detectDesktop', () => {
  it.each([
    ['linux', ['notify-send'], { DISPLAY: ':0' }, { available: true, method: 'notify-send' }],
    ['linux', ['notify-send'], {}, { available: false, reason: expect.stringMatching(/no graphical session/) }],
    ['linux', [], { DISPLAY: ':0' }, { available: false, reason: expect.stringMatching(/notify-send is not on PATH/) }],
    ['darwin', ['osascript'], {}, { available: true, method: 'osascript' }],
    ['win32', ['notify-send'], { DISPLAY: ':0' }, { available: false, method: null }],
  ] as const)('on %s with %j on PATH and env %j', (platform, programs, env, expected) => {
    expect(detectDesktop({ platform, env: { ...env, PATH: binDir(...programs) } })).toMatchObject(expected);
  });
});

describe('notifyCommand', () => {
  it('passes texts to osascript as run-handler arguments, never as script source', () => {
    const { file, args } = notifyCommand('osascript', 'AgentTrail: x', HOSTILE, false);
    expect(file).toBe('osascript');
    const script = args.filter((_, i) => args[i - 1] === '-e');
    expect(script).toEqual(['on run argv', 'display notification (item 2 of argv) with title (item 1 of argv)', 'end run']);
    expect(args.slice(-2)).toEqual(['AgentTrail: x', HOSTILE]);
  });

  it('ends notify-send option parsing before the texts and escapes body markup', () => {
    const { file, args } = notifyCommand('notify-send', 'AgentTrail: x', '--help <b>&', true);
    expect(file).toBe('notify-send');
    expect(args).toEqual(['--app-name=AgentTrail', '--urgency=critical', '--', 'AgentTrail: x', '--help &lt;b&gt;&amp;']);
  });
});

describe('createDesktopSender', () => {
  const alert = { rule_id: 'R', title: 'T', severity: 'critical', evidence: HOSTILE, session_id: 's', project: 'p', suppressed_similar: 0 } as unknown as Alert;

  it('runs the notifier with execFile-style argv', async () => {
    const calls: { file: string; args: readonly string[] }[] = [];
    const exec: ExecFile = async (file, args) => void calls.push({ file, args });
    await createDesktopSender({ available: true, method: 'osascript' }, { exec }).send([alert], new AbortController().signal);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args.at(-1)).toContain(HOSTILE);
  });

  it('turns a notifier failure into a permanent error', async () => {
    const exec: ExecFile = async () => {
      throw new Error('no D-Bus');
    };
    const send = createDesktopSender({ available: true, method: 'notify-send' }, { exec }).send([alert], new AbortController().signal);
    await expect(send).rejects.toMatchObject({ name: 'PermanentError', reason: 'notifier_failed' });
  });
});
