import pc from 'picocolors';
import type { EventFilter, SessionSummary, StoredEvent } from '../../store/queries.js';
import { targetOf } from '../../store/schema.js';
import { parsePositiveInt } from '../../store/time.js';
import { parseFilter } from '../../store/parse-filter.js';
import { renderTable } from '../output/text.js';
import type { CliIo } from '../io.js';
import { withQuery } from '../store-client.js';

/** Filter options every listing command takes. */
export interface FilterOptions {
  readonly session?: string;
  readonly since?: string;
  readonly until?: string;
  readonly project?: string;
  readonly tool?: string;
  readonly type?: string;
  readonly path?: string;
  readonly user?: string;
  readonly host?: string;
  readonly severity?: string;
  readonly limit?: string;
  readonly json: boolean;
}

/** Turns command-line filter options into a store filter. */
export function filterFrom(o: FilterOptions, nowMs: number, text?: string): EventFilter {
  return parseFilter({ ...o, q: text }, nowMs);
}

const level = (s: string) => (s === 'ERROR' ? pc.red(s) : s === 'WARN' ? pc.yellow(s) : s === 'DEBUG' ? pc.dim(s) : s);

function printEvents(events: StoredEvent[], o: FilterOptions, io: CliIo): void {
  if (o.json) {
    for (const e of events) io.stdout(`${JSON.stringify(e)}\n`);
    return;
  }
  const rows = events.map((e) => [String(e.seq), e.timestamp, (e.session_id ?? '').slice(0, 8), e.level, e.event_type, e.tool_name ?? '', targetOf(e)]);
  io.stdout(`${renderTable(
    [{ header: 'SEQ' }, { header: 'TIME' }, { header: 'SESSION' }, { header: 'LEVEL', color: level }, { header: 'TYPE', color: pc.cyan }, { header: 'TOOL' }, { header: 'TARGET', width: 100 }],
    rows,
    io.color,
  )}\n`);
}

/** Fetches the newest `limit` matches (all when no limit), printed oldest first. */
async function newest(io: CliIo, f: EventFilter, limitText: string | undefined): Promise<StoredEvent[]> {
  const limit = limitText ? parsePositiveInt(limitText, '--limit') : Number.POSITIVE_INFINITY;
  return withQuery(io.paths, io.env, async (q) => {
    const out: StoredEvent[] = [];
    let cursor: number | undefined;
    do {
      const page = await q.events(f, { limit: Math.min(5000, limit - out.length), newest: true, ...(cursor !== undefined ? { cursor } : {}) });
      out.push(...page.events);
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined && out.length < limit);
    return out.sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.seq - b.seq);
  });
}

/** `agenttrail events`: events in time order, as a table or JSON Lines. */
export async function eventsCommand(o: FilterOptions, io: CliIo): Promise<void> {
  printEvents(await newest(io, filterFrom(o, Date.now()), o.limit), o, io);
}

/** `agenttrail search TEXT`: events whose target, error, tool or command contains TEXT (case-insensitive). */
export async function searchCommand(text: string, o: FilterOptions, io: CliIo): Promise<void> {
  printEvents(await newest(io, filterFrom(o, Date.now(), text), o.limit ?? '200'), o, io);
}

/** `agenttrail sessions`: one row per session, newest first. */
export async function sessionsCommand(o: FilterOptions, io: CliIo): Promise<void> {
  const limit = o.limit ? parsePositiveInt(o.limit, '--limit') : 1000;
  const sessions: SessionSummary[] = await withQuery(io.paths, io.env, (q) => q.sessions(filterFrom(o, Date.now()), limit));
  if (o.json) {
    io.stdout(`${JSON.stringify(sessions, null, 2)}\n`);
    return;
  }
  io.stdout(`${renderTable(
    [{ header: 'SESSION' }, { header: 'PROJECT' }, { header: 'STARTED' }, { header: 'ENDED' }, { header: 'EVENTS' }, { header: 'TOOLS' }, { header: 'FAILED' }, { header: 'OUTSIDE' }, { header: 'PROMPTS' }, { header: 'AGENTS' }, { header: 'FINDINGS' }],
    sessions.map((s) => [s.session_id, s.project_name, s.started_at, s.ended_at ?? '-', String(s.events), String(s.tool_calls), String(s.failures), String(s.outside_scope), String(s.prompts), String(s.subagents), s.findings ? `${s.findings} (${s.max_severity})` : '0']),
    io.color,
  )}\n`);
}
