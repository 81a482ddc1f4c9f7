import { basename, posix } from 'node:path';
import { boundLargeFields, clip, type BoundConfig } from './bound.js';
import { classifyEvent, levelOf, TOOL_HOOK_EVENTS } from './classify.js';
import { compact, toolDetails } from './details.js';
import type { PathScope } from './scope.js';
import type { ActionDetails, AgentEvent } from './schema.js';
import type { SessionTracker } from './tracker.js';

type Obj = Record<string, unknown>;

/** One captured hook payload, as the spool (or another source) delivered it. */
export interface CapturedPayload {
  readonly payload: Obj;
  /** Event name the hook was registered for; the payload's hook_event_name wins when present. */
  readonly hookEvent: string;
  readonly transport: string;
  readonly capturedAtMs: number;
  /** CLAUDE_PROJECT_DIR as the hook saw it, or ''. */
  readonly projectDir: string;
  readonly claudePid: number | null;
  /** Claude Code's AI_AGENT variable as the hook saw it (e.g. claude-code_2-1-328_harness), or ''. */
  readonly agent: string;
}

/** Reads the Claude Code version out of AI_AGENT (claude-code_2-1-328_harness → 2.1.328). */
export function versionFromAgent(agent: string): string | undefined {
  const m = /^claude-code_(\d+)-(\d+)-(\d+)/.exec(agent);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : undefined;
}

/** Facts about this machine and policy, injected so normalisation stays pure. */
export interface NormalizeSettings {
  readonly host: string;
  readonly user: string;
  readonly agenttrailVersion: string;
  readonly home: string;
  readonly bound: BoundConfig;
  readonly realpath: (path: string) => string;
  /** The Claude Code version of a session, when an enricher found it. */
  readonly claudeVersion: (sessionId: string | null, transcriptPath: string | null) => string | undefined;
}

/** Fields every hook payload may carry; the rest of a non-tool payload becomes action_details. */
const COMMON_FIELDS = new Set([
  'session_id', 'transcript_path', 'cwd', 'hook_event_name', 'prompt_id', 'permission_mode', 'effort',
  'agent_id', 'agent_type', 'tool_name', 'tool_input', 'tool_response', 'tool_use_id',
]);

const s = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Turns one hook payload into an AgentEvent (docs/specs/event-schema.md). Pure. */
export function normalizeEvent(input: CapturedPayload, settings: NormalizeSettings, tracker: SessionTracker): AgentEvent {
  const p = input.payload;
  const hookEvent = s(p.hook_event_name) ?? input.hookEvent;
  const sessionId = s(p.session_id);
  const toolName = s(p.tool_name);
  const cwd = s(p.cwd) ?? '';
  const projectPath = posix.normalize(input.projectDir || tracker.projectOf(sessionId) || cwd || '/');
  const scope: PathScope = { projectPath, cwd, home: settings.home, realpath: settings.realpath };
  const eventType = classifyEvent(hookEvent, toolName);
  const promptId = s(p.prompt_id);
  const agentId = s(p.agent_id);
  const toolUseId = s(p.tool_use_id);
  const prompt = tracker.promptOf(promptId);

  const details: ActionDetails =
    toolName && TOOL_HOOK_EVENTS.has(hookEvent)
      ? toolCallDetails(hookEvent, toolName, p, scope)
      : otherDetails(hookEvent, p, tracker);
  const pre = hookEvent === 'PreToolUse' ? undefined : tracker.callOf(toolUseId);
  if (pre && toolUseId) {
    details.pre_seq = pre.seq;
    details.latency_ms = Math.max(0, Math.round(input.capturedAtMs - pre.timeMs));
  }

  return {
    timestamp: new Date(input.capturedAtMs).toISOString(),
    level: levelOf(eventType, hookEvent),
    event_type: eventType,
    hook_event: hookEvent,
    session_id: sessionId,
    prompt_id: promptId,
    agent_id: agentId,
    agent_type: s(p.agent_type),
    project_path: projectPath,
    project_name: basename(projectPath) || projectPath,
    cwd,
    tool_name: toolName,
    tool_use_id: toolUseId,
    action_details: details,
    context: {
      command: prompt.command,
      persona: prompt.persona,
      reasoning: toolName ? tracker.reasoningOf(sessionId, agentId) : '',
    },
    metadata: {
      claude_version:
        versionFromAgent(input.agent) ?? tracker.versionOf(sessionId) ?? settings.claudeVersion(sessionId, s(p.transcript_path)) ?? '',
      user_id: settings.user,
      host: settings.host,
      agenttrail_version: settings.agenttrailVersion,
      transport: input.transport,
      permission_mode: s(p.permission_mode) ?? '',
      claude_pid: input.claudePid,
    },
    raw: boundLargeFields(p, settings.bound),
  };
}

function toolCallDetails(hookEvent: string, toolName: string, p: Obj, scope: PathScope): ActionDetails {
  const input = (p.tool_input && typeof p.tool_input === 'object' ? p.tool_input : {}) as Obj;
  const details = toolDetails(toolName, input, p.tool_response, scope);
  if (hookEvent === 'PreToolUse') return { phase: 'pre', ...details };
  if (hookEvent === 'PostToolUse') return compact({ phase: 'post', ...details, duration_ms: num(p.duration_ms), success: true });
  if (hookEvent === 'PostToolUseFailure') {
    return compact({
      phase: 'failure',
      ...details,
      duration_ms: num(p.duration_ms),
      success: false,
      error: typeof p.error === 'string' ? clip(p.error, 2000) : undefined,
      is_interrupt: typeof p.is_interrupt === 'boolean' ? p.is_interrupt : undefined,
    });
  }
  return { phase: 'pre', ...details, decision_event: hookEvent };
}

function otherDetails(hookEvent: string, p: Obj, tracker: SessionTracker): ActionDetails {
  const details: ActionDetails = {};
  for (const [key, value] of Object.entries(p)) {
    if (COMMON_FIELDS.has(key)) continue;
    if (typeof value === 'string') details[key] = clip(value, 1000);
    else if (typeof value === 'number' || typeof value === 'boolean') details[key] = value;
  }
  if (hookEvent === 'UserPromptSubmit' && typeof p.prompt === 'string') {
    details.prompt_bytes = Buffer.byteLength(p.prompt, 'utf8');
  }
  if (hookEvent === 'PostToolBatch' && Array.isArray(p.tool_calls)) {
    const calls = p.tool_calls.filter((c): c is Obj => c !== null && typeof c === 'object');
    details.tool_count = calls.length;
    details.tools = calls.map((c) => String(c.tool_name ?? ''));
    // Calls to tools that do not exist fire no PreToolUse; the batch is the only trace of them.
    details.calls_without_pre = calls
      .map((c) => String(c.tool_use_id ?? ''))
      .filter((id) => id && !tracker.callOf(id));
  }
  return details;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
