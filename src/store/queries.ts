import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { timestampValue } from '@duckdb/node-api';
import { LEVELS, type AgentEvent, type Level } from '../core/event/schema.js';
import { SEVERITIES, type Severity } from '../core/detect/types.js';

/** Filters shared by the CLI and the HTTP API. Absent fields match everything. */
export interface EventFilter {
  readonly session?: string;
  readonly project?: string;
  readonly tool?: string;
  readonly type?: string;
  readonly user?: string;
  readonly host?: string;
  /** Minimum level: DEBUG < INFO < WARN < ERROR. */
  readonly severity?: string;
  /** Glob on the (resolved) file path, e.g. `**\/.env` or `/etc/*`. */
  readonly path?: string;
  readonly sinceMs?: number;
  readonly untilMs?: number;
  /** Findings only: minimum finding severity (info < low < medium < high < critical). */
  readonly findingSeverity?: Severity;
  /** Findings only: rule id, or a glob over ids (`AGT-CRED-*`). */
  readonly rule?: string;
  /** Case-insensitive substring of the target (file, command, URL, prompt…), error, tool or command. */
  readonly text?: string;
}

export interface PageOptions {
  readonly limit: number;
  /** Return events after this seq (ascending) — or, with newest, before it. */
  readonly cursor?: number;
  /** Newest first (the default for `events --limit`). */
  readonly newest?: boolean;
}

/** An event as stored: the AgentEvent plus its journal seq and hash. */
export type StoredEvent = AgentEvent & { seq: number; hash: string };

export interface EventPage {
  readonly events: StoredEvent[];
  /** Pass as `cursor` to get the next page; null when there is none. */
  readonly next_cursor: number | null;
}


/** Builds a parameterised WHERE clause; user input never becomes SQL text. */
export function whereClause(f: EventFilter): { sql: string; values: DuckDBValue[] } {
  const parts: string[] = [];
  const values: DuckDBValue[] = [];
  const where = (sql: string, ...params: DuckDBValue[]) => {
    let i = 0;
    parts.push(sql.replace(/\?/g, () => {
      values.push(params[i++] ?? null);
      return `$${values.length}`;
    }));
  };
  if (f.session) where('starts_with(session_id, ?)', f.session);
  if (f.project) where('(project_name = ? OR project_path = ?)', f.project, f.project);
  if (f.tool) where('lower(tool_name) = lower(?)', f.tool);
  if (f.type) where('event_type = ?', f.type);
  if (f.user) where('user_id = ?', f.user);
  if (f.host) where('host = ?', f.host);
  if (f.severity) {
    const min = LEVELS.indexOf(f.severity.toUpperCase() as Level);
    const allowed = LEVELS.slice(Math.max(0, min));
    where(`level IN (${allowed.map(() => '?').join(', ')})`, ...allowed);
  }
  if (f.findingSeverity) {
    const allowed = SEVERITIES.slice(Math.max(0, SEVERITIES.indexOf(f.findingSeverity)));
    where(`severity IN (${allowed.map(() => '?').join(', ')})`, ...allowed);
  }
  if (f.rule) where('rule_id GLOB ?', f.rule);
  if (f.path) where('file_path GLOB ?', f.path);
  if (f.sinceMs !== undefined) where('ts >= ?', timestampValue(BigInt(Math.floor(f.sinceMs)) * 1000n));
  if (f.untilMs !== undefined) where('ts <= ?', timestampValue(BigInt(Math.floor(f.untilMs)) * 1000n));
  if (f.text) where('contains(search_text, lower(?))', f.text);
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', values };
}

/** Fills each event's `raw` from the journal (the index keeps only where the line is). */
export type RawReader = (locations: readonly { segment: string; offset: number; length: number }[]) => unknown[];

function withRaw(found: Record<string, unknown>[], readRaw: RawReader): StoredEvent[] {
  const raws = readRaw(found.map((r) => ({ segment: String(r.segment), offset: Number(r.line_offset), length: Number(r.line_length) })));
  return found.map((r, i) => ({ ...(JSON.parse(String(r.event)) as StoredEvent), raw: raws[i] ?? null }));
}

async function rows(connection: DuckDBConnection, sql: string, values: DuckDBValue[]): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql, values);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

/** One page of events matching a filter, in seq order (or newest first). */
export async function listEvents(connection: DuckDBConnection, readRaw: RawReader, f: EventFilter, page: PageOptions): Promise<EventPage> {
  const where = whereClause(f);
  const cursorCond = page.cursor === undefined ? '' : `${where.sql ? ' AND' : 'WHERE'} seq ${page.newest ? '<' : '>'} ${Math.floor(page.cursor)}`;
  const sql = `SELECT event, segment, line_offset, line_length FROM events ${where.sql}${cursorCond} ORDER BY seq ${page.newest ? 'DESC' : 'ASC'} LIMIT ${Math.floor(page.limit) + 1}`;
  const found = await rows(connection, sql, where.values);
  const more = found.length > page.limit;
  const events = withRaw(found.slice(0, page.limit), readRaw);
  return { events, next_cursor: more ? events.at(-1)!.seq : null };
}

export interface SessionSummary {
  session_id: string;
  project_path: string;
  project_name: string;
  user_id: string;
  host: string;
  claude_version: string;
  started_at: string;
  last_event_at: string;
  ended_at: string | null;
  events: number;
  tool_calls: number;
  failures: number;
  prompts: number;
  subagents: number;
  outside_scope: number;
  /** Findings not suppressed by an allow entry. */
  findings: number;
  /** The highest severity among them, or null. */
  max_severity: string | null;
}

/** Sessions with at least one event matching the filter, newest first. */
export async function listSessions(connection: DuckDBConnection, f: EventFilter, limit: number): Promise<SessionSummary[]> {
  const where = whereClause(f);
  const sql = `
    SELECT session_id,
      any_value(project_path ORDER BY seq) AS project_path, any_value(project_name ORDER BY seq) AS project_name,
      any_value(user_id) AS user_id, any_value(host) AS host, max(claude_version) AS claude_version,
      strftime(min(ts), '%Y-%m-%dT%H:%M:%S.%gZ') AS started_at, strftime(max(ts), '%Y-%m-%dT%H:%M:%S.%gZ') AS last_event_at,
      strftime(max(ts) FILTER (WHERE event_type = 'session_end'), '%Y-%m-%dT%H:%M:%S.%gZ') AS ended_at,
      count(*) FILTER (WHERE event_type <> 'security_alert')::INTEGER AS events,
      count(*) FILTER (WHERE hook_event = 'PreToolUse')::INTEGER AS tool_calls,
      count(*) FILTER (WHERE event_type = 'tool_failure')::INTEGER AS failures,
      count(*) FILTER (WHERE event_type = 'prompt')::INTEGER AS prompts,
      count(*) FILTER (WHERE event_type = 'subagent_start')::INTEGER AS subagents,
      count(*) FILTER (WHERE outside_scope AND hook_event = 'PreToolUse')::INTEGER AS outside_scope,
      count(*) FILTER (WHERE event_type = 'security_alert' AND level <> 'DEBUG')::INTEGER AS findings,
      coalesce(max(CASE severity WHEN 'critical' THEN 5 WHEN 'high' THEN 4 WHEN 'medium' THEN 3 WHEN 'low' THEN 2 WHEN 'info' THEN 1 END)
        FILTER (WHERE level <> 'DEBUG'), 0)::INTEGER AS max_severity_rank
    FROM events
    WHERE session_id IN (SELECT DISTINCT session_id FROM events ${where.sql})
    GROUP BY session_id ORDER BY min(ts) DESC LIMIT ${Math.floor(limit)}`;
  const RANKED = [null, 'info', 'low', 'medium', 'high', 'critical'];
  return (await rows(connection, sql, where.values)).map(({ max_severity_rank, ...r }) => ({ ...r, max_severity: RANKED[Number(max_severity_rank)] ?? null })) as unknown as SessionSummary[];
}

/** Every event of one session (a unique id prefix is enough), in time order. */
export async function sessionEvents(connection: DuckDBConnection, readRaw: RawReader, session: string): Promise<StoredEvent[]> {
  const found = await rows(connection, 'SELECT session_id, first_seq, last_seq FROM sessions WHERE starts_with(session_id, $1) LIMIT 2', [session]);
  if (found.length !== 1) return [];
  const s = found[0]!;
  const sql = `SELECT event, segment, line_offset, line_length FROM events
    WHERE seq BETWEEN ${Number(s.first_seq)} AND ${Number(s.last_seq)} AND session_id = $1 ORDER BY ts, seq`;
  return withRaw(await rows(connection, sql, [String(s.session_id)]), readRaw);
}

export type AggregateKey = 'tool' | 'event_type' | 'project' | 'user' | 'host' | 'level' | 'rule' | 'severity';
export type Interval = 'minute' | 'hour' | 'day' | 'week';
const KEY_COLUMNS: Record<AggregateKey, string> = { tool: 'tool_name', event_type: 'event_type', project: 'project_name', user: 'user_id', host: 'host', level: 'level', rule: 'rule_id', severity: 'severity' };

export interface AggregateRow {
  bucket: string;
  key: string | null;
  count: number;
}

/** Counts events per time bucket and key (e.g. tool calls by tool per hour). */
export async function aggregate(connection: DuckDBConnection, f: EventFilter, by: AggregateKey, interval: Interval): Promise<AggregateRow[]> {
  const where = whereClause(f);
  // Group on the truncated timestamp and format only the result rows: formatting every row cost most of the time.
  const sql = `
    SELECT strftime(b, '%Y-%m-%dT%H:%M:%SZ') AS bucket, key, count FROM (
      SELECT date_trunc('${interval}', ts) AS b, ${KEY_COLUMNS[by]} AS key, count(*)::INTEGER AS count
      FROM events ${where.sql} GROUP BY ALL
    ) ORDER BY b, key`;
  return (await rows(connection, sql, where.values)) as unknown as AggregateRow[];
}
