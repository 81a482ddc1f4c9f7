/**
 * The Loki data contract AgentTrail's Loki sink pushes, as the dashboards and alert rules read it:
 * stream labels, structured metadata (SM) and the JSON paths of the line (an AgentEvent). The LogQL
 * linter checks every query against it, so a renamed field breaks a test instead of a panel.
 */
import type { Finding } from '../core/detect/types.js';
import type { AgentEvent, EventContext, EventMetadata } from '../core/event/schema.js';

/** The Loki datasource every panel, target and variable references (provisioned with this uid). */
export const LOKI_DATASOURCE = { type: 'loki', uid: 'loki' } as const;

/** The default `service_name` stream label of AgentTrail streams. */
export const SERVICE_NAME = 'agenttrail';

/** Indexed stream labels (low cardinality). */
export const STREAM_LABELS = ['service_name', 'host', 'user', 'project', 'event_type', 'level'] as const;

/** Structured metadata keys the sink sends (`rule_id` on findings only) plus the one Loki adds itself. */
export const STRUCTURED_METADATA = [
  'session_id', 'prompt_id', 'tool_use_id', 'agent_id', 'seq', 'hash', 'rule_id', 'detected_level',
] as const;

/**
 * Fields the Loki sink can be configured to send as extra labels or SM (src/sinks/loki/fields.ts). A
 * query must never extract JSON under these names: on such an install Loki renames it `<name>_extracted`.
 */
export const CONFIGURABLE_FIELDS = ['hook_event', 'tool_name', 'agent_type', 'severity', 'source_id'] as const;

/** Values of the `level` stream label (the event level, lower-cased). */
export const LEVEL_VALUES = ['debug', 'info', 'warn', 'error'] as const;

/** Finding severities, as in the `action_details.severity` of a `security_alert` line. */
export const SEVERITY_VALUES = ['info', 'low', 'medium', 'high', 'critical'] as const;

/** Values of the `event_type` stream label: the schema's event types plus findings and daemon heartbeats. */
export const EVENT_TYPES = [
  'file_read', 'file_write', 'file_edit', 'command_exec', 'web_fetch', 'web_search', 'search',
  'subagent', 'mcp_call', 'tool_use', 'tool_failure', 'tool_batch', 'prompt', 'prompt_expansion',
  'session_start', 'session_end', 'agent_stop', 'agent_stop_failure', 'subagent_start', 'subagent_stop',
  'notification', 'permission_request', 'permission_denied', 'compact', 'model_switch',
  'config_change', 'file_changed', 'cwd_changed', 'directory_added', 'instructions_loaded',
  'worktree', 'task', 'elicitation', 'message', 'setup', 'teammate_idle', 'ingest_error',
  'security_alert', 'heartbeat',
] as const;

const TOP_LEVEL = [
  'timestamp', 'level', 'event_type', 'hook_event', 'session_id', 'prompt_id', 'agent_id', 'agent_type',
  'project_path', 'project_name', 'cwd', 'tool_name', 'tool_use_id', 'action_details', 'context', 'metadata', 'raw',
] as const satisfies readonly (keyof AgentEvent)[];
const CONTEXT = ['command', 'persona', 'reasoning'] as const satisfies readonly (keyof EventContext)[];
const METADATA = [
  'claude_version', 'user_id', 'host', 'agenttrail_version', 'transport', 'permission_mode', 'claude_pid',
] as const satisfies readonly (keyof EventMetadata)[];
const FINDING = [
  'rule_id', 'title', 'category', 'severity', 'source', 'attack', 'atlas', 'owasp', 'evidence', 'message',
  'trigger_seqs', 'trigger', 'escalations', 'secret', 'suppressed', 'repeat',
] as const satisfies readonly (keyof Finding)[];
/** action_details keys of tool events (docs/specs/event-schema.md "action_details"). */
const TOOL_DETAILS = [
  'phase', 'file_path', 'resolved_path', 'outside_project_scope', 'operation', 'offset', 'limit', 'size_bytes',
  'lines', 'total_lines', 'replace_all', 'edits', 'lines_added', 'lines_removed', 'command', 'description',
  'run_in_background', 'timeout_ms', 'stdout_bytes', 'stderr_bytes', 'interrupted', 'url', 'domain',
  'status_code', 'query', 'pattern', 'glob', 'search_path', 'subagent_type', 'prompt_bytes', 'launched_agent_id',
  'status', 'mcp_server', 'mcp_tool', 'argument_keys', 'duration_ms', 'success', 'pre_seq', 'latency_ms', 'error',
  'is_interrupt', 'tool_count', 'tools', 'calls_without_pre', 'source', 'reason', 'event',
] as const;

// Compile-time guarantees that the lists above cover the schema's types (a new field must be listed).
type Missing<T, L extends readonly unknown[]> = Exclude<keyof T, L[number]>;
type AssertNone<T extends never> = T;
export type ContractCoversSchema = AssertNone<
  Missing<AgentEvent, typeof TOP_LEVEL> | Missing<EventContext, typeof CONTEXT>
  | Missing<EventMetadata, typeof METADATA> | Missing<Finding, typeof FINDING>
>;

/** Dotted JSON paths of the line that `| json name="path"` may extract. */
export const JSON_PATHS: readonly string[] = [
  ...TOP_LEVEL.filter((k) => !['action_details', 'context', 'metadata', 'raw'].includes(k)),
  ...CONTEXT.map((k) => `context.${k}`),
  ...METADATA.map((k) => `metadata.${k}`),
  ...[...new Set([...TOOL_DETAILS, ...FINDING])].map((k) => `action_details.${k}`),
  'action_details.attack.version', 'action_details.attack.techniques',
  'action_details.trigger.event_type', 'action_details.trigger.hook_event',
  'action_details.trigger.tool_name', 'action_details.trigger.tool_use_id',
  'action_details.secret.kind', 'action_details.secret.fingerprint',
];

/** Prefixes under which a plain `| json` may extract further, open-ended keys. */
export const OPEN_JSON_PREFIXES = ['action_details_', 'raw_'] as const;
