/**
 * Typed constructors for the Grafana panels the AgentTrail dashboards use (stat, timeseries, barchart,
 * table, logs), each querying the provisioned Loki datasource. Option objects are typed with the panel
 * types of @grafana/schema, so a renamed or missing option fails `tsc`, not a dashboard.
 */
import {
  BigValueColorMode, BigValueGraphMode, FieldColorModeId, BigValueJustifyMode, BigValueTextMode, GraphDrawStyle, LegendDisplayMode,
  LogsDedupStrategy, LogsSortOrder, PercentChangeColorMode, SortOrder, StackingMode, TableCellHeight,
  TooltipDisplayMode, VisibilityMode, VizOrientation,
  type DataQuery, type DataTransformerConfig, type FieldConfigSource, type GraphFieldConfig, type Panel,
} from '@grafana/schema';
import type { Options as BarChartOptions } from '@grafana/schema/dist/esm/raw/composable/barchart/panelcfg/x/BarChartPanelCfg_types.gen';
import type { Options as LogsOptions } from '@grafana/schema/dist/esm/raw/composable/logs/panelcfg/x/LogsPanelCfg_types.gen';
import type { Options as StatOptions } from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type { Options as TableOptions } from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type { Options as TimeSeriesOptions } from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';
import { LOKI_DATASOURCE } from '../contract.js';

/** A Loki target (grafana `public/app/plugins/datasource/loki/dataquery.gen.ts`; not in @grafana/schema). */
export interface LokiQuery extends DataQuery {
  expr: string;
  queryType: 'range' | 'instant';
  editorMode: 'code';
  legendFormat?: string;
  maxLines?: number;
  step?: string;
  direction?: 'backward' | 'forward';
}

/** One query of a panel: the LogQL plus how its series are named and sampled. */
export interface QuerySpec {
  readonly expr: string;
  /** legendFormat, e.g. `{{host}}`. */
  readonly legend?: string;
  /** Fixed step for trend charts (`1d`), else Grafana picks one. */
  readonly step?: string;
}

/** A panel before layout: its size on the 24-column grid. */
export interface PanelDraft extends Panel {
  w: number;
  h: number;
}

interface Common { readonly w: number; readonly h: number; readonly description?: string; readonly unit?: string }

function targets(qs: readonly QuerySpec[], queryType: LokiQuery['queryType']): LokiQuery[] {
  return qs.map((q, i) => ({
    refId: String.fromCharCode(65 + i), datasource: { ...LOKI_DATASOURCE }, editorMode: 'code', queryType, expr: q.expr,
    ...(q.legend !== undefined ? { legendFormat: q.legend } : {}),
    ...(q.step !== undefined ? { step: q.step } : {}),
  }));
}

function base(type: string, title: string, o: Common, qs: readonly QuerySpec[], queryType: LokiQuery['queryType']): PanelDraft {
  return {
    type, title, w: o.w, h: o.h, datasource: { ...LOKI_DATASOURCE },
    ...(o.description ? { description: o.description } : {}),
    targets: targets(qs, queryType).map((t) => ({ ...t })),
  };
}

const legend = { displayMode: LegendDisplayMode.List, placement: 'bottom' as const, showLegend: true, calcs: [] };
/** Turns an instant vector into rows (one per series, named by legendFormat) for tables and bar charts. */
const seriesToRows: DataTransformerConfig = { id: 'reduce', options: { mode: 'seriesToRows', reducers: ['lastNotNull'] } };

/** A single number over the dashboard's range (instant query, `[$__range]`). */
export function stat(title: string, q: QuerySpec, o: Common & { readonly color?: string }): PanelDraft {
  const options: StatOptions = {
    reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, orientation: VizOrientation.Auto,
    colorMode: BigValueColorMode.Value, graphMode: BigValueGraphMode.None, justifyMode: BigValueJustifyMode.Auto,
    textMode: BigValueTextMode.Auto, wideLayout: true, showPercentChange: false, percentChangeColorMode: PercentChangeColorMode.Standard,
  };
  const fieldConfig: FieldConfigSource = {
    defaults: { unit: o.unit ?? 'short', noValue: '0', color: { mode: FieldColorModeId.Fixed, fixedColor: o.color ?? 'text' } }, overrides: [],
  };
  return { ...base('stat', title, o, [q], 'instant'), options: { ...options }, fieldConfig };
}

/** Series over time (range queries, `[$__auto]` or a fixed step); bars stack per series. */
export function timeseries(title: string, qs: readonly QuerySpec[], o: Common & { readonly bars?: boolean;
  /** Fixed colours by series name (legend), e.g. severities. */
  readonly colors?: Readonly<Record<string, string>> }): PanelDraft {
  const options: TimeSeriesOptions = { legend, tooltip: { mode: TooltipDisplayMode.Multi, sort: SortOrder.Descending } };
  const custom: GraphFieldConfig = o.bars
    ? { drawStyle: GraphDrawStyle.Bars, fillOpacity: 70, stacking: { mode: StackingMode.Normal, group: 'A' } }
    : { drawStyle: GraphDrawStyle.Line, fillOpacity: 10, stacking: { mode: StackingMode.None, group: 'A' } };
  const overrides = Object.entries(o.colors ?? {}).map(([name, fixedColor]) => ({
    matcher: { id: 'byName', options: name }, properties: [{ id: 'color', value: { mode: FieldColorModeId.Fixed, fixedColor } }],
  }));
  const fieldConfig: FieldConfigSource = { defaults: { unit: o.unit ?? 'short', custom: { ...custom } }, overrides };
  return { ...base('timeseries', title, o, qs, 'range'), options: { ...options }, fieldConfig };
}

/** Horizontal bars of an instant vector, one bar per series. */
export function barchart(title: string, q: QuerySpec, o: Common): PanelDraft {
  const options: BarChartOptions = {
    orientation: VizOrientation.Horizontal, showValue: VisibilityMode.Auto, stacking: StackingMode.None, xField: 'Field',
    barWidth: 0.8, groupWidth: 0.7, fullHighlight: false, xTickLabelRotation: 0, xTickLabelMaxLength: 0,
    legend: { ...legend, showLegend: false }, tooltip: { mode: TooltipDisplayMode.Single, sort: SortOrder.None },
  };
  return {
    ...base('barchart', title, o, [q], 'instant'), options: { ...options }, transformations: [seriesToRows],
    fieldConfig: { defaults: { unit: o.unit ?? 'short' }, overrides: [] },
  };
}

/** A table of an instant vector: one row per series, `column` names the legendFormat column. */
export function metricTable(title: string, q: QuerySpec, o: Common & { readonly column: string; readonly value: string;
  readonly links?: readonly { title: string; url: string }[] }): PanelDraft {
  const options: TableOptions = { showHeader: true, cellHeight: TableCellHeight.Sm, frameIndex: 0, sortBy: [{ displayName: o.value, desc: true }] };
  const overrides = o.links ? [{ matcher: { id: 'byName', options: o.column }, properties: [{ id: 'links', value: o.links }] }] : [];
  return {
    ...base('table', title, o, [q], 'instant'), options: { ...options },
    transformations: [seriesToRows, { id: 'organize', options: { renameByName: { Field: o.column, 'Last *': o.value } } }],
    fieldConfig: { defaults: {}, overrides },
  };
}

/** A table of log lines whose labels (narrowed with `| keep …`) become the columns, newest first. */
export function logTable(title: string, q: QuerySpec, o: Common & { readonly columns: readonly string[]; readonly maxLines?: number;
  readonly rename?: Readonly<Record<string, string>> }): PanelDraft {
  const options: TableOptions = { showHeader: true, cellHeight: TableCellHeight.Sm, frameIndex: 0 };
  const indexByName = Object.fromEntries(['Time', 'timestamp', ...o.columns].map((k, i) => [k, i]));
  const panel = base('table', title, o, [q], 'range');
  return {
    ...panel, options: { ...options },
    targets: panel.targets?.map((t) => ({ ...t, maxLines: o.maxLines ?? 200, direction: 'backward' })),
    transformations: [
      // Replace the log frame's fields by the labels (one column each), keeping the time column.
      { id: 'extractFields', options: { source: 'labels', format: 'json', replace: true, keepTime: true } },
      { id: 'organize', options: { indexByName, renameByName: { ...o.rename } } },
    ],
    fieldConfig: { defaults: {}, overrides: [] },
  };
}

/** Log lines; `ascending` shows a timeline (oldest first, read forward from the range start). */
export function logs(title: string, q: QuerySpec, o: Common & { readonly ascending?: boolean; readonly maxLines?: number; readonly prettify?: boolean }): PanelDraft {
  const options: LogsOptions = {
    showTime: true, showLabels: false, showCommonLabels: false, wrapLogMessage: true, prettifyLogMessage: o.prettify ?? false,
    enableLogDetails: true, dedupStrategy: LogsDedupStrategy.none, showLogContextToggle: true,
    sortOrder: o.ascending ? LogsSortOrder.Ascending : LogsSortOrder.Descending,
  };
  const panel = base('logs', title, o, [q], 'range');
  return {
    ...panel, options: { ...options },
    targets: panel.targets?.map((t) => ({ ...t, maxLines: o.maxLines ?? 1000, direction: o.ascending ? 'forward' : 'backward' })),
  };
}
