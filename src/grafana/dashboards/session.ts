/**
 * Session forensics: one session (session_id is structured metadata, so it is typed into a textbox or
 * reached through a link) as an ordered timeline, with the files it touched, commands it ran, its
 * failures and findings, and the raw audit lines.
 */
import type { Dashboard } from '@grafana/schema';
import { dashboard, serviceVariable, textboxVariable } from '../builder/dashboard.js';
import { logs, metricTable, stat, timeseries } from '../builder/panels.js';
import { countBy, FINDING_FIELDS, PRE_PHASE, sessionEvents } from '../queries.js';

const FAILURE_TYPES = 'event_type=~"tool_failure|agent_stop_failure|permission_denied|ingest_error"';
const FILE_TYPES = 'event_type=~"file_read|file_write|file_edit"';

/** The Session forensics dashboard. */
export function sessionDashboard(): Dashboard {
  const all = sessionEvents();
  return dashboard({
    uid: 'agenttrail-session',
    title: 'AgentTrail / Session forensics',
    description: 'Everything one agent session did, in order. Paste a session id (agenttrail sessions, or a link from Overview/Security).',
    time: { from: 'now-24h', to: 'now' },
    refresh: '',
    variables: [
      serviceVariable(),
      textboxVariable('session_id', 'Session id', '', 'The Claude Code session id (structured metadata: label_values cannot list it).'),
    ],
    items: [
      stat('Events', { expr: countBy('', all) }, { w: 4, h: 4 }),
      stat('Tool calls', { expr: countBy('', `${all} ${PRE_PHASE}`) }, { w: 4, h: 4 }),
      stat('Failures', { expr: countBy('', sessionEvents(FAILURE_TYPES)) }, { w: 4, h: 4, color: 'orange' }),
      stat('Findings', { expr: countBy('', sessionEvents('event_type="security_alert", level!="debug"')) }, { w: 4, h: 4, color: 'red' }),
      stat('Files written', { expr: countBy('', `${sessionEvents('event_type=~"file_write|file_edit"')} ${PRE_PHASE}`) }, { w: 4, h: 4 }),
      stat('Outside-project accesses', {
        expr: countBy('', `${sessionEvents('event_type=~"file_read|file_write|file_edit|search"')} | json outside="action_details.outside_project_scope", phase="action_details.phase" | __error__="" | outside="true" | phase="pre"`),
      }, { w: 4, h: 4, color: 'orange' }),
      logs('Timeline', {
        expr: `${all} | json tool="tool_name", file="action_details.file_path", cmd="action_details.command", url="action_details.url", err="action_details.error", title="action_details.title" | line_format "{{.event_type}} {{.tool}} {{.file}}{{.cmd}}{{.url}}{{.title}}{{ if .err }} | error: {{.err}}{{ end }}"`,
      }, { w: 24, h: 14, ascending: true, maxLines: 5000, description: 'Oldest first. Expand a line for its labels and structured metadata (seq, hash).' }),
      timeseries('Events by type', [{ expr: countBy('event_type', all, '$__auto'), legend: '{{event_type}}' }], { w: 24, h: 6, bars: true }),
      metricTable('Files touched', {
        expr: countBy('event_type, file', `${sessionEvents(FILE_TYPES)} | json file="action_details.resolved_path", phase="action_details.phase" | __error__="" | phase="pre"`),
        legend: '{{event_type}} {{file}}',
      }, { w: 12, h: 10, column: 'file', value: 'calls', description: 'Resolved paths (symlinks followed) of Read/Write/Edit calls.' }),
      logs('Commands run', {
        expr: `${sessionEvents('event_type="command_exec"')} | json cmd="action_details.command", phase="action_details.phase", cwd | phase="pre" | line_format "{{.cwd}} > {{.cmd}}"`,
      }, { w: 12, h: 10, ascending: true, maxLines: 2000 }),
      logs('Failures', {
        expr: `${sessionEvents(FAILURE_TYPES)} | json tool="tool_name", err="action_details.error", reason="action_details.reason" | line_format "{{.event_type}} {{.tool}}: {{.err}}{{.reason}}"`,
      }, { w: 12, h: 8, ascending: true }),
      logs('Findings', {
        expr: `${sessionEvents('event_type="security_alert"')} ${FINDING_FIELDS} | line_format "[{{.finding_severity}}] {{.rule_id}} {{.title}}: {{.evidence}}"`,
      }, { w: 12, h: 8, ascending: true }),
      logs('Web and MCP', {
        expr: `${sessionEvents('event_type=~"web_fetch|web_search|mcp_call"')} | json tool="tool_name", url="action_details.url", query="action_details.query", phase="action_details.phase" | phase="pre" | line_format "{{.tool}} {{.url}}{{.query}}"`,
      }, { w: 24, h: 6, ascending: true }),
      logs('Raw audit events', { expr: all }, { w: 24, h: 14, ascending: true, maxLines: 5000, prettify: true }),
    ],
  });
}
