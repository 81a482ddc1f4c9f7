import type { JournalEntry } from '../../core/chain/entry.js';
import { SEVERITIES, type Finding, type Severity } from '../../core/detect/types.js';

/** The event type of journaled findings. */
export const SECURITY_ALERT = 'security_alert';

/** A finding as alert destinations see it: the Finding plus where and when it happened. */
export interface Alert extends Finding {
  /** Journal seq and hash of the security_alert entry; the hash is the alert's idempotency key. */
  readonly seq: number;
  readonly hash: string;
  readonly timestamp: string;
  readonly host: string;
  readonly user: string;
  readonly session_id: string | null;
  readonly agent_id: string | null;
  readonly project: string;
  readonly project_path: string;
  readonly cwd: string;
  readonly tool_name: string | null;
  /** Similar alerts (same rule and session) the throttle held back since the last one delivered. */
  readonly suppressed_similar: number;
}

/** Returns the finding of a security_alert entry, or undefined for other entries and malformed findings. */
export function findingOf(entry: JournalEntry): Finding | undefined {
  const { event } = entry;
  if (event?.event_type !== SECURITY_ALERT) return undefined;
  const f = event.action_details as Partial<Finding> | undefined;
  if (!f || typeof f.rule_id !== 'string' || typeof f.title !== 'string') return undefined;
  if (!SEVERITIES.includes(f.severity as Severity)) return undefined;
  // An allow entry matched: the finding stays in the journal for the record, but nobody is paged.
  if (typeof f.suppressed === 'string' && f.suppressed) return undefined;
  return f as Finding;
}

/** Builds the alert for a security_alert entry (undefined when it holds no valid finding). */
export function toAlert(entry: JournalEntry, suppressedSimilar = 0): Alert | undefined {
  const finding = findingOf(entry);
  if (!finding) return undefined;
  const e = entry.event;
  return {
    ...finding,
    evidence: typeof finding.evidence === 'string' ? finding.evidence : '',
    message: typeof finding.message === 'string' ? finding.message : '',
    seq: entry.seq,
    hash: entry.hash,
    timestamp: e.timestamp,
    host: e.metadata?.host || entry.host,
    user: e.metadata?.user_id ?? '',
    session_id: e.session_id ?? null,
    agent_id: e.agent_id ?? null,
    project: e.project_name ?? '',
    project_path: e.project_path ?? '',
    cwd: e.cwd ?? '',
    tool_name: e.tool_name ?? finding.trigger?.tool_name ?? null,
    suppressed_similar: suppressedSimilar,
  };
}

/** Returns the most severe severity among alerts ('info' for none). */
export function highestSeverity(alerts: readonly Alert[]): Severity {
  let best = 0;
  for (const a of alerts) best = Math.max(best, SEVERITIES.indexOf(a.severity));
  return SEVERITIES[best]!;
}
