/**
 * Trends: daily and weekly activity per project and user over weeks (fixed `1d`/`1w` windows and
 * steps, so every bar is one day or one week). The Loki config allows queries this long (max_query_length).
 */
import type { Dashboard } from '@grafana/schema';
import { dashboard, labelVariable, serviceVariable } from '../builder/dashboard.js';
import { metricTable, timeseries } from '../builder/panels.js';
import { countBy, distinct, EVENTS, FINDINGS, PRE_PHASE, streams } from '../queries.js';
import { SEVERITY_COLORS } from './security.js';

const DAY = { range: '1d', step: '1d' } as const;
const WEEK = { range: '1w', step: '1w' } as const;

function bars(title: string, expr: string, legend: string, step: string, w = 12) {
  return timeseries(title, [{ expr, legend, step }], { w, h: 8, bars: true });
}

/** The Trends dashboard. */
export function trendsDashboard(): Dashboard {
  const tools = `${streams('event_type!~"heartbeat|security_alert"')} ${PRE_PHASE}`;
  return dashboard({
    uid: 'agenttrail-trends',
    title: 'AgentTrail / Trends',
    description: 'Daily and weekly agent activity by project and user.',
    time: { from: 'now-30d', to: 'now' },
    refresh: '1h',
    variables: [serviceVariable(), labelVariable('host', 'Host'), labelVariable('user', 'User'), labelVariable('project', 'Project')],
    items: [
      { row: 'Daily' },
      bars('Events per day by project', countBy('project', EVENTS, DAY.range), '{{project}}', DAY.step),
      bars('Events per day by user', countBy('user', EVENTS, DAY.range), '{{user}}', DAY.step),
      bars('Sessions per day by project', distinct('session_id', EVENTS, DAY.range, 'project'), '{{project}}', DAY.step),
      bars('Sessions per day by user', distinct('session_id', EVENTS, DAY.range, 'user'), '{{user}}', DAY.step),
      bars('Tool calls per day by project', countBy('project', tools, DAY.range), '{{project}}', DAY.step),
      bars('Tool failures per day by project', countBy('project', streams('event_type="tool_failure"'), DAY.range), '{{project}}', DAY.step),
      bars('Active users per day', distinct('user', EVENTS, DAY.range), 'users', DAY.step),
      bars('Active projects per day', distinct('project', EVENTS, DAY.range), 'projects', DAY.step),
      { row: 'Weekly' },
      bars('Events per week by project', countBy('project', EVENTS, WEEK.range), '{{project}}', WEEK.step),
      bars('Sessions per week by user', distinct('session_id', EVENTS, WEEK.range, 'user'), '{{user}}', WEEK.step),
      timeseries('Findings per week by severity', [{
        expr: countBy('finding_severity', `${FINDINGS} | json finding_severity="action_details.severity" | __error__=""`, WEEK.range), legend: '{{finding_severity}}', step: WEEK.step,
      }], { w: 12, h: 8, bars: true, colors: SEVERITY_COLORS }),
      bars('Findings per week by project', countBy('project', FINDINGS, WEEK.range), '{{project}}', WEEK.step),
      { row: 'Totals in range' },
      metricTable('Events by project', { expr: countBy('project', EVENTS), legend: '{{project}}' }, { w: 8, h: 8, column: 'project', value: 'events' }),
      metricTable('Events by user', { expr: countBy('user', EVENTS), legend: '{{user}}' }, { w: 8, h: 8, column: 'user', value: 'events' }),
      metricTable('Sessions by project', { expr: distinct('session_id', EVENTS, '$__range', 'project'), legend: '{{project}}' },
        { w: 8, h: 8, column: 'project', value: 'sessions' }),
    ],
  });
}
