import type { JournalEntry } from '../core/chain/entry.js';
import type { AgentEvent } from '../core/event/schema.js';
import { readJournal } from '../journal/reader.js';

/** Filters shared by `events` and the API. Absent fields match everything. */
export interface EventFilter {
  readonly session?: string;
  readonly sinceMs?: number;
  readonly untilMs?: number;
  readonly tool?: string;
  readonly type?: string;
  /** Keep only the newest N matches (still printed oldest first). */
  readonly limit?: number;
}

/** Returns whether an event passes a filter. */
export function matchesFilter(event: AgentEvent, f: EventFilter): boolean {
  if (f.session && event.session_id !== f.session && !event.session_id?.startsWith(f.session)) return false;
  if (f.tool && event.tool_name?.toLowerCase() !== f.tool.toLowerCase()) return false;
  if (f.type && event.event_type !== f.type) return false;
  const t = Date.parse(event.timestamp);
  if (f.sinceMs !== undefined && t < f.sinceMs) return false;
  if (f.untilMs !== undefined && t > f.untilMs) return false;
  return true;
}

/** Reads matching entries from the journal, in capture-time order. */
export function queryEvents(journalDir: string, f: EventFilter): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (const entry of readJournal(journalDir)) {
    if (!matchesFilter(entry.event, f)) continue;
    out.push(entry);
    if (f.limit && out.length > f.limit * 2) out.splice(0, out.length - f.limit);
  }
  out.sort((a, b) => a.event.timestamp.localeCompare(b.event.timestamp) || a.seq - b.seq);
  return f.limit ? out.slice(-f.limit) : out;
}

export interface SessionSummary {
  session_id: string;
  project_path: string;
  project_name: string;
  started_at: string;
  ended_at: string | null;
  last_event_at: string;
  events: number;
  tool_calls: number;
  failures: number;
  prompts: number;
  subagents: number;
  claude_version: string;
  user_id: string;
  host: string;
}

/** Summarises every session in the journal, newest first. */
export function summarizeSessions(journalDir: string): SessionSummary[] {
  const sessions = new Map<string, SessionSummary>();
  for (const { event: e } of readJournal(journalDir)) {
    if (!e.session_id) continue;
    let s = sessions.get(e.session_id);
    if (!s) {
      s = {
        session_id: e.session_id, project_path: e.project_path, project_name: e.project_name,
        started_at: e.timestamp, ended_at: null, last_event_at: e.timestamp, events: 0, tool_calls: 0,
        failures: 0, prompts: 0, subagents: 0, claude_version: '', user_id: e.metadata.user_id, host: e.metadata.host,
      };
      sessions.set(e.session_id, s);
    }
    s.events++;
    if (e.timestamp < s.started_at) s.started_at = e.timestamp;
    if (e.timestamp > s.last_event_at) s.last_event_at = e.timestamp;
    if (e.hook_event === 'PreToolUse') s.tool_calls++;
    if (e.event_type === 'tool_failure') s.failures++;
    if (e.event_type === 'prompt') s.prompts++;
    if (e.event_type === 'subagent_start') s.subagents++;
    if (e.event_type === 'session_end') s.ended_at = e.timestamp;
    if (e.metadata.claude_version) s.claude_version = e.metadata.claude_version;
  }
  return [...sessions.values()].sort((a, b) => b.started_at.localeCompare(a.started_at));
}
