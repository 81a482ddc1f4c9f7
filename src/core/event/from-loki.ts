/**
 * Turns a push received on the Loki endpoint into AgentEvents. A line that is an AgentTrail event
 * (another machine's Loki sink) is reproduced as that event; any other line becomes a `log_line`
 * event. Pure: the push is data, however hostile — nothing in it is evaluated or trusted for sizes.
 */
import { boundLargeFields, utf8Prefix, type BoundConfig } from './bound.js';
import { LEVELS, type ActionDetails, type AgentEvent, type Level } from './schema.js';

/** One accepted entry: timestamp as a decimal string of int64 nanoseconds, the line, its structured metadata. */
export interface LokiPushEntry {
  readonly tsNs: string;
  readonly line: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** One accepted stream: its labels (as Loki stores them, service_name included) and entries. */
export interface LokiPushStream {
  readonly labels: Readonly<Record<string, string>>;
  readonly entries: readonly LokiPushEntry[];
}

/** What the Loki endpoint accepted from one request; JSON-serialisable, spooled as one record. */
export interface LokiPush {
  /** X-Scope-OrgID, else the basic-auth user name, else `fake` (Loki's tenant without auth). */
  readonly tenant: string;
  readonly receivedAtMs: number;
  /** The peer's address as the socket saw it. */
  readonly remote: string;
  readonly streams: readonly LokiPushStream[];
}

/** Facts about the receiving machine, injected so the mapping stays pure. */
export interface FromLokiSettings {
  readonly host: string;
  readonly agenttrailVersion: string;
  /** Bounds for `raw` of a log_line event (default: strings over 16 KiB become size + sha256 + 1 KiB preview). */
  readonly bound?: BoundConfig;
}

/** A log line is kept in action_details up to this many bytes. */
export const MAX_LINE_DETAIL_BYTES = 16 * 1024;
const DEFAULT_BOUND: BoundConfig = { maxFieldBytes: 16 * 1024, previewBytes: 1024 };
// Deeper JSON than this is not taken as an event: later recursive steps (canonical JSON) must not overflow.
const MAX_EVENT_DEPTH = 64;
const EVENT_FIELDS = new Set([
  'timestamp', 'level', 'event_type', 'hook_event', 'session_id', 'prompt_id', 'agent_id', 'agent_type', 'project_path',
  'project_name', 'cwd', 'tool_name', 'tool_use_id', 'action_details', 'context', 'metadata', 'raw',
]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const record = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(isObj(v) ? v : {}).filter((e): e is [string, string] => typeof e[1] === 'string'));

/** Returns the events of a push, one per entry, in stream and entry order. */
export function eventsFromLokiPush(push: LokiPush, settings: FromLokiSettings): AgentEvent[] {
  const events: AgentEvent[] = [];
  const streams = Array.isArray(push.streams) ? push.streams : [];
  for (const stream of streams) {
    const labels = record(stream?.labels);
    for (const entry of Array.isArray(stream?.entries) ? stream.entries : []) {
      const e = { tsNs: str(entry?.tsNs), line: str(entry?.line), metadata: record(entry?.metadata) };
      const parsed = parseJsonLine(e.line);
      events.push(agentTrailEvent(parsed, e, labels, push, settings) ?? logLineEvent(parsed, e, labels, push, settings));
    }
  }
  return events;
}

function parseJsonLine(line: string): unknown {
  const text = line.trimStart();
  if (!text.startsWith('{')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function tooDeep(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Reproduces an AgentTrail event line faithfully, typed fields coerced; undefined when the line is not one. */
function agentTrailEvent(parsed: unknown, entry: LokiPushEntry, labels: Record<string, string>, push: LokiPush, s: FromLokiSettings): AgentEvent | undefined {
  if (!isObj(parsed) || typeof parsed.event_type !== 'string' || typeof parsed.hook_event !== 'string') return undefined;
  if (typeof parsed.timestamp !== 'string' || !isObj(parsed.metadata) || tooDeep(parsed, MAX_EVENT_DEPTH)) return undefined;
  const meta = parsed.metadata;
  const details: ActionDetails = isObj(parsed.action_details) ? { ...parsed.action_details } : {};
  const seq = entry.metadata.seq;
  if (seq !== undefined && /^\d{1,15}$/.test(seq)) details.source_seq = Number(seq);
  if (entry.metadata.hash) details.source_hash = entry.metadata.hash;
  if (str(meta.transport) && meta.transport !== 'loki') details.source_transport = meta.transport;
  const extra = Object.fromEntries(Object.entries(parsed).filter(([key]) => !EVENT_FIELDS.has(key) && key !== '_truncated'));
  if (Object.keys(extra).length > 0) details.source_extra = extra;
  if (parsed._truncated !== undefined) details.source_truncated = parsed._truncated;
  details.loki_tenant = push.tenant;
  details.loki_remote = push.remote;
  const ctx = isObj(parsed.context) ? parsed.context : {};
  // Normalised, never kept verbatim: the journal's segment sealing and retention read event times.
  const parsedMs = Date.parse(parsed.timestamp);
  const timestamp = Number.isFinite(parsedMs) && Math.abs(parsedMs - push.receivedAtMs) < 8 * 86_400_000 ? new Date(parsedMs).toISOString() : isoFromNs(entry.tsNs, push.receivedAtMs);
  return {
    timestamp,
    level: LEVELS.includes(parsed.level as Level) ? (parsed.level as Level) : (levelFrom(parsed.level) ?? 'INFO'),
    event_type: parsed.event_type,
    hook_event: parsed.hook_event,
    session_id: strOrNull(parsed.session_id),
    prompt_id: strOrNull(parsed.prompt_id),
    agent_id: strOrNull(parsed.agent_id),
    agent_type: strOrNull(parsed.agent_type),
    project_path: str(parsed.project_path),
    project_name: str(parsed.project_name),
    cwd: str(parsed.cwd),
    tool_name: strOrNull(parsed.tool_name),
    tool_use_id: strOrNull(parsed.tool_use_id),
    action_details: details,
    context: { ...ctx, command: str(ctx.command), persona: str(ctx.persona), reasoning: str(ctx.reasoning) },
    metadata: {
      ...meta,
      claude_version: str(meta.claude_version),
      user_id: str(meta.user_id),
      host: str(meta.host) || hostOf(labels, entry.metadata, push, s),
      agenttrail_version: str(meta.agenttrail_version),
      transport: 'loki',
      permission_mode: str(meta.permission_mode),
      claude_pid: typeof meta.claude_pid === 'number' && Number.isFinite(meta.claude_pid) ? meta.claude_pid : null,
    },
    raw: parsed.raw ?? null,
  };
}

/** Any other line: a `log_line` event whose details carry the labels, metadata and (clipped) line. */
function logLineEvent(parsed: unknown, entry: LokiPushEntry, labels: Record<string, string>, push: LokiPush, s: FromLokiSettings): AgentEvent {
  const sm = entry.metadata;
  const bytes = Buffer.from(entry.line, 'utf8');
  const truncated = bytes.length > MAX_LINE_DETAIL_BYTES;
  const service = labels.service_name === 'unknown_service' ? '' : labels.service_name;
  return {
    timestamp: isoFromNs(entry.tsNs, push.receivedAtMs),
    level: levelOfLine(labels, sm, parsed, entry.line),
    event_type: 'log_line',
    hook_event: 'LokiPush',
    session_id: null,
    prompt_id: null,
    agent_id: null,
    agent_type: null,
    project_path: '',
    project_name: labels.project || service || labels.job || '',
    cwd: '',
    tool_name: null,
    tool_use_id: null,
    action_details: {
      labels,
      structured_metadata: sm,
      line: truncated ? utf8Prefix(bytes, MAX_LINE_DETAIL_BYTES) : entry.line,
      line_bytes: bytes.length,
      line_truncated: truncated,
      tenant: push.tenant,
      remote: push.remote,
    },
    context: { command: '', persona: '', reasoning: '' },
    metadata: {
      claude_version: '',
      user_id: labels.user || sm.user || '',
      host: hostOf(labels, sm, push, s),
      agenttrail_version: s.agenttrailVersion,
      transport: 'loki',
      permission_mode: '',
      claude_pid: null,
    },
    raw: boundLargeFields({ stream: labels, ts: entry.tsNs, line: entry.line, metadata: sm }, s.bound ?? DEFAULT_BOUND),
  };
}

function hostOf(labels: Record<string, string>, sm: Record<string, string>, push: LokiPush, s: FromLokiSettings): string {
  return labels.host || labels.hostname || labels.instance || sm.host || str(push.remote) || s.host;
}

/** ISO 8601 (ms) of a nanosecond timestamp string; `fallbackMs` when it is not one a Date can hold. */
export function isoFromNs(tsNs: string, fallbackMs: number): string {
  if (/^-?\d{1,30}$/.test(tsNs)) {
    const ns = BigInt(tsNs);
    const ms = Number(ns / 1_000_000n) - (ns < 0n && ns % 1_000_000n !== 0n ? 1 : 0);
    if (Math.abs(ms) <= 8.64e15) return new Date(ms).toISOString();
  }
  return new Date(Number.isFinite(fallbackMs) ? fallbackMs : 0).toISOString();
}

const LEVEL_KEYS = ['level', 'detected_level', 'severity'];
const JSON_LEVEL_KEYS = ['level', 'LEVEL', 'Level', 'severity', 'SEVERITY', 'Severity', 'SeverityText', 'severity_text', 'lvl', 'LVL', 'Lvl'];
const LOGFMT_LEVEL = /(?:^|\s)(?:level|lvl|severity)=("?)([A-Za-z]+)\1(?:\s|$)/;

function levelOfLine(labels: Record<string, string>, sm: Record<string, string>, parsed: unknown, line: string): Level {
  for (const source of [labels, sm]) {
    for (const key of LEVEL_KEYS) {
      const level = levelFrom(source[key]);
      if (level) return level;
    }
  }
  if (isObj(parsed)) {
    for (const key of JSON_LEVEL_KEYS) {
      const level = levelFrom(parsed[key]);
      if (level) return level;
    }
  }
  return levelFrom(LOGFMT_LEVEL.exec(line.slice(0, 1024))?.[2]) ?? 'INFO';
}

const TEXT_LEVELS: Readonly<Record<string, Level>> = {
  trace: 'DEBUG', debug: 'DEBUG', dbg: 'DEBUG', verbose: 'DEBUG', fine: 'DEBUG',
  info: 'INFO', information: 'INFO', informational: 'INFO', notice: 'INFO',
  warn: 'WARN', warning: 'WARN',
  error: 'ERROR', err: 'ERROR', fatal: 'ERROR', critical: 'ERROR', crit: 'ERROR', alert: 'ERROR', emerg: 'ERROR',
  emergency: 'ERROR', panic: 'ERROR', severe: 'ERROR',
};

/** Maps a level as log libraries write it (`warning`, `ERR`, pino's 40) to ours; undefined when unknown. */
export function levelFrom(value: unknown): Level | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 30 ? 'DEBUG' : value < 40 ? 'INFO' : value < 50 ? 'WARN' : 'ERROR';
  if (typeof value !== 'string') return undefined;
  const key = value.trim().toLowerCase();
  if (/^\d{1,3}$/.test(key)) return levelFrom(Number(key));
  return Object.hasOwn(TEXT_LEVELS, key) ? TEXT_LEVELS[key] : undefined;
}
