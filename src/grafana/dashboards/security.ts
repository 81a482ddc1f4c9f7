/**
 * Security: AgentTrail findings (security_alert events) by severity, rule, category and project, a
 * table of recent findings, and the raw signals behind the common ones — file access outside the
 * project, sensitive (credential/secret) files, and dangerous shell commands.
 */
import type { Dashboard } from '@grafana/schema';
import { dashboard, labelVariable, serviceVariable } from '../builder/dashboard.js';
import { barchart, logs, logTable, metricTable, stat, timeseries } from '../builder/panels.js';
import { countBy, distinct, FILE_EVENT_TYPES, FINDING_FIELDS, FINDINGS, streams } from '../queries.js';
import { SESSION_LINK } from './overview.js';

/** Grafana colours of the finding severities. */
export const SEVERITY_COLORS = { critical: 'dark-red', high: 'red', medium: 'orange', low: 'yellow', info: 'blue' } as const;

const SEVERITY = '| json finding_severity="action_details.severity" | __error__=""';
const OUTSIDE = `${streams(FILE_EVENT_TYPES)} |= "outside_project_scope" | json path="action_details.resolved_path", outside="action_details.outside_project_scope", phase="action_details.phase" | __error__="" | outside="true" | phase="pre"`;
/** Findings about credential stores and secret files. */
const SENSITIVE = `${FINDINGS} | rule_id=~"AGT-(CRED|SECRET)-.*"`;
/** Findings whose deciding event was a Bash command: the evidence is the dangerous command fragment. */
const COMMANDS = `${FINDINGS} ${FINDING_FIELDS}, trigger_tool="action_details.trigger.tool_name" | __error__="" | trigger_tool="Bash"`;

function severityStat(severity: keyof typeof SEVERITY_COLORS, w: number) {
  return stat(severity[0]!.toUpperCase() + severity.slice(1), {
    expr: countBy('', `${FINDINGS} ${SEVERITY} | finding_severity="${severity}"`),
  }, { w, h: 4, color: SEVERITY_COLORS[severity] });
}

/** The Security dashboard. */
export function securityDashboard(): Dashboard {
  return dashboard({
    uid: 'agenttrail-security',
    title: 'AgentTrail / Security',
    description: 'AgentTrail detection findings (suppressed findings excluded) and the risky actions behind them.',
    time: { from: 'now-7d', to: 'now' },
    variables: [serviceVariable(), labelVariable('host', 'Host'), labelVariable('user', 'User'), labelVariable('project', 'Project')],
    items: [
      { row: 'Findings' },
      severityStat('critical', 4), severityStat('high', 4), severityStat('medium', 4), severityStat('low', 4),
      stat('Sessions with findings', { expr: distinct('session_id', FINDINGS) }, { w: 4, h: 4 }),
      stat('Rules fired', { expr: distinct('rule_id', FINDINGS) }, { w: 4, h: 4 }),
      timeseries('Findings by severity', [{ expr: countBy('finding_severity', `${FINDINGS} ${SEVERITY}`, '$__auto'), legend: '{{finding_severity}}' }],
        { w: 12, h: 8, bars: true, colors: SEVERITY_COLORS }),
      timeseries('Findings by rule', [{ expr: countBy('rule_id', FINDINGS, '$__auto'), legend: '{{rule_id}}' }], { w: 12, h: 8, bars: true }),
      barchart('Top rules', { expr: `topk(15, ${countBy('rule_id', FINDINGS)})`, legend: '{{rule_id}}' }, { w: 8, h: 8 }),
      barchart('By category', {
        expr: countBy('category', `${FINDINGS} | json category="action_details.category" | __error__=""`), legend: '{{category}}',
      }, { w: 8, h: 8 }),
      barchart('By project', { expr: countBy('project', FINDINGS), legend: '{{project}}' }, { w: 8, h: 8 }),
      logTable('Recent findings', {
        expr: `${FINDINGS} ${FINDING_FIELDS} | keep finding_severity, rule_id, category, title, evidence, host, user, project, session_id | line_format "{{.title}}"`,
      }, { w: 24, h: 10, columns: ['finding_severity', 'rule_id', 'category', 'title', 'evidence', 'project', 'user', 'host', 'session_id'],
        rename: { finding_severity: 'severity' } }),
      metricTable('Sessions by findings', {
        expr: `topk(50, ${countBy('session_id', `${FINDINGS} | session_id!=""`)})`, legend: '{{session_id}}',
      }, { w: 24, h: 8, column: 'session_id', value: 'findings', links: [SESSION_LINK] }),
      { row: 'Outside-project access' },
      timeseries('Outside-project file access', [{ expr: countBy('project, event_type', OUTSIDE, '$__auto'), legend: '{{project}} {{event_type}}' }],
        { w: 12, h: 9, bars: true, description: 'Read/Write/Edit/Grep/Glob whose resolved path is outside the project root.' }),
      metricTable('Top outside-project paths', { expr: `topk(25, ${countBy('path', OUTSIDE)})`, legend: '{{path}}' },
        { w: 12, h: 9, column: 'path', value: 'calls' }),
      { row: 'Sensitive files' },
      logs('Credential and secret findings', {
        expr: `${SENSITIVE} ${FINDING_FIELDS} | line_format "[{{.finding_severity}}] {{.rule_id}} {{.evidence}}  ({{.project}}, {{.user}}@{{.host}})"`,
      }, { w: 12, h: 9 }),
      metricTable('Sensitive paths and commands', {
        expr: `topk(25, ${countBy('evidence', `${SENSITIVE} | json evidence="action_details.evidence" | __error__=""`)})`, legend: '{{evidence}}',
      }, { w: 12, h: 9, column: 'evidence', value: 'findings' }),
      { row: 'Dangerous commands' },
      timeseries('Dangerous commands by category', [{ expr: countBy('category', COMMANDS, '$__auto'), legend: '{{category}}' }],
        { w: 12, h: 9, bars: true, description: 'Findings raised on Bash commands (EXEC, DESTR, EXFIL, PRIV, PERSIST, TAMPER…).' }),
      logs('Dangerous commands', {
        expr: `${COMMANDS} | line_format "[{{.finding_severity}}] {{.rule_id}} {{.title}}: {{.evidence}}  ({{.project}}, {{.user}}@{{.host}})"`,
      }, { w: 12, h: 9 }),
    ],
  });
}
