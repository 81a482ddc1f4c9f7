import type { JournalEntry } from '../core/chain/entry.js';
import { LEVELS, type Level } from '../core/event/schema.js';
import { SEVERITIES } from '../core/detect/types.js';
import { rowOf } from './schema.js';
import type { EventFilter } from './queries.js';


/** SQL GLOB semantics (as DuckDB's `GLOB`): `*` matches any run of characters, `/` included; `?` one; `[…]` a class. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        const body = glob.slice(i + 1, end);
        out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`.replace(/\\/g, '\\\\');
        i = end;
      }
    } else out += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

/**
 * Applies a filter to one entry in memory, with the same meaning as the SQL filter (used by the
 * live stream, and by tests to check query results against the journal).
 */
export function matchesFilter(entry: JournalEntry, f: EventFilter): boolean {
  const r = rowOf(entry);
  const e = entry.event;
  if (f.session && !e.session_id?.startsWith(f.session)) return false;
  if (f.project && e.project_name !== f.project && e.project_path !== f.project) return false;
  if (f.tool && e.tool_name?.toLowerCase() !== f.tool.toLowerCase()) return false;
  if (f.type && e.event_type !== f.type) return false;
  if (f.user && e.metadata.user_id !== f.user) return false;
  if (f.host && e.metadata.host !== f.host) return false;
  if (f.severity && LEVELS.indexOf(e.level) < LEVELS.indexOf(f.severity.toUpperCase() as Level)) return false;
  if (f.findingSeverity && (typeof r.severity !== 'string' || SEVERITIES.indexOf(r.severity as never) < SEVERITIES.indexOf(f.findingSeverity))) return false;
  if (f.rule && !(typeof r.rule_id === 'string' && globToRegExp(f.rule).test(r.rule_id))) return false;
  if (f.path && !(typeof r.file_path === 'string' && globToRegExp(f.path).test(r.file_path))) return false;
  const t = Date.parse(e.timestamp);
  if (f.sinceMs !== undefined && t < f.sinceMs) return false;
  if (f.untilMs !== undefined && t > f.untilMs) return false;
  if (f.text && !String(r.search_text).includes(f.text.toLowerCase())) return false;
  return true;
}
