import { describe, expect, it } from 'vitest';
import { loadSampleSession } from '../../../test/helpers/samples.js';
import { isBoundedString } from './bound.js';
import { normalizeEvent, type NormalizeSettings } from './normalize.js';
import type { AgentEvent } from './schema.js';
import { SessionTracker } from './tracker.js';

const settings: NormalizeSettings = {
  host: 'h1',
  user: 'dev',
  agenttrailVersion: '0.0.0-test',
  home: '/home/dev',
  bound: { maxFieldBytes: 1024, previewBytes: 64 },
  realpath: (p) => (p.startsWith('/home/dev/work/webapp/link') ? p.replace('/home/dev/work/webapp/link', '/etc') : p),
  claudeVersion: () => undefined,
};

/** Normalises a whole recorded session the way the collector does (observe after each event). */
function run(payloads: Record<string, unknown>[], projectDir = '/home/dev/work/webapp'): AgentEvent[] {
  const tracker = new SessionTracker();
  return payloads.map((payload, i) => {
    const e = normalizeEvent(
      { payload, hookEvent: String(payload.hook_event_name), transport: 'command', capturedAtMs: 1_700_000_000_000 + i * 10, projectDir, claudePid: 99, agent: 'claude-code_2-1-328_harness' },
      settings,
      tracker,
    );
    tracker.observe(e, i + 1);
    return e;
  });
}

describe('normalizeEvent on a real Claude Code session', () => {
  const events = run(loadSampleSession('benign-session'));

  it('maps every recorded hook event to its event type', () => {
    expect(events.map((e) => `${e.hook_event}:${e.tool_name ?? ''}=${e.event_type}`)).toEqual([
      'SessionStart:=session_start', 'UserPromptSubmit:=prompt', 'MessageDisplay:=message',
      'PreToolUse:Read=file_read', 'PreToolUse:Read=file_read', 'PostToolUse:Read=file_read', 'PostToolUse:Read=file_read', 'PostToolBatch:=tool_batch',
      'PreToolUse:Bash=command_exec', 'PostToolUse:Bash=command_exec', 'PostToolBatch:=tool_batch', 'MessageDisplay:=message',
      'PreToolUse:Edit=file_edit', 'PostToolUse:Edit=file_edit', 'PostToolBatch:=tool_batch',
      'PreToolUse:Write=file_write', 'PostToolUse:Write=file_write', 'PostToolBatch:=tool_batch',
      'PreToolUse:Agent=subagent', 'SubagentStart:=subagent_start', 'PostToolUse:Agent=subagent', 'PostToolBatch:=tool_batch',
      'PreToolUse:Read=file_read', 'PreToolUse:Bash=command_exec', 'PostToolUse:Read=file_read', 'PostToolBatch:=tool_batch',
      'SubagentStop:=subagent_stop', 'PostToolUseFailure:Bash=tool_failure', 'PostToolBatch:=tool_batch',
      'UserPromptSubmit:=prompt', 'MessageDisplay:=message', 'Stop:=agent_stop', 'SessionEnd:=session_end',
    ]);
  });

  it('pairs each Post with its Pre by tool_use_id', () => {
    const post = events.find((e) => e.hook_event === 'PostToolUse' && e.tool_use_id === 'toolu_b02')!;
    const preIndex = events.findIndex((e) => e.hook_event === 'PreToolUse' && e.tool_use_id === 'toolu_b02');
    expect(post.action_details.pre_seq).toBe(preIndex + 1);
    expect(post.action_details.latency_ms).toBe((events.indexOf(post) - preIndex) * 10);
    expect(post.action_details).toMatchObject({ phase: 'post', success: true, file_path: '/home/dev/work/webapp/README.md', size_bytes: 9 });
  });

  it('records a failing command with its error and no success', () => {
    const failure = events.find((e) => e.event_type === 'tool_failure')!;
    expect(failure.level).toBe('WARN');
    expect(failure.action_details).toMatchObject({ phase: 'failure', success: false, command: 'exit 3', error: expect.stringContaining('Exit code 3') });
  });

  it('marks subagent events with their agent id and type', () => {
    const sub = events.filter((e) => e.agent_id === 'abc7adee332c9d95c');
    expect(sub.map((e) => e.hook_event)).toEqual(['SubagentStart', 'PreToolUse', 'PostToolUse', 'PostToolBatch', 'SubagentStop']);
    expect(new Set(sub.map((e) => e.agent_type))).toEqual(new Set(['general-purpose']));
  });

  it('fills reasoning from the assistant text shown before a tool call', () => {
    expect(events[3]!.context.reasoning).toBe('Let me look at the project.');
    expect(events[0]!.context.reasoning).toBe('');
  });

  it('fills metadata from the settings and the spool header', () => {
    expect(events[4]!.metadata).toMatchObject({ claude_version: '2.1.328', host: 'h1', user_id: 'dev', transport: 'command', claude_pid: 99, permission_mode: 'bypassPermissions' });
    expect(events[4]!.project_name).toBe('webapp');
    expect(events[4]!.timestamp).toBe('2023-11-14T22:13:20.040Z');
  });
});

describe('normalizeEvent on payloads the samples do not cover', () => {
  const base = { session_id: 's1', transcript_path: '/t', cwd: '/home/dev/work/webapp', prompt_id: 'p1' };

  it('stores an unknown future hook event whole, as a generic event', () => {
    const [e] = run([{ ...base, hook_event_name: 'QuantumLeap', flux: 3, note: 'x' }]);
    expect(e!.event_type).toBe('hook_quantum_leap');
    expect(e!.action_details).toEqual({ flux: 3, note: 'x' });
    expect(e!.raw).toEqual({ ...base, hook_event_name: 'QuantumLeap', flux: 3, note: 'x' });
  });

  it('replaces large strings by size, sha256 and a bounded preview', () => {
    const content = 'A'.repeat(5 * 1024 * 1024);
    const [e] = run([{ ...base, hook_event_name: 'PostToolUse', tool_name: 'Read', tool_use_id: 't', tool_input: { file_path: 'big.txt' }, tool_response: { type: 'text', file: { filePath: 'big.txt', content } } }]);
    const bounded = ((e!.raw as { tool_response: { file: { content: unknown } } }).tool_response.file.content);
    expect(isBoundedString(bounded)).toBe(true);
    expect(bounded).toMatchObject({ size_bytes: 5 * 1024 * 1024, preview: 'A'.repeat(64), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(e!.action_details.size_bytes).toBe(5 * 1024 * 1024);
  });

  it.each([
    ['../../etc/passwd', '/home/dev/etc/passwd', true],
    ['src/../README.md', '/home/dev/work/webapp/README.md', false],
    ['~/.ssh/id_rsa', '/home/dev/.ssh/id_rsa', true],
    ['/home/dev/work/webapp-evil/x', '/home/dev/work/webapp-evil/x', true],
    ['link/shadow', '/etc/shadow', true],
  ])('judges %s as %s (outside=%s)', (path, resolved, outside) => {
    const [e] = run([{ ...base, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_use_id: 't', tool_input: { file_path: path } }]);
    expect(e!.action_details).toMatchObject({ resolved_path: resolved, outside_project_scope: outside });
  });

  it('takes command and persona from the prompt that caused an event', () => {
    const events = run([
      { ...base, hook_event_name: 'UserPromptSubmit', prompt: '/sc:implement auth --persona-frontend' },
      { ...base, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_use_id: 't', tool_input: { command: 'ls' } },
    ]);
    expect(events[1]!.context).toMatchObject({ command: '/sc:implement auth --persona-frontend', persona: 'frontend' });
  });

  it('lists batch calls that never fired PreToolUse (tools that do not exist)', () => {
    const events = run(loadSampleSession('failures-and-subagent'));
    const batch = events.find((e) => e.event_type === 'tool_batch')!;
    expect(batch.action_details).toMatchObject({ tool_count: 2, tools: ['Grep', 'Glob'], calls_without_pre: ['toolu_11', 'toolu_12'] });
  });

  it('classifies MCP tools and keeps their server and tool names', () => {
    const [e] = run([{ ...base, hook_event_name: 'PreToolUse', tool_name: 'mcp__github__create_issue', tool_use_id: 't', tool_input: { title: 'x' } }]);
    expect(e!.event_type).toBe('mcp_call');
    expect(e!.action_details).toMatchObject({ mcp_server: 'github', mcp_tool: 'create_issue', argument_keys: ['title'] });
  });
});
