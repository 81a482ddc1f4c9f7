/**
 * The normalised audit event (docs/specs/event-schema.md). It extends the original design's log
 * schema; every hook payload becomes exactly one AgentEvent, unknown hook events included.
 */
export type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Levels from least to most severe (a severity filter keeps a level and those after it). */
export const LEVELS: readonly Level[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

/** Event types; an unknown hook event becomes `hook_<snake_case_name>`. */
export type EventType =
  | 'file_read' | 'file_write' | 'file_edit' | 'command_exec' | 'web_fetch' | 'web_search' | 'search'
  | 'subagent' | 'mcp_call' | 'tool_use' | 'tool_failure' | 'tool_batch' | 'prompt' | 'prompt_expansion'
  | 'session_start' | 'session_end' | 'agent_stop' | 'agent_stop_failure' | 'subagent_start' | 'subagent_stop'
  | 'notification' | 'permission_request' | 'permission_denied' | 'compact' | 'model_switch'
  | 'config_change' | 'file_changed' | 'cwd_changed' | 'directory_added' | 'instructions_loaded'
  | 'worktree' | 'task' | 'elicitation' | 'message' | 'setup' | 'teammate_idle'
  | 'ingest_error' | (string & {});

/** What the action did: a flat bag whose keys depend on event_type (see the spec). */
export interface ActionDetails {
  [key: string]: unknown;
  phase?: 'pre' | 'post' | 'failure';
  file_path?: string;
  operation?: string;
  size_bytes?: number;
  outside_project_scope?: boolean;
  command?: string;
  url?: string;
  pattern?: string;
  duration_ms?: number;
  success?: boolean;
  error?: string;
}

export interface EventContext {
  /** The slash command of the prompt that caused this event (e.g. `/sc:implement auth`), or ''. */
  command: string;
  /** Persona flag of that prompt (e.g. `frontend` from `--persona-frontend`), or ''. */
  persona: string;
  /** The assistant's text just before this action, bounded, or ''. */
  reasoning: string;
}

export interface EventMetadata {
  claude_version: string;
  user_id: string;
  host: string;
  agenttrail_version: string;
  /** How the event reached AgentTrail: command | async | http. */
  transport: string;
  permission_mode: string;
  /** PID of the Claude Code process that ran the hook, when known. */
  claude_pid: number | null;
}

export interface AgentEvent {
  /** Capture time, ISO 8601 with milliseconds, UTC. */
  timestamp: string;
  level: Level;
  event_type: EventType;
  /** Claude Code's hook_event_name, verbatim. */
  hook_event: string;
  session_id: string | null;
  prompt_id: string | null;
  agent_id: string | null;
  agent_type: string | null;
  project_path: string;
  project_name: string;
  cwd: string;
  tool_name: string | null;
  tool_use_id: string | null;
  action_details: ActionDetails;
  context: EventContext;
  metadata: EventMetadata;
  /** The original payload, with large strings replaced by size + sha256 + a bounded preview. */
  raw: unknown;
}
