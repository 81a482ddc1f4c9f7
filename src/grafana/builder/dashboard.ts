/**
 * Typed dashboard assembly: template variables (Loki label values, textboxes), row/flow layout on the
 * 24-column grid, stable panel ids, and the dashboard envelope provisioning upserts by `uid`.
 */
import { VariableHide, VariableRefresh, VariableSort, type Dashboard, type Panel, type RowPanel, type VariableModel } from '@grafana/schema';
import { LOKI_DATASOURCE, SERVICE_NAME } from '../contract.js';
import type { PanelDraft } from './panels.js';

/** The dashboard schema version written (Grafana migrates it forward; 39 is safe for Grafana ≥ 11). */
export const SCHEMA_VERSION = 39;

/** A collapsible section header; following panels start on a new line below it. */
export interface RowDraft {
  readonly row: string;
}

/** The `service` textbox every dashboard has: the `service_name` stream label to read (default agenttrail). */
export function serviceVariable(): VariableModel {
  return {
    name: 'service', label: 'Service', type: 'textbox', query: SERVICE_NAME, hide: VariableHide.dontHide,
    current: { text: SERVICE_NAME, value: SERVICE_NAME }, options: [{ selected: true, text: SERVICE_NAME, value: SERVICE_NAME }],
    description: 'The service_name stream label AgentTrail pushes with (loki sink config).',
  };
}

/**
 * A multi-value variable listing the values of an indexed stream label (Loki `label_values`, refreshed
 * on time-range change). Only stream labels can be listed: SM such as session_id needs a textbox.
 */
export function labelVariable(name: string, label: string, stream = '{service_name="$service"}'): VariableModel {
  return {
    name, label, type: 'query', datasource: { ...LOKI_DATASOURCE },
    query: { refId: 'LokiVariableQueryEditor-VariableQuery', type: 1, label: name, stream },
    refresh: VariableRefresh.onTimeRangeChanged, sort: VariableSort.alphabeticalAsc,
    multi: true, includeAll: true, allValue: '.+', current: { text: 'All', value: '$__all' },
  };
}

/** A free-text variable (for structured metadata such as session_id, which label_values cannot list). */
export function textboxVariable(name: string, label: string, value: string, description: string): VariableModel {
  return { name, label, type: 'textbox', query: value, current: { text: value, value }, hide: VariableHide.dontHide, description };
}

/** Places panels left to right on the 24-column grid, wrapping lines; rows start a new line. */
export function layout(items: readonly (PanelDraft | RowDraft)[]): (Panel | RowPanel)[] {
  const out: (Panel | RowPanel)[] = [];
  let x = 0;
  let y = 0;
  let lineH = 0;
  let id = 1;
  for (const item of items) {
    if ('row' in item) {
      y += lineH;
      out.push({ id: id++, gridPos: { x: 0, y, w: 24, h: 1 }, type: 'row', title: item.row, collapsed: false, panels: [] });
      y += 1;
      x = 0;
      lineH = 0;
      continue;
    }
    if (item.w > 24) throw new Error(`panel ${item.title ?? ''} is wider than the grid`);
    if (x + item.w > 24) {
      y += lineH;
      x = 0;
      lineH = 0;
    }
    const { w, h, ...panel } = item;
    out.push({ id: id++, gridPos: { x, y, w, h }, ...panel });
    x += w;
    lineH = Math.max(lineH, h);
  }
  return out;
}

/** What a dashboard is made of. */
export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly refresh?: string;
  readonly variables: readonly VariableModel[];
  readonly items: readonly (PanelDraft | RowDraft)[];
}

/** Links every AgentTrail dashboard shows in its header (the others, by tag). */
const LINKS: Dashboard['links'] = [{
  title: 'AgentTrail', type: 'dashboards', tags: ['agenttrail'], asDropdown: true, includeVars: false, keepTime: true,
  icon: 'external link', targetBlank: false, tooltip: '', url: '',
}];

/** Builds a file-provisionable dashboard. */
export function dashboard(spec: DashboardSpec): Dashboard {
  return {
    uid: spec.uid, title: spec.title, description: spec.description, tags: ['agenttrail', 'audit', 'loki'],
    schemaVersion: SCHEMA_VERSION, version: 1, editable: false, timezone: 'browser', graphTooltip: 1,
    fiscalYearStartMonth: 0, liveNow: false, time: { ...spec.time }, refresh: spec.refresh ?? '1m',
    links: LINKS, annotations: { list: [] }, templating: { list: [...spec.variables] }, panels: layout(spec.items),
  };
}
