import type { EventFilter } from './queries.js';
import type { Severity } from '../core/detect/types.js';
import { parseSince } from './time.js';

/** A filter as people type it (CLI flags or API query parameters). */
export interface FilterText {
  readonly session?: string | undefined;
  readonly project?: string | undefined;
  readonly tool?: string | undefined;
  readonly type?: string | undefined;
  readonly user?: string | undefined;
  readonly host?: string | undefined;
  readonly severity?: string | undefined;
  readonly path?: string | undefined;
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  readonly q?: string | undefined;
  /** Findings: minimum finding severity (info, low, medium, high, critical). */
  readonly finding_severity?: string | undefined;
  readonly rule?: string | undefined;
}

/** Turns typed filter values into a store filter (durations relative to `nowMs`); empty values match all. */
export function parseFilter(p: FilterText, nowMs: number): EventFilter {
  return {
    ...(p.session ? { session: p.session } : {}),
    ...(p.project ? { project: p.project } : {}),
    ...(p.tool ? { tool: p.tool } : {}),
    ...(p.type ? { type: p.type } : {}),
    ...(p.user ? { user: p.user } : {}),
    ...(p.host ? { host: p.host } : {}),
    ...(p.severity ? { severity: p.severity.toUpperCase() } : {}),
    ...(p.path ? { path: p.path } : {}),
    ...(p.since ? { sinceMs: parseSince(p.since, nowMs) } : {}),
    ...(p.until ? { untilMs: parseSince(p.until, nowMs) } : {}),
    ...(p.q ? { text: p.q } : {}),
    ...(p.finding_severity ? { findingSeverity: p.finding_severity.toLowerCase() as Severity } : {}),
    ...(p.rule ? { rule: p.rule } : {}),
  };
}
