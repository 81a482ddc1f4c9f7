/**
 * Overview: how much agents did — events and sessions over time, by tool, project, user and host —
 * with a session list that links into Session forensics.
 */
import type { Dashboard } from '@grafana/schema';
import { dashboard, labelVariable, serviceVariable } from '../builder/dashboard.js';
import { barchart, logs, metricTable, stat, timeseries } from '../builder/panels.js';
import { countBy, distinct, EVENTS, PRE_PHASE, streams } from '../queries.js';

/** Link from a session id cell to the forensics dashboard, keeping the time range. */
export const SESSION_LINK = {
  title: 'Open in Session forensics',
  url: '/d/agenttrail-session/agenttrail-session-forensics?var-session_id=${__value.text}&var-service=${service}&${__url_time_range}',
};

const TOOL_EVENTS = streams('event_type!~"heartbeat|security_alert"');

/** The Overview dashboard. */
export function overviewDashboard(): Dashboard {
  return dashboard({
    uid: 'agenttrail-overview',
    title: 'AgentTrail / Overview',
    description: 'Agent activity pushed by AgentTrail: events, sessions, tools, projects, users and hosts.',
    time: { from: 'now-24h', to: 'now' },
    variables: [serviceVariable(), labelVariable('host', 'Host'), labelVariable('user', 'User'), labelVariable('project', 'Project')],
    items: [
      { row: 'Activity' },
      stat('Events', { expr: countBy('', EVENTS) }, { w: 4, h: 4, description: 'Events in the time range (heartbeats excluded).' }),
      stat('Sessions', { expr: distinct('session_id', EVENTS) }, { w: 4, h: 4, description: 'Distinct session ids.' }),
      stat('Tool calls', { expr: countBy('', `${TOOL_EVENTS} ${PRE_PHASE}`) }, { w: 4, h: 4, description: 'PreToolUse events.' }),
      stat('Tool failures', { expr: countBy('', streams('event_type="tool_failure"')) }, { w: 4, h: 4, color: 'orange' }),
      stat('High/critical findings', { expr: countBy('', streams('event_type="security_alert"', 'level="error"')) }, { w: 4, h: 4, color: 'red' }),
      stat('Active hosts', { expr: distinct('host', streams()) }, { w: 4, h: 4, description: 'Hosts that sent anything, heartbeats included.' }),
      timeseries('Events by type', [{ expr: countBy('event_type', EVENTS, '$__auto'), legend: '{{event_type}}' }], { w: 12, h: 8, bars: true }),
      timeseries('Active sessions by project', [{ expr: distinct('session_id', EVENTS, '$__auto', 'project'), legend: '{{project}}' }], { w: 12, h: 8 }),
      { row: 'Tools' },
      barchart('Top tools', { expr: `topk(15, ${countBy('tool', `${TOOL_EVENTS} ${PRE_PHASE}`)})`, legend: '{{tool}}' }, { w: 8, h: 9 }),
      timeseries('Tool calls by tool', [{ expr: countBy('tool', `${TOOL_EVENTS} ${PRE_PHASE}`, '$__auto'), legend: '{{tool}}' }], { w: 16, h: 9, bars: true }),
      timeseries('Tool failures by tool', [{
        expr: countBy('tool', `${streams('event_type="tool_failure"')} | json tool="tool_name" | __error__=""`, '$__auto'), legend: '{{tool}}',
      }], { w: 12, h: 8, bars: true }),
      timeseries('Tool duration p95 by tool', [{
        expr: `quantile_over_time(0.95, ${TOOL_EVENTS} | json tool="tool_name", phase="action_details.phase", duration_ms="action_details.duration_ms" | __error__="" | phase="post" | unwrap duration_ms | __error__="" [$__auto]) by (tool)`,
        legend: '{{tool}}',
      }], { w: 12, h: 8, unit: 'ms', description: "Claude Code's duration_ms of PostToolUse events." }),
      { row: 'Projects, users, hosts' },
      barchart('Events by project', { expr: countBy('project', EVENTS), legend: '{{project}}' }, { w: 8, h: 8 }),
      barchart('Events by user', { expr: countBy('user', EVENTS), legend: '{{user}}' }, { w: 8, h: 8 }),
      barchart('Events by host', { expr: countBy('host', EVENTS), legend: '{{host}}' }, { w: 8, h: 8 }),
      timeseries('Events by project over time', [{ expr: countBy('project', EVENTS, '$__auto'), legend: '{{project}}' }], { w: 12, h: 8, bars: true }),
      timeseries('Events by user over time', [{ expr: countBy('user', EVENTS, '$__auto'), legend: '{{user}}' }], { w: 12, h: 8, bars: true }),
      { row: 'Sessions' },
      metricTable('Sessions (events per session)', {
        expr: `topk(100, ${countBy('session_id', `${EVENTS} | session_id!=""`)})`, legend: '{{session_id}}',
      }, { w: 12, h: 10, column: 'session_id', value: 'events', links: [SESSION_LINK] }),
      logs('Session starts', {
        expr: `${streams('event_type="session_start"')} | json source="action_details.source", cwd | line_format "{{.project}}  {{.user}}@{{.host}}  {{.source}}  session {{.session_id}}  cwd {{.cwd}}"`,
      }, { w: 12, h: 10, maxLines: 200 }),
    ],
  });
}
