/**
 * Semantic checks of metric queries that a syntax parser does not make (Loki `ast.go`, §5 of the
 * digest): which range aggregations allow grouping or unwrap, topk's k, valid ranges, series labels
 * through `by`/`without`, binary-operator label matching, and that SM/JSON-derived series are aggregated.
 */
import { analyseLog, has, type LogqlContract } from './pipeline.js';
import { child, decodeString, find, kids, text, type LintIssue, type Node } from './tree.js';

/** The label names of a metric expression's result series. */
export interface MetricShape {
  readonly labels: ReadonlySet<string>;
  readonly scalar: boolean;
  /** A bare `vector(x)` (no labels). */
  readonly vectorLiteral: boolean;
}

const WITH_UNWRAP = ['avg_over_time', 'sum_over_time', 'max_over_time', 'min_over_time', 'stddev_over_time', 'stdvar_over_time',
  'quantile_over_time', 'rate', 'rate_counter', 'absent_over_time', 'first_over_time', 'last_over_time'];
const WITHOUT_UNWRAP = ['count_over_time', 'bytes_over_time', 'bytes_rate', 'rate', 'absent_over_time'];
const GROUPING_OK = ['avg_over_time', 'stddev_over_time', 'stdvar_over_time', 'quantile_over_time', 'max_over_time',
  'min_over_time', 'first_over_time', 'last_over_time'];
/** Vector aggregations that collapse series onto their `by` labels. */
const COLLAPSING = ['sum', 'avg', 'count', 'max', 'min', 'stddev', 'stdvar'];
const SET_OPS = ['And', 'Or', 'Unless'];
const DURATION = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;

/** Returns whether `d` is a positive Prometheus duration (`5m`, `1h30m`, `1d`; not `5minutes`). */
export function isDuration(d: string): boolean {
  return d !== '' && DURATION.test(d) && /[1-9]/.test(d);
}

function grouping(q: string, node: Node): { kind: 'by' | 'without'; labels: string[] } | undefined {
  const g = child(node, 'Grouping');
  if (!g) return undefined;
  return { kind: child(g, 'Without') ? 'without' : 'by', labels: find(g, ['Identifier']).map((i) => text(q, i)) };
}

function rangeAgg(q: string, n: Node, aggregated: boolean, c: LogqlContract, issues: LintIssue[]): MetricShape {
  const opNode = child(n, 'RangeOp');
  const op = opNode ? text(q, opNode) : '?';
  const logRange = child(n, 'LogRangeExpr');
  if (!logRange) return { labels: new Set(), scalar: false, vectorLiteral: false };
  const scope = analyseLog(q, logRange, c, issues);
  for (const d of find(logRange, ['Range', 'OffsetExpr']).flatMap((r) => find(r, ['Duration']))) {
    if (!isDuration(text(q, d))) issues.push({ rule: 'invalid-range', message: `invalid duration ${text(q, d)}` });
  }
  if (scope.unwrapped && !WITH_UNWRAP.includes(op)) issues.push({ rule: 'unwrap-op', message: `invalid aggregation ${op} with unwrap` });
  if (!scope.unwrapped && !WITHOUT_UNWRAP.includes(op)) issues.push({ rule: 'unwrap-op', message: `invalid aggregation ${op} without unwrap` });
  if (scope.errorPending) {
    issues.push({ rule: 'error-handling', message: `${op}: parser/unwrap errors are not handled: add | __error__="" after the last parser or unwrap` });
  }
  const g = grouping(q, n);
  if (g && !GROUPING_OK.includes(op)) issues.push({ rule: 'range-grouping', message: `grouping not allowed for ${op} aggregation` });
  for (const l of g?.labels ?? []) if (!has(scope, l)) issues.push({ rule: 'unknown-grouping-label', message: `${op} by ${l}: no such label` });
  if (!aggregated && !(g?.kind === 'by') && op !== 'absent_over_time') {
    issues.push({ rule: 'unaggregated', message: `${op} is not aggregated: SM and parsed fields are series labels; wrap it in sum by (…)` });
  }
  const labels = g?.kind === 'by' ? new Set(g.labels)
    : new Set([...scope.names].filter((l) => !g?.labels.includes(l) && !l.startsWith('__error')));
  return { labels, scalar: false, vectorLiteral: false };
}

function vectorAgg(q: string, n: Node, c: LogqlContract, issues: LintIssue[]): MetricShape {
  const opNode = child(n, 'VectorOp');
  const op = opNode ? text(q, opNode) : '?';
  const g = grouping(q, n);
  const param = child(n, 'Number');
  if (['topk', 'bottomk', 'approx_topk'].includes(op)) {
    const k = param ? Number(text(q, param)) : NaN;
    if (!Number.isInteger(k) || k <= 0) issues.push({ rule: 'topk-param', message: `${op} needs an integer k > 0` });
    if (op === 'approx_topk' && g) issues.push({ rule: 'range-grouping', message: 'approx_topk does not allow grouping' });
  }
  const collapses = COLLAPSING.includes(op) && g?.kind !== 'without';
  const inner = child(n, 'MetricExpr');
  const shape = inner ? metric(q, inner, collapses, c, issues) : { labels: new Set<string>(), scalar: false, vectorLiteral: false };
  for (const l of g?.labels ?? []) {
    if (!shape.labels.has(l)) issues.push({ rule: 'unknown-grouping-label', message: `${op} by (${l}): the inner series have no label ${l}` });
  }
  if (!g) return { labels: COLLAPSING.includes(op) ? new Set() : shape.labels, scalar: false, vectorLiteral: false };
  const labels = g.kind === 'by' ? new Set(g.labels) : new Set([...shape.labels].filter((l) => !g.labels.includes(l)));
  return { labels, scalar: false, vectorLiteral: false };
}

function binOp(q: string, n: Node, aggregated: boolean, c: LogqlContract, issues: LintIssue[]): MetricShape {
  const [l, opNode, modifier, r] = kids(n);
  if (!l || !opNode || !r) return { labels: new Set(), scalar: false, vectorLiteral: false };
  const left = expr(q, l, aggregated, c, issues);
  const right = expr(q, r, aggregated, c, issues);
  const op = opNode.name;
  const matching = modifier ? find(modifier, ['On', 'Ignoring']).length > 0 : false;
  if (left.scalar || right.scalar) return left.scalar ? { ...right, vectorLiteral: false } : { ...left, vectorLiteral: false };
  const same = left.labels.size === right.labels.size && [...left.labels].every((x) => right.labels.has(x));
  if (op === 'Or' && right.vectorLiteral && left.labels.size > 0) {
    issues.push({ rule: 'or-vector', message: '`or vector(…)` beside labelled series adds an extra unlabelled series; use it after sum(...) without by' });
  } else if (op !== 'Or' && !matching && !same) {
    issues.push({ rule: 'binop-labels', message: `${text(q, opNode)} between series labelled {${[...left.labels]}} and {${[...right.labels]}} matches nothing; add on(…)/ignoring(…)` });
  }
  return { labels: op === 'Or' ? new Set([...left.labels, ...right.labels]) : left.labels, scalar: false, vectorLiteral: false };
}

function expr(q: string, n: Node, aggregated: boolean, c: LogqlContract, issues: LintIssue[]): MetricShape {
  const m = child(n, 'MetricExpr');
  if (m) return metric(q, m, aggregated, c, issues);
  issues.push({ rule: 'log-in-metric', message: `a log query cannot be an operand: ${text(q, n)}` });
  return { labels: new Set(), scalar: false, vectorLiteral: false };
}

/** Analyses a MetricExpr node; `aggregated` says whether an enclosing aggregation collapses its series. */
export function metric(q: string, n: Node, aggregated: boolean, c: LogqlContract, issues: LintIssue[]): MetricShape {
  for (const k of kids(n)) {
    switch (k.name) {
      case 'MetricExpr': return metric(q, k, aggregated, c, issues);
      case 'RangeAggregationExpr': return rangeAgg(q, k, aggregated, c, issues);
      case 'VectorAggregationExpr': return vectorAgg(q, k, c, issues);
      case 'BinOpExpr': return binOp(q, k, aggregated, c, issues);
      case 'LiteralExpr': return { labels: new Set(), scalar: true, vectorLiteral: false };
      case 'VectorExpr': return { labels: new Set(), scalar: false, vectorLiteral: true };
      case 'LabelReplaceExpr': {
        const inner = child(k, 'MetricExpr');
        const shape = inner ? metric(q, inner, aggregated, c, issues) : { labels: new Set<string>(), scalar: false, vectorLiteral: false };
        const dst = find(k, ['String']).map((s) => decodeString(text(q, s)))[0];
        return { labels: new Set([...shape.labels, ...(dst ? [dst] : [])]), scalar: false, vectorLiteral: false };
      }
      default:
    }
  }
  issues.push({ rule: 'unsupported', message: `unsupported metric expression ${text(q, n)}` });
  return { labels: new Set(), scalar: false, vectorLiteral: false };
}
