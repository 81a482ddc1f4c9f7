import { describe, expect, it } from 'vitest';
import { addOurHooks, installedEvents, isOurHandler, removeOurHooks } from './settings.js';

const opts = { transport: 'command' as const, scriptPath: '/home/u/.agenttrail/bin/agenttrail-capture.sh', daemonUrl: 'http://127.0.0.1:4747' };
const userSettings = {
  model: 'opus',
  permissions: { allow: ['Bash(ls:*)'] },
  hooks: {
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '~/bin/guard.sh' }] }],
    Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }],
  },
};

describe('hook settings merge', () => {
  it('adds a handler for every observable event except WorktreeCreate', () => {
    const events = installedEvents(addOurHooks({}, opts));
    expect(events).toHaveLength(32);
    expect(events).not.toContain('WorktreeCreate');
    expect(events).toEqual(expect.arrayContaining(['PreToolUse', 'PostToolUse', 'SessionStart', 'FileChanged', 'MessageDisplay']));
  });

  it('keeps other settings and other tools’ hooks untouched', () => {
    const merged = addOurHooks(userSettings, opts);
    expect(removeOurHooks(merged)).toEqual(userSettings);
    expect((merged.hooks as Record<string, unknown[]>).PreToolUse).toHaveLength(2);
    expect(merged.model).toBe('opus');
  });

  it('is idempotent', () => {
    const once = addOurHooks(userSettings, opts);
    expect(addOurHooks(once, opts)).toEqual(once);
  });

  it('switches transport without leaving the old handlers behind', () => {
    const http = addOurHooks(addOurHooks(userSettings, opts), { ...opts, transport: 'http' });
    const pre = (http.hooks as Record<string, { hooks: Record<string, unknown>[] }[]>).PreToolUse!;
    expect(pre.flatMap((g) => g.hooks).filter(isOurHandler)).toEqual([
      { type: 'http', url: 'http://127.0.0.1:4747/api/v1/hook/PreToolUse', timeout: 10, headers: { 'X-AgentTrail-Hook': '1' } },
    ]);
  });

  it('keeps SessionStart on the script under the http transport so the daemon can be started', () => {
    const http = addOurHooks({}, { ...opts, transport: 'http' });
    const start = (http.hooks as Record<string, { hooks: Record<string, unknown>[] }[]>).SessionStart![0]!.hooks[0]!;
    expect(start.type).toBe('command');
  });

  it('watches the Claude settings files with FileChanged', () => {
    const merged = addOurHooks({}, opts);
    const group = (merged.hooks as Record<string, { matcher?: string }[]>).FileChanged![0]!;
    expect(group.matcher?.split('|')).toEqual(expect.arrayContaining(['settings.json', 'settings.local.json']));
  });

  it('removes the hooks key on uninstall only if it held nothing else', () => {
    expect(removeOurHooks(addOurHooks({ a: 1 }, opts))).toEqual({ a: 1 });
  });

  it('marks async handlers', () => {
    const merged = addOurHooks({}, { ...opts, transport: 'async' });
    const h = (merged.hooks as Record<string, { hooks: Record<string, unknown>[] }[]>).PostToolUse![0]!.hooks[0]!;
    expect(h).toMatchObject({ type: 'command', async: true, command: '/bin/sh' });
    expect((h.args as string[]).slice(-3)).toEqual([opts.scriptPath, 'PostToolUse', 'async']);
  });
});
