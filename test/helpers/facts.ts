import { normalizeEvent } from '../../src/core/event/normalize.js';
import { SessionTracker } from '../../src/core/event/tracker.js';
import { deriveFacts } from '../../src/core/detect/facts.js';
import type { EventFacts } from '../../src/core/detect/types.js';

/** The home and project every detection fixture assumes. */
export const FIXTURE_HOME = '/home/u';
export const FIXTURE_PROJECT = '/home/u/proj';

type Obj = Record<string, unknown>;

/** Builds a real hook payload (Claude Code 2.1.328 shape) for a tool call. */
export function toolPayload(tool: string, input: Obj, options: { hook?: string; response?: unknown; cwd?: string; permissionMode?: string; sessionId?: string } = {}): Obj {
  const hook = options.hook ?? 'PreToolUse';
  return {
    session_id: options.sessionId ?? 'sess-1',
    transcript_path: `${FIXTURE_HOME}/.claude/projects/-home-u-proj/sess-1.jsonl`,
    cwd: options.cwd ?? FIXTURE_PROJECT,
    permission_mode: options.permissionMode ?? 'default',
    hook_event_name: hook,
    tool_name: tool,
    tool_input: input,
    tool_use_id: `toolu_${Math.random().toString(36).slice(2, 10)}`,
    ...(hook === 'PostToolUse' ? { tool_response: options.response ?? '' } : {}),
  };
}

/** Runs the real normaliser and fact derivation on one payload (symlinks: none; home /home/u). */
export function factsOf(payload: Obj, options: { realpath?: (p: string) => string; tracker?: SessionTracker; timeMs?: number; projectDir?: string } = {}): EventFacts {
  const realpath = options.realpath ?? ((p: string) => p);
  const event = normalizeEvent(
    {
      payload,
      hookEvent: String(payload.hook_event_name ?? 'PreToolUse'),
      transport: 'command',
      capturedAtMs: options.timeMs ?? Date.UTC(2026, 10, 24, 9, 0, 0),
      projectDir: options.projectDir ?? FIXTURE_PROJECT,
      claudePid: null,
      agent: '',
    },
    {
      host: 'h', user: 'u', agenttrailVersion: 'test', home: FIXTURE_HOME,
      bound: { maxFieldBytes: 16 * 1024, previewBytes: 1024 }, realpath, claudeVersion: () => undefined,
    },
    options.tracker ?? new SessionTracker(),
  );
  return deriveFacts(event, payload, { home: FIXTURE_HOME, realpath });
}

/** Facts of a Bash PreToolUse call. */
export const bash = (command: string, extra: Obj = {}): EventFacts => factsOf(toolPayload('Bash', { command, ...extra }));

/**
 * Facts of a short catalogue example: `Bash: cmd`, `Read path`, `Write path: "content"`,
 * `Edit path: "old" → "new"`, `WebFetch url`, `WebSearch query`, `Grep (path P, pattern X)`,
 * `Glob pattern`, `prompt: text`, `mcp__s__t {json}`.
 */
export function example(spec: string): EventFacts {
  const m = /^(\S+?):?\s+([\s\S]*)$/.exec(spec.trim());
  if (!m) throw new Error(`Unreadable example: ${spec}`);
  const [, head = '', rest = ''] = m;
  switch (head) {
    case 'Bash': return bash(rest);
    case 'Read': return factsOf(toolPayload('Read', { file_path: rest }));
    case 'Write': {
      const w = /^(\S+):\s+"([\s\S]*)"$/.exec(rest);
      return factsOf(toolPayload('Write', { file_path: w?.[1] ?? rest, content: unescape(w?.[2] ?? '') }));
    }
    case 'Edit': {
      const e = /^(\S+):\s+"([\s\S]*)"\s+→\s+"([\s\S]*)"$/.exec(rest);
      return factsOf(toolPayload('Edit', { file_path: e?.[1] ?? rest, old_string: unescape(e?.[2] ?? ''), new_string: unescape(e?.[3] ?? '') }));
    }
    case 'WebFetch': return factsOf(toolPayload('WebFetch', { url: rest, prompt: 'summarise' }));
    case 'WebSearch': return factsOf(toolPayload('WebSearch', { query: rest }));
    case 'Grep': {
      const g = /\(path (\S+), pattern (.+)\)/.exec(rest);
      return factsOf(toolPayload('Grep', { path: g?.[1], pattern: g?.[2] ?? rest }));
    }
    case 'Glob': return factsOf(toolPayload('Glob', { pattern: rest }));
    case 'prompt': return factsOf({ session_id: 'sess-1', cwd: FIXTURE_PROJECT, permission_mode: 'default', hook_event_name: 'UserPromptSubmit', prompt: rest });
    default:
      if (head.startsWith('mcp__')) return factsOf(toolPayload(head, JSON.parse(rest) as Obj));
      throw new Error(`Unknown example kind: ${head}`);
  }
}

/** Facts of a PostToolUse with the given tool output. */
export function output(tool: string, input: Obj, response: unknown): EventFacts {
  return factsOf(toolPayload(tool, input, { hook: 'PostToolUse', response }));
}

function unescape(text: string): string {
  return text.replace(/\\n/g, '\n').replace(/\\"/g, '"');
}

/**
 * The rule environment fixtures run in: AgentTrail lives in /home/u/.agenttrail, and secrets are
 * found by the real scanner with a fixed test key.
 */
export async function testEnv(): Promise<import('../../src/core/detect/types.js').RuleEnv> {
  const { createSecretScanner } = await import('../../src/core/detect/secrets/scanner.js');
  const scanner = createSecretScanner({ key: Buffer.from('agenttrail-test-key') });
  return { auditPaths: [`${FIXTURE_HOME}/.agenttrail`], findSecrets: (text: string) => scanner.findSecrets(text) };
}
