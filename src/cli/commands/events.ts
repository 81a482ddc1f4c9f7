import pc from 'picocolors';
import type { AgentEvent } from '../../core/event/schema.js';
import { queryEvents, summarizeSessions } from '../../query/journal-query.js';
import { renderTable } from '../output/text.js';
import type { CliIo } from '../io.js';
import { parsePositiveInt, parseSince } from '../time.js';

export interface EventsOptions {
  readonly session?: string;
  readonly since?: string;
  readonly until?: string;
  readonly tool?: string;
  readonly type?: string;
  readonly limit?: string;
  readonly json: boolean;
}

/** The one-line "what" of an event: its file, command, URL, pattern or prompt. */
export function targetOf(e: AgentEvent): string {
  const d = e.action_details;
  const raw = (e.raw ?? {}) as Record<string, unknown>;
  const pick = d.file_path ?? d.command ?? d.url ?? d.query ?? d.pattern ?? d.subagent_type;
  if (typeof pick === 'string') return pick;
  if (e.event_type === 'prompt' && typeof raw.prompt === 'string') return raw.prompt;
  if (e.event_type === 'ingest_error') return `${String(d.reason)}: ${String(d.quarantine_file)}`;
  if (typeof d.error === 'string') return d.error;
  return '';
}

/** `agenttrail events`: events in time order, as a table or JSON Lines. */
export function eventsCommand(o: EventsOptions, io: CliIo): void {
  const now = Date.now();
  const entries = queryEvents(io.paths.journal, {
    ...(o.session ? { session: o.session } : {}),
    ...(o.since ? { sinceMs: parseSince(o.since, now) } : {}),
    ...(o.until ? { untilMs: parseSince(o.until, now) } : {}),
    ...(o.tool ? { tool: o.tool } : {}),
    ...(o.type ? { type: o.type } : {}),
    ...(o.limit ? { limit: parsePositiveInt(o.limit, '--limit') } : {}),
  });
  if (o.json) {
    for (const { seq, hash, event } of entries) io.stdout(`${JSON.stringify({ seq, hash, ...event })}\n`);
    return;
  }
  const level = (s: string) => (s === 'ERROR' ? pc.red(s) : s === 'WARN' ? pc.yellow(s) : s);
  const rows = entries.map(({ seq, event: e }) => [
    String(seq), e.timestamp, (e.session_id ?? '').slice(0, 8), e.level, e.event_type, e.tool_name ?? '', targetOf(e),
  ]);
  io.stdout(`${renderTable(
    [{ header: 'SEQ' }, { header: 'TIME' }, { header: 'SESSION' }, { header: 'LEVEL', color: level }, { header: 'TYPE', color: pc.cyan }, { header: 'TOOL' }, { header: 'TARGET', width: 80 }],
    rows,
    io.color,
  )}\n`);
}

/** `agenttrail sessions`: one row per session, newest first. */
export function sessionsCommand(o: { json: boolean }, io: CliIo): void {
  const sessions = summarizeSessions(io.paths.journal);
  if (o.json) {
    io.stdout(`${JSON.stringify(sessions, null, 2)}\n`);
    return;
  }
  io.stdout(`${renderTable(
    [{ header: 'SESSION' }, { header: 'PROJECT' }, { header: 'STARTED' }, { header: 'ENDED' }, { header: 'EVENTS' }, { header: 'TOOLS' }, { header: 'FAILED' }, { header: 'PROMPTS' }, { header: 'AGENTS' }],
    sessions.map((s) => [s.session_id, s.project_name, s.started_at, s.ended_at ?? '-', String(s.events), String(s.tool_calls), String(s.failures), String(s.prompts), String(s.subagents)]),
    io.color,
  )}\n`);
}
