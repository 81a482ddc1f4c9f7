/**
 * Proves the scripted model server and the CLI runner against the real Claude Code CLI
 * (npm @anthropic-ai/claude-code, pinned in package.json), offline, with a recorder hook on
 * every hook event (except WorktreeCreate, which a hook would replace).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startModelServer, COMPACT_SUMMARY_TEXT, NO_TOOLS_TEXT, PAST_END_TEXT } from './model-server.js';
import type { Conversation, ModelServer } from './model-server.js';
import { claudeBinary, runClaude } from './claude-cli.js';
import type { RunClaudeResult } from './claude-cli.js';

/** Every hook event of Claude Code 2.1.328 except WorktreeCreate. */
const HOOK_EVENTS = [
  'PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'PostToolBatch', 'Notification', 'UserPromptSubmit',
  'UserPromptExpansion', 'SessionStart', 'SessionEnd', 'Stop', 'StopFailure', 'SubagentStart', 'SubagentStop',
  'PreCompact', 'PostCompact', 'PreModelSwitch', 'PostModelSwitch', 'PermissionRequest', 'PermissionDenied',
  'Setup', 'TeammateIdle', 'TaskCreated', 'TaskCompleted', 'Elicitation', 'ElicitationResult', 'ConfigChange',
  'WorktreeRemove', 'InstructionsLoaded', 'CwdChanged', 'FileChanged', 'DirectoryAdded', 'MessageDisplay',
] as const;

interface HookEvent {
  hook_event_name: string;
  session_id: string;
  cwd: string;
  tool_name?: string;
  tool_input?: Record<string, unknown>;
  tool_response?: unknown;
  tool_use_id?: string;
  tool_calls?: { tool_name: string; tool_input: unknown; tool_use_id: string; tool_response: unknown }[];
  agent_id?: string;
  error?: string;
  source?: string;
  reason?: string;
  [k: string]: unknown;
}

interface Recorded {
  event: HookEvent;
  bytes: number;
}

interface Sandbox {
  root: string;
  home: string;
  proj: string;
  rec: string;
  settings: string;
}

const roots: string[] = [];

/** A temp HOME, a temp project and a settings file whose recorder hook writes one file per event. */
function sandbox(): Sandbox {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'agenttrail-cc-')));
  roots.push(root);
  const s: Sandbox = {
    root,
    home: join(root, 'home'),
    proj: join(root, 'proj'),
    rec: join(root, 'rec'),
    settings: join(root, 'settings.json'),
  };
  for (const d of [s.home, s.proj, s.rec]) mkdirSync(d, { recursive: true });
  const hooks: Record<string, unknown[]> = {};
  for (const e of HOOK_EVENTS) {
    // The command string runs under `sh -c`; $$ (the hook's own pid) keeps concurrent hooks apart.
    const handler = { type: 'command', command: `cat > '${s.rec}'/$(date +%s%N).${e}.$$.json` };
    hooks[e] = [e === 'FileChanged' ? { matcher: 'settings.json|settings.local.json', hooks: [handler] } : { hooks: [handler] }];
  }
  writeFileSync(s.settings, JSON.stringify({ hooks }, null, 2));
  return s;
}

function recorded(s: Sandbox): Recorded[] {
  return readdirSync(s.rec)
    .sort()
    .map((f) => {
      const text = readFileSync(join(s.rec, f), 'utf8');
      return { event: JSON.parse(text) as HookEvent, bytes: Buffer.byteLength(text) };
    });
}

function names(events: Recorded[]): string[] {
  return events.map((r) => r.event.hook_event_name);
}

function ofType(events: Recorded[], name: string, tool?: string): HookEvent[] {
  return events
    .map((r) => r.event)
    .filter((e) => e.hook_event_name === name && (tool === undefined || e.tool_name === tool));
}

function expectSuccess(r: RunClaudeResult, finalText?: string): Record<string, unknown> {
  const diag = `exit=${r.exitCode} after ${r.durationMs} ms\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`;
  expect(r.exitCode, diag).toBe(0);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  expect(out['is_error'], diag).toBe(false);
  if (finalText !== undefined) expect(out['result']).toBe(finalText);
  return out;
}

function expectSessionFrame(events: Recorded[]): void {
  const n = names(events);
  expect(n).toContain('SessionStart');
  expect(n).toContain('UserPromptSubmit');
  expect(n).toContain('Stop');
  expect(n).toContain('SessionEnd');
  expect(new Set(events.map((r) => r.event.session_id)).size).toBe(1);
}

const conversations: Conversation[] = [];
let server: ModelServer;

beforeAll(async () => {
  // Conversations are added by the scenarios below before their run; the array is read per request.
  server = await startModelServer(conversations);
});

afterAll(async () => {
  await server?.close();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe('scripted model server (HTTP level)', () => {
  it('answers non-streaming, count_tokens, unknown endpoints and bad JSON without hanging', async () => {
    conversations.push({ match: 'HTTP-LEVEL', turns: [{ text: 'calling', tools: [{ name: 'Bash', input: { command: 'true' } }] }] });
    const post = (path: string, body: string): Promise<Response> =>
      fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const tools = [{ name: 'Bash', input_schema: { type: 'object' } }];

    const plain = await post('/v1/messages', JSON.stringify({ model: 'm', stream: false, tools, messages: [{ role: 'user', content: [{ type: 'text', text: '<system-reminder>x</system-reminder>' }, { type: 'text', text: 'HTTP-LEVEL go' }] }] }));
    const msg = (await plain.json()) as { stop_reason: string; content: { type: string; id?: string }[] };
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content.map((b) => b.type)).toEqual(['text', 'tool_use']);
    expect(msg.content[1]?.id).toMatch(/^toolu_/);

    const streamed = await post('/v1/messages?beta=true', JSON.stringify({ model: 'm', stream: true, tools, messages: [{ role: 'user', content: 'HTTP-LEVEL go' }, { role: 'assistant', content: 'x' }] }));
    expect(streamed.headers.get('content-type')).toMatch(/text\/event-stream/);
    const sse = await streamed.text();
    const types = [...sse.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(types).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(sse).toContain(`"text":"${PAST_END_TEXT}"`);
    expect(sse).toContain('"stop_reason":"end_turn"');

    const noTools = await post('/v1/messages', JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'title please' }] }));
    expect(JSON.stringify(await noTools.json())).toContain(NO_TOOLS_TEXT);

    const compact = await post('/v1/messages', JSON.stringify({ model: 'm', tools, messages: [{ role: 'user', content: 'HTTP-LEVEL' }, { role: 'assistant', content: 'x' }, { role: 'user', content: 'CRITICAL: Respond with TEXT ONLY. Do NOT call any tools.' }] }));
    expect(JSON.stringify(await compact.json())).toContain('<summary>');
    expect(COMPACT_SUMMARY_TEXT).toContain('<summary>');

    const count = await post('/v1/messages/count_tokens?beta=true', JSON.stringify({ model: 'm', messages: [] }));
    expect(((await count.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);

    const before = server.unknown.length;
    expect((await post('/v1/messages', '{not json')).status).toBe(400);
    expect((await fetch(server.url + '/v1/whatever')).status).toBe(200);
    expect((await post('/v1/other', '{}')).status).toBe(404);
    expect(server.unknown.length).toBe(before + 3);
  });
});

describe('real Claude Code CLI against the scripted model server', () => {
  it('resolves the native claude binary', () => {
    expect(claudeBinary()).toMatch(/claude(\.exe)?$/);
  });

  it('(a) two parallel Reads in one turn, then Bash, then Write', async () => {
    const s = sandbox();
    writeFileSync(join(s.proj, 'a.txt'), 'alpha\n');
    writeFileSync(join(s.proj, 'b.txt'), 'beta\n');
    conversations.push({
      match: 'SCENARIO-A',
      turns: [
        {
          text: 'Let me look.',
          tools: [
            { name: 'Read', input: { file_path: join(s.proj, 'a.txt') }, id: 'toolu_a_read1' },
            { name: 'Read', input: { file_path: join(s.proj, 'b.txt') }, id: 'toolu_a_read2' },
          ],
        },
        { tools: [{ name: 'Bash', input: { command: 'echo from-bash', description: 'echo' } }] },
        { tools: [{ name: 'Write', input: { file_path: join(s.proj, 'c.txt'), content: 'gamma\n' } }] },
        { text: 'Scenario A done.' },
      ],
    });
    const r = await runClaude({ prompt: 'SCENARIO-A: please work', cwd: s.proj, home: s.home, modelUrl: server.url, settingsFile: s.settings });
    expectSuccess(r, 'Scenario A done.');
    expect(readFileSync(join(s.proj, 'c.txt'), 'utf8')).toBe('gamma\n');

    const ev = recorded(s);
    expectSessionFrame(ev);
    expect(ofType(ev, 'PreToolUse').map((e) => e.tool_name).sort()).toEqual(['Bash', 'Read', 'Read', 'Write']);
    expect(ofType(ev, 'PostToolUse').map((e) => e.tool_name).sort()).toEqual(['Bash', 'Read', 'Read', 'Write']);
    expect(ofType(ev, 'PreToolUse', 'Read').map((e) => e.tool_use_id).sort()).toEqual(['toolu_a_read1', 'toolu_a_read2']);
    expect(ofType(ev, 'PreToolUse', 'Bash')[0]?.tool_use_id).toMatch(/^toolu_/);
    const bash = ofType(ev, 'PostToolUse', 'Bash')[0];
    expect(JSON.stringify(bash?.tool_response)).toContain('from-bash');
    const batches = ofType(ev, 'PostToolBatch');
    expect(batches.map((b) => b.tool_calls?.length)).toEqual([2, 1, 1]);
    expect(ofType(ev, 'MessageDisplay').length).toBeGreaterThan(0);
    expect(ev.every((r) => r.event.cwd === s.proj)).toBe(true);
    expect(server.log.some((l) => l.kind.endsWith(':turn:3'))).toBe(true);
  }, 60_000);

  it('(b) an Agent call whose subagent does a Read', async () => {
    const s = sandbox();
    writeFileSync(join(s.proj, 'util.js'), 'export const x = 1;\n');
    conversations.push(
      {
        match: 'SCENARIO-B',
        turns: [
          { tools: [{ name: 'Agent', input: { description: 'review util', prompt: 'SUBAGENT-B: review util.js', subagent_type: 'general-purpose' } }] },
          { text: 'Scenario B done.' },
        ],
      },
      {
        match: 'SUBAGENT-B',
        turns: [{ tools: [{ name: 'Read', input: { file_path: join(s.proj, 'util.js') } }] }, { text: 'Looks fine.' }],
      },
    );
    const r = await runClaude({ prompt: 'SCENARIO-B: review', cwd: s.proj, home: s.home, modelUrl: server.url, settingsFile: s.settings });
    expectSuccess(r);

    const ev = recorded(s);
    expectSessionFrame(ev);
    expect(ofType(ev, 'PreToolUse', 'Agent')).toHaveLength(1);
    const start = ofType(ev, 'SubagentStart');
    const stop = ofType(ev, 'SubagentStop');
    expect(start).toHaveLength(1);
    expect(stop).toHaveLength(1);
    const agentId = start[0]?.agent_id;
    expect(agentId).toBeTruthy();
    expect(stop[0]?.agent_id).toBe(agentId);
    expect(stop[0]?.['last_assistant_message']).toBe('Looks fine.');
    const subRead = ofType(ev, 'PreToolUse', 'Read');
    expect(subRead).toHaveLength(1);
    expect(subRead[0]?.agent_id).toBe(agentId);
    expect(ofType(ev, 'PostToolUse', 'Read')[0]?.agent_id).toBe(agentId);
    // The parent's Agent call returns at once: subagents run in the background since 2.1.198.
    expect(JSON.stringify(ofType(ev, 'PostToolUse', 'Agent')[0]?.tool_response)).toContain('async_launched');
  }, 60_000);

  it('(c) a failing Bash command and a call to a tool that does not exist', async () => {
    const s = sandbox();
    conversations.push({
      match: 'SCENARIO-C',
      turns: [
        {
          tools: [
            { name: 'Bash', input: { command: 'exit 3', description: 'failing check' } },
            { name: 'Grep', input: { pattern: 'TODO' } },
          ],
        },
        { text: 'Scenario C done.' },
      ],
    });
    const r = await runClaude({ prompt: 'SCENARIO-C: check', cwd: s.proj, home: s.home, modelUrl: server.url, settingsFile: s.settings });
    expectSuccess(r, 'Scenario C done.');

    const ev = recorded(s);
    expectSessionFrame(ev);
    expect(ofType(ev, 'PreToolUse', 'Bash')).toHaveLength(1);
    expect(ofType(ev, 'PostToolUse', 'Bash')).toHaveLength(0);
    const failure = ofType(ev, 'PostToolUseFailure', 'Bash');
    expect(failure).toHaveLength(1);
    expect(failure[0]?.error).toBe('Exit code 3');
    // A tool that does not exist fires no PreToolUse, but PostToolBatch lists it.
    expect(ofType(ev, 'PreToolUse', 'Grep')).toHaveLength(0);
    const batch = ofType(ev, 'PostToolBatch')[0];
    const grep = batch?.tool_calls?.find((c) => c.tool_name === 'Grep');
    expect(String(grep?.tool_response)).toContain('No such tool available');
  }, 60_000);

  it('(d) a Read of a 5 MB file puts the whole file on the hook’s stdin', async () => {
    const s = sandbox();
    const big = join(s.proj, 'big.txt');
    writeFileSync(big, `${'x'.repeat(99)}\n`.repeat(50_000)); // 5,000,000 bytes
    conversations.push({
      match: 'SCENARIO-D',
      turns: [
        { tools: [{ name: 'Read', input: { file_path: big } }] }, // refused: over 256 KB
        { tools: [{ name: 'Read', input: { file_path: big, allow_large: true } }] },
        { text: 'Scenario D done.' },
      ],
    });
    const r = await runClaude({ prompt: 'SCENARIO-D: read it', cwd: s.proj, home: s.home, modelUrl: server.url, settingsFile: s.settings });
    expectSuccess(r);

    const ev = recorded(s);
    expect(names(ev)).toContain('SessionStart');
    expect(names(ev)).toContain('SessionEnd');
    expect(ofType(ev, 'PreToolUse', 'Read')).toHaveLength(2);
    const refused = ofType(ev, 'PostToolUseFailure', 'Read');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.error).toContain('exceeds maximum allowed size');
    const read = ev.find((x) => x.event.hook_event_name === 'PostToolUse' && x.event.tool_name === 'Read');
    expect(read).toBeDefined();
    expect(read!.bytes).toBeGreaterThan(5_000_000);
    const file = (read!.event.tool_response as { file: { content: string; totalLines: number } }).file;
    expect(file.content.length).toBeGreaterThanOrEqual(4_950_000);
    // Claude Code then auto-compacts: the 5 MB result no longer fits the context window.
    expect(server.log.some((l) => l.kind === 'count_tokens' && l.bodyBytes > 5_000_000)).toBe(true);
  }, 90_000);

  it('(e) two sessions at once on the same server', async () => {
    const s1 = sandbox();
    const s2 = sandbox();
    const script = (tag: string): Conversation => ({
      match: `SCENARIO-E-${tag}`,
      turns: [
        { tools: [{ name: 'Bash', input: { command: `sleep 0.3; echo session-${tag}`, description: 'echo' } }] },
        { tools: [{ name: 'Bash', input: { command: `echo again-${tag}`, description: 'echo' } }] },
        { text: `Session ${tag} done.` },
      ],
    });
    conversations.push(script('ONE'), script('TWO'));
    const [r1, r2] = await Promise.all([
      runClaude({ prompt: 'SCENARIO-E-ONE', cwd: s1.proj, home: s1.home, modelUrl: server.url, settingsFile: s1.settings }),
      runClaude({ prompt: 'SCENARIO-E-TWO', cwd: s2.proj, home: s2.home, modelUrl: server.url, settingsFile: s2.settings }),
    ]);
    const o1 = expectSuccess(r1, 'Session ONE done.');
    const o2 = expectSuccess(r2, 'Session TWO done.');
    expect(o1['session_id']).not.toBe(o2['session_id']);
    for (const [s, tag, out] of [[s1, 'ONE', o1], [s2, 'TWO', o2]] as const) {
      const ev = recorded(s);
      expectSessionFrame(ev);
      expect(ev[0]?.event.session_id).toBe(out['session_id']);
      const bash = ofType(ev, 'PostToolUse', 'Bash').map((e) => JSON.stringify(e.tool_response));
      expect(bash).toHaveLength(2);
      expect(bash.join('\n')).toContain(`session-${tag}`);
      expect(bash.join('\n')).toContain(`again-${tag}`);
    }
  }, 60_000);
});
