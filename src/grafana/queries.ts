/**
 * LogQL building blocks shared by the dashboards: stream selectors with the dashboard filters, the
 * JSON extractions of the AgentEvent line (named so they never collide with a label or SM), and the
 * session filter. Put label and SM filters before `| json`; handle `__error__` in metric queries.
 */

/** The dashboard filters every overview/security/trends selector carries (multi-value variables). */
const FILTERS = 'service_name="$service", host=~"$host", user=~"$user", project=~"$project"';

/** A stream selector with the dashboard filters plus `matchers` (e.g. `event_type="tool_failure"`). */
export function streams(...matchers: string[]): string {
  return `{${[FILTERS, ...matchers].join(', ')}}`;
}

/** Every event but the daemon's heartbeats. */
export const EVENTS = streams('event_type!="heartbeat"');

/** Findings that were not suppressed by policy (suppressed ones are journaled at DEBUG). */
export const FINDINGS = streams('event_type="security_alert"', 'level!="debug"');

/** Events of one session (session_id is SM: filtered after the selector, before any parser). */
export function sessionEvents(matcher = 'event_type!="heartbeat"'): string {
  return `{service_name="$service", ${matcher}} | session_id="$session_id"`;
}

/** File-tool and search events, which carry action_details.outside_project_scope. */
export const FILE_EVENT_TYPES = 'event_type=~"file_read|file_write|file_edit|search"';

/**
 * `| json` extraction of a finding's fields (action_details is the Finding). Extracted names never equal a
 * label or SM the sink may send (`severity`, `tool_name` can be configured as labels): `finding_severity`, `tool`.
 */
export const FINDING_FIELDS =
  '| json finding_severity="action_details.severity", title="action_details.title", category="action_details.category", evidence="action_details.evidence"';

/** Keeps only PreToolUse events (one per tool call; post/failure events repeat the call). */
export const PRE_PHASE = '| json tool="tool_name", phase="action_details.phase" | __error__="" | phase="pre"';

/** Counts a log query's lines in the dashboard range, summed by `labels` (empty = one total). */
export function countBy(labels: string, logQuery: string, range = '$__range'): string {
  const agg = labels ? `sum by (${labels}) ` : 'sum';
  return `${agg}(count_over_time(${logQuery} [${range}]))`;
}

/** Counts distinct values of `label` (e.g. session_id), optionally per `by` label. */
export function distinct(label: string, logQuery: string, range = '$__range', by = ''): string {
  const outer = by ? `count by (${by}) ` : 'count';
  return `${outer}(sum by (${[by, label].filter(Boolean).join(', ')}) (count_over_time(${logQuery} | ${label}!="" [${range}])))`;
}
