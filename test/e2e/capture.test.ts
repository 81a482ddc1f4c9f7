/**
 * End to end: the real Claude Code CLI (2.1.328) with AgentTrail installed by `agenttrail install`,
 * a trivial recorder hook beside ours, and a scripted model server. Every event Claude Code emits
 * must be stored exactly once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/agenttrail.js';
import { startModelServer, type Conversation, type ModelServer } from '../helpers/model-server.js';
import { expectStoredExactlyOnce, installedHome, recorded, session, type E2EHome } from './harness.js';

const conversations: Conversation[] = [];
let server: ModelServer;
const homes: E2EHome[] = [];

beforeAll(async () => {
  server = await startModelServer(conversations);
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  for (const t of homes.splice(0)) cli(t, ['down']);
});

async function home(transport?: 'command' | 'async' | 'http'): Promise<E2EHome> {
  const t = await installedHome(transport);
  homes.push(t);
  return t;
}

const byHook = (events: Record<string, any>[], hook: string, tool?: string) =>
  events.filter((e) => e.hook_event === hook && (tool === undefined || e.tool_name === tool));

describe('capture through the installed hooks, real Claude Code', () => {
  it('stores parallel tool calls, a command, a write and an edit exactly once, paired and normalised', async () => {
    const t = await home();
    writeFileSync(join(t.proj, 'a.txt'), 'alpha\n');
    writeFileSync(join(t.proj, 'b.txt'), 'beta\n');
    conversations.push({
      match: 'E2E-PARALLEL',
      turns: [
        { text: 'Reading both files.', tools: [{ name: 'Read', input: { file_path: join(t.proj, 'a.txt') } }, { name: 'Read', input: { file_path: join(t.proj, 'b.txt') } }] },
        { tools: [{ name: 'Bash', input: { command: 'echo hello && cat /etc/hostname', description: 'greet' } }] },
        { tools: [{ name: 'Write', input: { file_path: join(t.proj, 'c.txt'), content: 'gamma\n' } }] },
        { tools: [{ name: 'Edit', input: { file_path: join(t.proj, 'c.txt'), old_string: 'gamma', new_string: 'delta' } }] },
        { text: 'Done.' },
      ],
    });
    await session(t, server.url, '/sc:implement E2E-PARALLEL --persona-backend');
    const events = expectStoredExactlyOnce(t);

    const reads = byHook(events, 'PostToolUse', 'Read');
    expect(reads).toHaveLength(2);
    for (const post of reads) {
      const pre = events.find((e) => e.hook_event === 'PreToolUse' && e.tool_use_id === post.tool_use_id)!;
      expect(post.action_details.pre_seq).toBe(pre.seq);
      expect(post.action_details).toMatchObject({ phase: 'post', success: true, outside_project_scope: false, operation: 'read' });
      expect(post.context).toMatchObject({ command: '/sc:implement E2E-PARALLEL --persona-backend', persona: 'backend', reasoning: 'Reading both files.' });
    }
    expect(byHook(events, 'PreToolUse', 'Bash')[0]!.action_details.command).toBe('echo hello && cat /etc/hostname');
    expect(byHook(events, 'PostToolUse', 'Write')[0]!.action_details).toMatchObject({ operation: 'create', size_bytes: 6 });
    expect(byHook(events, 'PostToolUse', 'Edit')[0]!.action_details).toMatchObject({ operation: 'edit', lines_added: 1, lines_removed: 1 });
    expect(new Set(events.map((e) => e.metadata.claude_version))).toEqual(new Set(['2.1.328']));
    expect(new Set(events.map((e) => e.project_path))).toEqual(new Set([t.proj]));
    const sessions = JSON.parse(cli(t, ['sessions', '--json']).stdout);
    expect(sessions).toMatchObject([{ tool_calls: 5, failures: 0, prompts: 1, ended_at: expect.any(String) }]);
    expect(cli(t, ['verify']).status).toBe(0);

    const timeline = cli(t, ['show', sessions[0].session_id.slice(0, 8)]);
    expect(timeline.status, timeline.stderr).toBe(0);
    expect(timeline.stdout).toContain('▶ /sc:implement E2E-PARALLEL --persona-backend');
    expect(timeline.stdout).toMatch(/Bash\s+echo hello && cat \/etc\/hostname\s+ok/);
    expect(timeline.stdout).toContain(join(t.proj, 'c.txt'));
    const found = cli(t, ['search', 'cat /etc/hostname', '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(found.map((e) => e.hook_event).sort()).toEqual(['PostToolUse', 'PreToolUse']);
  }, 120_000);

  it('stores a subagent’s events with its agent id, a failing command and a missing tool', async () => {
    const t = await home();
    writeFileSync(join(t.proj, 'util.js'), 'export const x = 1;\n');
    conversations.push(
      {
        match: 'E2E-SUB',
        turns: [
          { tools: [{ name: 'Agent', input: { description: 'review', prompt: 'E2E-CHILD: review util.js', subagent_type: 'general-purpose' } }] },
          { tools: [{ name: 'Bash', input: { command: 'exit 3', description: 'fail' } }, { name: 'Grep', input: { pattern: 'TODO' } }] },
          { text: 'Finished.' },
        ],
      },
      { match: 'E2E-CHILD', turns: [{ tools: [{ name: 'Read', input: { file_path: join(t.proj, 'util.js') } }] }, { text: 'Fine.' }] },
    );
    await session(t, server.url, 'E2E-SUB please');
    const events = expectStoredExactlyOnce(t);
    const start = byHook(events, 'SubagentStart')[0]!;
    expect(start.agent_id).toBeTruthy();
    expect(byHook(events, 'PreToolUse', 'Read')[0]).toMatchObject({ agent_id: start.agent_id, event_type: 'file_read' });
    expect(byHook(events, 'SubagentStop')[0]).toMatchObject({ agent_id: start.agent_id, event_type: 'subagent_stop' });
    expect(byHook(events, 'PostToolUseFailure', 'Bash')[0]).toMatchObject({ event_type: 'tool_failure', level: 'WARN', action_details: { success: false, error: 'Exit code 3', command: 'exit 3' } });
    const batch = events.find((e) => e.event_type === 'tool_batch' && e.action_details.tools.includes('Grep'))!;
    expect(batch.action_details.calls_without_pre).toHaveLength(1);
  }, 120_000);

  it('stores a 5 MB read with the content bounded to size, hash and preview', async () => {
    const t = await home();
    const big = join(t.proj, 'big.txt');
    writeFileSync(big, `${'x'.repeat(99)}\n`.repeat(50_000));
    conversations.push({ match: 'E2E-BIG', turns: [{ tools: [{ name: 'Read', input: { file_path: big, allow_large: true } }] }, { text: 'Read it.' }] });
    await session(t, server.url, 'E2E-BIG read');
    const events = expectStoredExactlyOnce(t);
    const post = byHook(events, 'PostToolUse', 'Read')[0]!;
    expect(post.action_details.size_bytes).toBeGreaterThan(4_900_000);
    expect(post.raw.tool_response.file.content).toMatchObject({ $bounded: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  }, 120_000);

  it('keeps two sessions running at once apart', async () => {
    const t = await home();
    for (const tag of ['ONE', 'TWO']) {
      conversations.push({
        match: `E2E-TWIN-${tag}`,
        turns: [{ tools: [{ name: 'Bash', input: { command: `sleep 0.2; echo ${tag}`, description: 'x' } }] }, { tools: [{ name: 'Bash', input: { command: `echo again-${tag}`, description: 'y' } }] }, { text: 'ok' }],
      });
    }
    await Promise.all([session(t, server.url, 'E2E-TWIN-ONE'), session(t, server.url, 'E2E-TWIN-TWO')]);
    const events = expectStoredExactlyOnce(t);
    const sessions = JSON.parse(cli(t, ['sessions', '--json']).stdout) as { session_id: string; tool_calls: number }[];
    expect(sessions.map((s) => s.tool_calls)).toEqual([2, 2]);
    for (const s of sessions) {
      const commands = events.filter((e) => e.session_id === s.session_id && e.hook_event === 'PreToolUse').map((e) => e.action_details.command);
      expect(commands).toHaveLength(2);
      expect(new Set(commands.map((c: string) => c.slice(-3)))).toHaveProperty('size', 1);
    }
  }, 120_000);

  it('delivers everything captured while the daemon was down once it starts', async () => {
    const t = await home();
    expect(cli(t, ['down']).status).toBe(0);
    conversations.push({ match: 'E2E-DOWN', turns: [{ tools: [{ name: 'Bash', input: { command: 'echo offline', description: 'x' } }] }, { text: 'ok' }] });
    await session(t, server.url, 'E2E-DOWN', { AGENTTRAIL_AUTOSTART: '0' });
    const status = JSON.parse(cli(t, ['status', '--json']).stdout);
    expect(status.daemon).toBe('stopped');
    expect(status.spool_backlog).toBe(recorded(t).length);
    expect(cli(t, ['up', '--detach']).status).toBe(0);
    expectStoredExactlyOnce(t);
  }, 120_000);

  it('starts the daemon from the session itself when it is not running', async () => {
    const t = await home();
    expect(cli(t, ['down']).status).toBe(0);
    conversations.push({ match: 'E2E-AUTOSTART', turns: [{ text: 'nothing to do' }] });
    await session(t, server.url, 'E2E-AUTOSTART');
    let daemon = '';
    for (let i = 0; i < 100 && daemon !== 'running'; i++) {
      daemon = JSON.parse(cli(t, ['status', '--json']).stdout).daemon;
      if (daemon !== 'running') await new Promise((r) => setTimeout(r, 100));
    }
    expect(daemon).toBe('running');
    expectStoredExactlyOnce(t);
  }, 120_000);

  it('records the agent switching all hooks off, although no hook runs after it', async () => {
    const t = await home();
    const settings = join(t.proj, '.claude', 'settings.json');
    conversations.push({
      match: 'E2E-TAMPER',
      turns: [
        { tools: [{ name: 'Bash', input: { command: `mkdir -p .claude && echo '{"theme":"x"}' > .claude/settings.json`, description: 'x' } }] },
        { tools: [{ name: 'Bash', input: { command: 'sleep 1.5', description: 'x' } }] },
        { tools: [{ name: 'Write', input: { file_path: settings, content: '{"disableAllHooks": true}\n' } }] },
        { tools: [{ name: 'Bash', input: { command: 'sleep 2.5; echo unseen', description: 'x' } }] },
        { text: 'ok' },
      ],
    });
    await session(t, server.url, 'E2E-TAMPER');
    const events = expectStoredExactlyOnce(t);
    // Claude Code applies the edit about a second later; from then on no hook (ours included) runs.
    expect(events.some((e) => e.hook_event === 'SessionEnd')).toBe(false);
    const changes = events.filter((e) => e.event_type === 'settings_change' && e.action_details.file_path === settings);
    expect(changes.at(-1)).toMatchObject({ level: 'WARN', action_details: { disable_all_hooks: true, exists: true } });
  }, 120_000);

  it.each(['async', 'http'] as const)('stores every event exactly once with the %s transport', async (transport) => {
    const t = await home(transport);
    writeFileSync(join(t.proj, 'a.txt'), 'alpha\n');
    conversations.push({
      match: `E2E-TRANSPORT-${transport}`,
      turns: [{ tools: [{ name: 'Read', input: { file_path: join(t.proj, 'a.txt') } }, { name: 'Bash', input: { command: 'echo hi', description: 'x' } }] }, { text: 'ok' }],
    });
    await session(t, server.url, `E2E-TRANSPORT-${transport}`);
    const events = expectStoredExactlyOnce(t);
    const transports = new Set(events.filter((e) => e.hook_event !== 'SessionStart').map((e) => e.metadata.transport));
    expect(transports).toEqual(new Set([transport]));
  }, 120_000);
});
