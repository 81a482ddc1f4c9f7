import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../core/chain/entry.js';
import type { AgentEvent } from '../../core/event/schema.js';
import { goQuote, renderLabels, streamLabels, structuredMetadata, type LabelSettings } from './labels.js';

const settings: LabelSettings = {
  serviceName: 'agenttrail',
  labels: ['host', 'user', 'project', 'event_type', 'level'],
  staticLabels: { env: 'prod' },
  structuredMetadata: ['session_id', 'prompt_id', 'tool_use_id', 'agent_id', 'seq', 'hash', 'rule_id'],
};

function entry(event: Partial<AgentEvent>, seq = 7): JournalEntry {
  const base = {
    timestamp: '2025-01-01T00:00:00.000Z', level: 'INFO', event_type: 'command_exec', hook_event: 'PreToolUse', session_id: 's1', prompt_id: null,
    agent_id: null, agent_type: null, project_path: '/p', project_name: 'shop', cwd: '/p', tool_name: 'Bash', tool_use_id: 'toolu_1',
    action_details: {}, context: { command: '', persona: '', reasoning: '' },
    metadata: { claude_version: '', user_id: 'alice', host: 'devbox', agenttrail_version: '', transport: 'command', permission_mode: '', claude_pid: null }, raw: null,
  } as AgentEvent;
  return { v: 1, seq, host: 'journal-host', source_id: 'r', prev: '0'.repeat(64), hash: 'f'.repeat(64), event: { ...base, ...event } };
}

describe('streamLabels', () => {
  it('returns service_name, static and configured labels sorted by name, level in lower case', () => {
    expect(streamLabels(entry({ level: 'WARN' }), settings)).toEqual([
      ['env', 'prod'], ['event_type', 'command_exec'], ['host', 'devbox'], ['level', 'warn'], ['project', 'shop'], ['service_name', 'agenttrail'], ['user', 'alice'],
    ]);
  });

  it('leaves empty values out and falls back to the journal host', () => {
    const e = entry({ project_name: '', metadata: { ...entry({}).event.metadata, host: '', user_id: '' } });
    expect(Object.fromEntries(streamLabels(e, settings))).toEqual({ env: 'prod', event_type: 'command_exec', host: 'journal-host', level: 'info', service_name: 'agenttrail' });
  });

  it('clips a label value to Loki’s 2048-byte limit without splitting a character', () => {
    const value = Object.fromEntries(streamLabels(entry({ project_name: 'é'.repeat(1500) }), settings)).project!;
    expect(Buffer.byteLength(value)).toBe(2048);
    expect(value).toBe('é'.repeat(1024));
  });
});

describe('structuredMetadata', () => {
  it('holds the high-cardinality ids in configured order, without empty ones', () => {
    expect(structuredMetadata(entry({}), settings)).toEqual([['session_id', 's1'], ['tool_use_id', 'toolu_1'], ['seq', '7'], ['hash', 'f'.repeat(64)]]);
  });

  it('adds rule_id for findings only', () => {
    const finding = entry({ event_type: 'security_alert', action_details: { rule_id: 'AGT-EXEC-001', severity: 'high' } });
    expect(Object.fromEntries(structuredMetadata(finding, settings)).rule_id).toBe('AGT-EXEC-001');
    expect(Object.fromEntries(structuredMetadata(entry({ action_details: { rule_id: 'x' } }), settings)).rule_id).toBeUndefined();
  });

  it('replaces lone surrogates, which UTF-8 cannot carry', () => {
    expect(Object.fromEntries(structuredMetadata(entry({ session_id: 'a\ud800b' }), settings)).session_id).toBe('a\ufffdb');
  });
});

describe('renderLabels', () => {
  it('renders labels as Promtail does, with Go-quoted values', () => {
    expect(renderLabels([['a', 'x'], ['b', 'say "hi"\\\n\t\u0001']])).toBe('{a="x", b="say \\"hi\\"\\\\\\n\\t\\u0001"}');
    expect(goQuote('Zürich ✓')).toBe('"Zürich ✓"');
  });
});
