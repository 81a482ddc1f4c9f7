/**
 * LogQL linter: substitutes Grafana macros and variables, parses with @grafana/lezer-logql (failing on
 * any error node) and applies the semantic rules Loki enforces but lezer does not, plus AgentTrail's
 * contract rules (labels vs SM vs JSON fields, `_extracted` renames, aggregation of SM-labelled series).
 */
import {
  CONFIGURABLE_FIELDS, EVENT_TYPES, JSON_PATHS, LEVEL_VALUES, OPEN_JSON_PREFIXES, SEVERITY_VALUES, STREAM_LABELS, STRUCTURED_METADATA,
} from '../contract.js';
import { metric } from './metric.js';
import { analyseLog, type LogqlContract } from './pipeline.js';
import { child, find, parseLogql, type LintIssue } from './tree.js';

export type { LintIssue } from './tree.js';
export type { LogqlContract } from './pipeline.js';

/** The contract of AgentTrail streams (src/grafana/contract.ts). */
export const AGENTTRAIL_CONTRACT: LogqlContract = {
  streamLabels: STREAM_LABELS,
  structuredMetadata: STRUCTURED_METADATA,
  jsonPaths: JSON_PATHS,
  openJsonPrefixes: OPEN_JSON_PREFIXES,
  reservedNames: CONFIGURABLE_FIELDS,
  labelValues: { level: LEVEL_VALUES, event_type: EVENT_TYPES, finding_severity: SEVERITY_VALUES },
};

/** Grafana's range macros, replaced by a representative duration before parsing (lezer cannot parse them). */
const MACROS: Readonly<Record<string, string>> = { __auto: '5m', __interval: '1m', __rate_interval: '4m', __range: '1h' };

export interface LintOptions {
  /** Values for `$var` / `${var}` / `${var:fmt}` (the worst case: a multi-value variable's allValue). */
  readonly variables?: Readonly<Record<string, string>>;
  /** What the query must be: a log query (logs panels, variables) or a metric query (charts, rules). */
  readonly expect?: 'log' | 'metric';
  /** Label names the caller renders from the result (legendFormat, alert templates): they must exist. */
  readonly labelRefs?: readonly string[];
  readonly contract?: LogqlContract;
}

export interface LintResult {
  /** The query after substitution, as parsed. */
  readonly query: string;
  readonly kind: 'log' | 'metric' | 'invalid';
  /** Label names of the result series (metric queries). */
  readonly labels: readonly string[];
  readonly issues: readonly LintIssue[];
}

/** Replaces Grafana macros and dashboard variables; unknown variables become issues. */
export function substitute(expr: string, variables: Readonly<Record<string, string>>, issues: LintIssue[]): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (all, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const value = MACROS[name] ?? variables[name];
    if (value === undefined) issues.push({ rule: 'unknown-variable', message: `unknown variable ${all}` });
    return value ?? 'x';
  });
}

/** Lints one LogQL expression as Grafana or the Loki ruler would send it. */
export function lintLogql(expr: string, opts: LintOptions = {}): LintResult {
  const c = opts.contract ?? AGENTTRAIL_CONTRACT;
  const issues: LintIssue[] = [];
  const query = substitute(expr, opts.variables ?? {}, issues);
  const { top, errors } = parseLogql(query);
  if (errors.length > 0) {
    issues.push({ rule: 'syntax', message: `syntax error at offset ${errors.join(', ')} in ${query}` });
    return { query, kind: 'invalid', labels: [], issues };
  }
  const root = find(top, ['Expr'])[0];
  const log = root && child(root, 'LogExpr');
  const met = root && child(root, 'MetricExpr');
  let kind: LintResult['kind'] = 'invalid';
  let labels: string[] = [];
  if (log) {
    kind = 'log';
    const scope = analyseLog(query, log, c, issues);
    labels = [...scope.names];
  } else if (met) {
    kind = 'metric';
    labels = [...metric(query, met, false, c, issues).labels];
  } else {
    issues.push({ rule: 'syntax', message: 'not a LogQL query' });
  }
  if (opts.expect && kind !== 'invalid' && kind !== opts.expect) {
    issues.push({ rule: 'query-kind', message: `expected a ${opts.expect} query, got a ${kind} query` });
  }
  for (const ref of opts.labelRefs ?? []) {
    if (kind === 'metric' && !labels.includes(ref)) {
      issues.push({ rule: 'unknown-legend-label', message: `{{${ref}}} is not a label of the result (${labels.join(', ') || 'none'})` });
    }
  }
  return { query, kind, labels, issues };
}

/** Returns the label names a Grafana legendFormat (`{{host}}`) or alert template (`{{ $labels.host }}`) uses. */
export function templateLabelRefs(template: string): string[] {
  const refs = new Set<string>();
  for (const m of template.matchAll(/\{\{\s*(?:\$labels\.)?([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) refs.add(m[1]!);
  return [...refs];
}
