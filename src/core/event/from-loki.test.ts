import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../chain/entry.js';
import { eventsFromLokiPush, isoFromNs, levelFrom, type LokiPush, type LokiPushStream } from './from-loki.js';
import type { AgentEvent } from './schema.js';

const SETTINGS = { host: 'collector-1', agenttrailVersion: '9.9.9' };
const RECEIVED_MS = Date.UTC(2026, 10, 24, 12, 0, 0);
const pushOf = (...streams: LokiPushStream[]): LokiPush => ({ tenant: 'team-a', receivedAtMs: RECEIVED_MS, remote: '10.0.0.7', streams });

const remoteEvent: AgentEvent = {
  timestamp: '2026-11-24T11:59:58.123Z',
  level: 'WARN',
  event_type: 'command_exec',
  hook_event: 'PreToolUse',
  session_id: 's-1',
  prompt_id: 'p-1',
  agent_id: null,
  agent_type: null,
  project_path: '/home/dev/webapp',
  project_name: 'webapp',
  cwd: '/home/dev/webapp',
  tool_name: 'Bash',
  tool_use_id: 'toolu_1',
  action_details: { phase: 'pre', command: 'rm -rf build' },
  context: { command: '', persona: '', reasoning: 'Cleaning up.' },
  metadata: {
    claude_version: '2.1.328', user_id: 'dev', host: 'laptop-7', agenttrail_version: '0.1.0',
    transport: 'command', permission_mode: 'default', claude_pid: 4242,
  },
  raw: { hook_event_name: 'PreToolUse', tool_input: { command: 'rm -rf build' } },
};

describe('eventsFromLokiPush', () => {
  it('reproduces an AgentTrail event line from another machine, its source seq and hash kept in action_details', () => {
    const stream = {
      labels: { service_name: 'claude-code', host: 'laptop-7', level: 'warn' },
      entries: [{ tsNs: '1795521598123000042', line: canonicalJson(remoteEvent), metadata: { seq: '42', hash: 'ab'.repeat(32), session_id: 's-1' } }],
    };
    expect(eventsFromLokiPush(pushOf(stream), SETTINGS)).toEqual([
      {
        ...remoteEvent,
        action_details: {
          ...remoteEvent.action_details,
          source_seq: 42,
          source_hash: 'ab'.repeat(32),
          source_transport: 'command',
          loki_tenant: 'team-a',
          loki_remote: '10.0.0.7',
        },
        metadata: { ...remoteEvent.metadata, transport: 'loki' },
      },
    ]);
  });

  it('keeps the truncation note and unknown fields of a shortened AgentTrail line, and coerces mistyped fields', () => {
    const line = JSON.stringify({
      timestamp: 'not a date', level: 'warning', event_type: 'prompt', hook_event: 'UserPromptSubmit',
      session_id: 7, metadata: { host: 'laptop-7', claude_pid: 'x' }, future_field: 1, _truncated: { reason: 'max_line_bytes' },
    });
    const [event] = eventsFromLokiPush(pushOf({ labels: {}, entries: [{ tsNs: '1795521598123000042', line, metadata: {} }] }), SETTINGS);
    expect(event).toMatchObject({
      timestamp: '2026-11-24T11:59:58.123Z',
      level: 'WARN',
      session_id: null,
      cwd: '',
      raw: null,
      action_details: { source_extra: { future_field: 1 }, source_truncated: { reason: 'max_line_bytes' } },
      metadata: { host: 'laptop-7', claude_pid: null, transport: 'loki', user_id: '' },
      context: { command: '', persona: '', reasoning: '' },
    });
  });

  it('turns a foreign line into a log_line event with level, project, host and user from the labels', () => {
    const line = JSON.stringify({ level: 30, time: 1795521598123, pid: 1, msg: 'order placed' });
    const stream = {
      labels: { application: 'shop', hostname: 'web-1', level: 'warning', service_name: 'shop', user: 'ops' },
      entries: [{ tsNs: '1795521598123456789', line, metadata: { trace_id: 't-1' } }],
    };
    expect(eventsFromLokiPush(pushOf(stream), SETTINGS)).toEqual([
      {
        timestamp: '2026-11-24T11:59:58.123Z',
        level: 'WARN',
        event_type: 'log_line',
        hook_event: 'LokiPush',
        session_id: null,
        prompt_id: null,
        agent_id: null,
        agent_type: null,
        project_path: '',
        project_name: 'shop',
        cwd: '',
        tool_name: null,
        tool_use_id: null,
        action_details: {
          labels: stream.labels,
          structured_metadata: { trace_id: 't-1' },
          line,
          line_bytes: Buffer.byteLength(line),
          line_truncated: false,
          tenant: 'team-a',
          remote: '10.0.0.7',
        },
        context: { command: '', persona: '', reasoning: '' },
        metadata: {
          claude_version: '', user_id: 'ops', host: 'web-1', agenttrail_version: '9.9.9',
          transport: 'loki', permission_mode: '', claude_pid: null,
        },
        raw: { stream: stream.labels, ts: '1795521598123456789', line, metadata: { trace_id: 't-1' } },
      },
    ]);
  });

  it.each([
    [{}, {}, '{"level":"error","msg":"x"}', 'ERROR'],
    [{}, {}, '{"level":20}', 'DEBUG'],
    [{}, { detected_level: 'warn' }, 'plain', 'WARN'],
    [{ detected_level: 'fatal' }, {}, 'plain', 'ERROR'],
    [{}, {}, 'ts=1 level=debug msg="x"', 'DEBUG'],
    [{}, {}, 'something went wrong', 'INFO'],
    [{ level: 'chatty' }, {}, '{"severity":"WARNING"}', 'WARN'],
  ])('finds the level of a foreign line in labels %j, metadata %j or the line %j', (labels, metadata, line, level) => {
    const [event] = eventsFromLokiPush(pushOf({ labels, entries: [{ tsNs: '1795521598123456789', line, metadata }] }), SETTINGS);
    expect(event?.level).toBe(level);
  });

  it('clips a long line in action_details and keeps size and hash of the whole line in raw', () => {
    const line = 'é'.repeat(10_000);
    const [event] = eventsFromLokiPush(pushOf({ labels: { job: 'x' }, entries: [{ tsNs: '1', line, metadata: {} }] }), SETTINGS);
    expect(event?.action_details).toMatchObject({ line_bytes: 20_000, line_truncated: true, line: 'é'.repeat(8192) });
    expect((event?.raw as { line: unknown }).line).toMatchObject({ $bounded: true, size_bytes: 20_000 });
    expect(event?.project_name).toBe('x');
  });

  it('takes the host from the remote address without a host label, and ignores service_name unknown_service', () => {
    const [event] = eventsFromLokiPush(pushOf({ labels: { service_name: 'unknown_service' }, entries: [{ tsNs: '1', line: 'x', metadata: {} }] }), SETTINGS);
    expect(event).toMatchObject({ project_name: '', metadata: { host: '10.0.0.7' } });
  });

  it('treats an event-shaped line nested deeper than 64 levels as a plain line', () => {
    const deep = `{"event_type":"x","hook_event":"y","timestamp":"2026-11-24T00:00:00.000Z","metadata":{},"raw":${'['.repeat(100)}${']'.repeat(100)}}`;
    const [event] = eventsFromLokiPush(pushOf({ labels: {}, entries: [{ tsNs: '1', line: deep, metadata: {} }] }), SETTINGS);
    expect(event?.event_type).toBe('log_line');
  });

  it('survives a malformed spooled push', () => {
    expect(eventsFromLokiPush({ streams: 'nope' } as unknown as LokiPush, SETTINGS)).toEqual([]);
    const odd = { tenant: 't', receivedAtMs: RECEIVED_MS, remote: '', streams: [{ labels: null, entries: [{ tsNs: 5, line: null }] }] } as unknown as LokiPush;
    expect(eventsFromLokiPush(odd, SETTINGS)).toMatchObject([{ event_type: 'log_line', timestamp: '2026-11-24T12:00:00.000Z', metadata: { host: 'collector-1' } }]);
  });
});

describe('isoFromNs', () => {
  it.each([
    ['1795521598123999999', '2026-11-24T11:59:58.123Z'],
    ['-1', '1969-12-31T23:59:59.999Z'],
    ['99999999999999999999999999', '2026-11-24T12:00:00.000Z'],
    ['12x', '2026-11-24T12:00:00.000Z'],
  ])('reads %s as %s (falling back to the receive time)', (ns, iso) => {
    expect(isoFromNs(ns, RECEIVED_MS)).toBe(iso);
  });
});

describe('levelFrom', () => {
  it.each([
    ['TRACE', 'DEBUG'], ['Information', 'INFO'], ['warning', 'WARN'], ['crit', 'ERROR'], [60, 'ERROR'], ['40', 'WARN'], ['constructor', undefined], [null, undefined],
  ])('maps %j to %s', (value, level) => {
    expect(levelFrom(value)).toBe(level);
  });
});
