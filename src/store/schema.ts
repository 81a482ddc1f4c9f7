import type { JournalEntry } from '../core/chain/entry.js';
import type { AgentEvent } from '../core/event/schema.js';
import type { JournalLocation } from '../journal/writer.js';

/** Version of the index layout; a different version is rebuilt from the journal. */
export const INDEX_VERSION = 4;

/**
 * The index table: one row per journal entry. Columns that filters, sorts and aggregates use are
 * typed; the whole event is kept as JSON text for display. Rows arrive in seq (≈ time) order, so
 * DuckDB's per-row-group min/max on `ts` prunes time-range scans without a secondary index.
 */
export const CREATE_TABLES = `
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
-- Where each session's events lie in seq order: a timeline then scans only that seq range
-- (DuckDB prunes row groups by their min/max seq), even when session ids are random UUIDs.
CREATE TABLE IF NOT EXISTS sessions (session_id VARCHAR PRIMARY KEY, first_seq BIGINT, last_seq BIGINT);
CREATE TABLE IF NOT EXISTS events (
  seq BIGINT NOT NULL,
  ts TIMESTAMP NOT NULL,
  level VARCHAR,
  event_type VARCHAR,
  hook_event VARCHAR,
  session_id VARCHAR,
  prompt_id VARCHAR,
  agent_id VARCHAR,
  agent_type VARCHAR,
  project_path VARCHAR,
  project_name VARCHAR,
  tool_name VARCHAR,
  tool_use_id VARCHAR,
  target VARCHAR,
  file_path VARCHAR,
  outside_scope BOOLEAN,
  success BOOLEAN,
  duration_ms DOUBLE,
  user_id VARCHAR,
  host VARCHAR,
  claude_version VARCHAR,
  severity VARCHAR,
  rule_id VARCHAR,
  search_text VARCHAR,
  hash VARCHAR,
  segment VARCHAR,
  line_offset BIGINT,
  line_length INTEGER,
  event VARCHAR
);`;

/** Column order used by the appender; must match CREATE_TABLES. */
export const COLUMNS = [
  'seq', 'ts', 'level', 'event_type', 'hook_event', 'session_id', 'prompt_id', 'agent_id', 'agent_type',
  'project_path', 'project_name', 'tool_name', 'tool_use_id', 'target', 'file_path', 'outside_scope', 'success',
  'duration_ms', 'user_id', 'host', 'claude_version', 'severity', 'rule_id', 'search_text', 'hash', 'segment', 'line_offset', 'line_length', 'event',
] as const;

const SEARCH_TEXT_CHARS = 512;

/** The one-line "what" of an event: its file, command, URL, pattern, prompt or error. */
export function targetOf(e: AgentEvent): string {
  const d = e.action_details;
  const raw = (e.raw ?? {}) as Record<string, unknown>;
  if (e.event_type === 'security_alert') return `${String(d.rule_id)}: ${String(d.evidence ?? '')}`;
  const pick = d.file_path ?? d.command ?? d.url ?? d.query ?? d.pattern ?? d.subagent_type;
  if (typeof pick === 'string') return pick;
  if ((e.event_type === 'prompt' || e.event_type === 'prompt_expansion') && typeof raw.prompt === 'string') return raw.prompt;
  if (e.event_type === 'ingest_error') return `${String(d.reason)}: ${String(d.quarantine_file)}`;
  if (typeof d.error === 'string') return d.error;
  if (typeof d.message === 'string') return d.message;
  return '';
}

export type IndexRow = Readonly<Record<(typeof COLUMNS)[number], string | number | boolean | null>>;

/**
 * Maps a journal entry to an index row (pure). The row keeps the event without `raw` (the payload is
 * most of an event's size) and where its journal line is, so `raw` is read from the journal on demand:
 * the index stays a fraction of the journal's size.
 */
export function rowOf(entry: JournalEntry, location: JournalLocation = { segment: '', offset: -1, length: 0 }): IndexRow {
  const e = entry.event;
  const d = e.action_details;
  const target = targetOf(e);
  const error = typeof d.error === 'string' ? d.error : '';
  const searchText = [target, error, e.tool_name ?? '', e.context.command].filter(Boolean).join(' \u0001 ').slice(0, SEARCH_TEXT_CHARS).toLowerCase();
  return {
    seq: entry.seq,
    ts: e.timestamp,
    level: e.level,
    event_type: e.event_type,
    hook_event: e.hook_event,
    session_id: e.session_id,
    prompt_id: e.prompt_id,
    agent_id: e.agent_id,
    agent_type: e.agent_type,
    project_path: e.project_path,
    project_name: e.project_name,
    tool_name: e.tool_name,
    tool_use_id: e.tool_use_id,
    target: target.slice(0, 4096),
    file_path: typeof d.resolved_path === 'string' ? d.resolved_path : typeof d.file_path === 'string' ? d.file_path : null,
    outside_scope: typeof d.outside_project_scope === 'boolean' ? d.outside_project_scope : null,
    success: typeof d.success === 'boolean' ? d.success : null,
    duration_ms: typeof d.duration_ms === 'number' ? d.duration_ms : null,
    user_id: e.metadata.user_id,
    host: e.metadata.host,
    claude_version: e.metadata.claude_version,
    severity: e.event_type === 'security_alert' && typeof d.severity === 'string' ? d.severity : null,
    rule_id: e.event_type === 'security_alert' && typeof d.rule_id === 'string' ? d.rule_id : null,
    search_text: searchText,
    hash: entry.hash,
    segment: location.segment,
    line_offset: location.offset,
    line_length: location.length,
    event: JSON.stringify({ seq: entry.seq, hash: entry.hash, ...e, raw: undefined }),
  };
}
