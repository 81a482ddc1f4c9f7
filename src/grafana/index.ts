/**
 * Grafana/Loki artifacts generated from TypeScript: the four dashboards, the Loki ruler rules, the
 * list of every LogQL expression they use (linted by tests), and the files `npm run grafana:generate`
 * writes under deploy/. Pure: the generator script does the writing.
 */
import type { Dashboard, Panel, RowPanel, VariableModel } from '@grafana/schema';
import { overviewDashboard } from './dashboards/overview.js';
import { securityDashboard } from './dashboards/security.js';
import { sessionDashboard } from './dashboards/session.js';
import { trendsDashboard } from './dashboards/trends.js';
import { alertRuleGroups, renderRulesYaml, RULES_NAMESPACE, RULES_TENANT, type RuleGroup } from './rules.js';

/** The dashboards, keyed by file name under deploy/grafana/dashboards/. */
export const DASHBOARDS: Readonly<Record<string, () => Dashboard>> = {
  'agenttrail-overview.json': overviewDashboard,
  'agenttrail-session.json': sessionDashboard,
  'agenttrail-security.json': securityDashboard,
  'agenttrail-trends.json': trendsDashboard,
};

/** One LogQL expression in use, with what the linter needs to check it in context. */
export interface LogqlUse {
  /** Where it is used, e.g. `agenttrail-overview › Events › A`. */
  readonly where: string;
  readonly expr: string;
  readonly expect: 'log' | 'metric';
  /** Worst-case values of the dashboard variables (allValue of multi-value variables, textbox defaults). */
  readonly variables: Readonly<Record<string, string>>;
  /** legendFormat / alert template text whose `{{label}}` references must be result labels. */
  readonly templates: readonly string[];
}

/** Returns the value a variable has in the worst case the linter checks. */
function lintValue(v: VariableModel): string {
  if (v.includeAll && v.allValue) return v.allValue;
  const cur = v.current?.value;
  return typeof cur === 'string' ? cur : typeof v.query === 'string' ? v.query : '';
}

function panelUses(d: Dashboard, vars: Record<string, string>): LogqlUse[] {
  const panels = (d.panels ?? []).flatMap((p) => (p.type === 'row' ? [p, ...((p as RowPanel).panels ?? [])] : [p])) as Panel[];
  return panels.flatMap((p) => (p.targets ?? []).map((t) => {
    const metric = p.type !== 'logs' && !(p.type === 'table' && t.queryType === 'range');
    return {
      where: `${d.uid} › ${p.title} › ${String(t.refId)}`, expr: String(t.expr), expect: metric ? 'metric' : 'log',
      variables: vars, templates: typeof t.legendFormat === 'string' ? [t.legendFormat] : [],
    } as const;
  }));
}

/** Collects every LogQL expression of the dashboards (targets and variable queries) and rule groups. */
export function collectLogql(dashboards: readonly Dashboard[], groups: readonly RuleGroup[]): LogqlUse[] {
  const out: LogqlUse[] = [];
  for (const d of dashboards) {
    const list = d.templating?.list ?? [];
    const vars = Object.fromEntries(list.map((v) => [v.name, lintValue(v)]));
    for (const v of list) {
      const stream = typeof v.query === 'object' ? v.query.stream : undefined;
      if (typeof stream === 'string') out.push({ where: `${d.uid} › variable ${v.name}`, expr: stream, expect: 'log', variables: vars, templates: [] });
    }
    out.push(...panelUses(d, vars));
  }
  for (const g of groups) {
    for (const r of g.rules) {
      out.push({ where: `rules ${g.name} › ${r.alert}`, expr: r.expr, expect: 'metric', variables: {}, templates: [...Object.values(r.labels), ...Object.values(r.annotations)] });
    }
  }
  return out;
}

/** Every LogQL expression used by the generated dashboards and alert rules. */
export const ALL_LOGQL: readonly LogqlUse[] = collectLogql(Object.values(DASHBOARDS).map((f) => f()), alertRuleGroups());

/** A file the generator writes, relative to the repository root. */
export interface Artifact {
  readonly path: string;
  readonly content: string;
}

/** Renders every generated file (dashboards JSON, ruler YAML). */
export function artifacts(): Artifact[] {
  const dashboards = Object.entries(DASHBOARDS).map(([file, build]) => ({
    path: `deploy/grafana/dashboards/${file}`, content: `${JSON.stringify(build(), null, 2)}\n`,
  }));
  const rules = { path: `deploy/loki/rules/${RULES_TENANT}/${RULES_NAMESPACE}.yaml`, content: renderRulesYaml(alertRuleGroups()) };
  return [...dashboards, rules];
}
