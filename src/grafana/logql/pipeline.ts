/**
 * Semantic checks of a log query (selector + pipeline + unwrap) against the AgentTrail Loki contract,
 * tracking which label names exist after each stage: stream labels and SM from the start, `| json`
 * fields after the parser (renamed `<name>_extracted` when a label or SM has that name), keep/drop.
 */
import { checkSelector, matcher } from './matchers.js';
import { anchoredRegex, child, decodeString, find, kids, templateRefs, text, type LintIssue, type Node } from './tree.js';

/** What the linter knows about the streams a query reads. */
export interface LogqlContract {
  readonly streamLabels: readonly string[];
  readonly structuredMetadata: readonly string[];
  readonly jsonPaths: readonly string[];
  readonly openJsonPrefixes: readonly string[];
  /** Names that may be labels or SM depending on configuration: a parser must not extract under them. */
  readonly reservedNames: readonly string[];
  /** Closed value sets of some labels (level, event_type): a matcher that can match none of them is an error. */
  readonly labelValues: Readonly<Record<string, readonly string[]>>;
}

/** Label names available at a point of the pipeline, and the parser/error state. */
export interface Scope {
  names: Set<string>;
  prefixes: string[];
  readonly base: ReadonlySet<string>;
  parsed: boolean;
  /** A parser or unwrap ran and no `__error__` filter (or drop) has handled its errors yet. */
  errorPending: boolean;
  unwrapped: boolean;
}

const ERROR_LABELS = ['__error__', '__error_details__'];
const TEMPLATE_BUILTINS = ['__line__', '__timestamp__'];

/** Walks a LogExpr or LogRangeExpr and returns its final scope; pushes issues. */
export function analyseLog(q: string, node: Node, c: LogqlContract, issues: LintIssue[]): Scope {
  const known = [...c.streamLabels, ...c.structuredMetadata];
  const base = new Set([...known, ...c.reservedNames]);
  const scope: Scope = { names: new Set(known), prefixes: [], base, parsed: false, errorPending: false, unwrapped: false };
  const selector = child(node, 'Selector');
  if (selector) checkSelector(q, selector, c, issues);
  for (const n of find(node, ['PipelineStage', 'UnwrapExpr'])) {
    if (n.name === 'UnwrapExpr') unwrap(q, n, scope, c, issues);
    else stage(q, n, scope, c, issues);
  }
  return scope;
}

/** Returns whether `name` may exist at this point. */
export function has(scope: Scope, name: string): boolean {
  return scope.names.has(name) || ERROR_LABELS.includes(name) || scope.prefixes.some((p) => name.startsWith(p));
}

function labelFilter(q: string, n: Node, scope: Scope, c: LogqlContract, issues: LintIssue[]): void {
  for (const f of find(n, ['Matcher', 'NumberFilter', 'DurationFilter', 'BytesFilter', 'IpLabelFilter', 'UnitFilter'])) {
    const id = find(f, ['Identifier'])[0];
    if (!id) continue;
    const name = text(q, id);
    if (f.name === 'Matcher') matcher(q, f, c, issues);
    if (ERROR_LABELS.includes(name)) {
      scope.errorPending = false;
    } else if (scope.parsed && scope.base.has(name)) {
      issues.push({ rule: 'filter-after-parser', message: `${name} is a stream label or SM: filter it before the parser (a parsed field of that name is called ${name}_extracted)` });
    } else if (!has(scope, name)) {
      issues.push({ rule: 'unknown-label', message: `label ${name} does not exist at this point of the pipeline` });
    }
  }
}

function normalisePath(path: string): string {
  return path.replace(/\[\s*"([^"]*)"\s*\]/g, '.$1').replace(/\[\d+\]/g, '').replace(/^\./, '');
}

function addParsed(scope: Scope, name: string): string {
  const final = scope.base.has(name) ? `${name}_extracted` : name;
  scope.names.add(final);
  return final;
}

function stage(q: string, st: Node, scope: Scope, c: LogqlContract, issues: LintIssue[]): void {
  const body = kids(st).find((k) => k.name !== 'Pipe');
  if (!body) return;
  switch (body.name) {
    case 'LineFilters':
      for (const f of find(body, ['LineFilter'])) {
        const isRegex = find(f, ['PipeMatch', 'Nre']).length > 0;
        for (const s of find(f, ['String'])) {
          const v = decodeString(text(q, s));
          if (v === undefined || (isRegex && !anchoredRegex(v))) issues.push({ rule: 'invalid-line-filter', message: `bad line filter ${text(q, s)}` });
        }
      }
      return;
    case 'LabelFilter':
      return labelFilter(q, body, scope, c, issues);
    case 'LabelParser':
      if (!child(body, 'Json')) {
        issues.push({ rule: 'unsupported-parser', message: `AgentTrail lines are JSON: use | json, not ${text(q, body)}` });
        scope.prefixes.push('');
      } else {
        for (const p of c.jsonPaths) addParsed(scope, p.replace(/\./g, '_'));
        scope.prefixes.push(...c.openJsonPrefixes);
      }
      scope.parsed = true;
      scope.errorPending = true;
      return;
    case 'JsonExpressionParser':
      for (const e of find(body, ['LabelExtractionExpression'])) {
        const id = child(e, 'Identifier');
        if (!id) continue;
        const name = text(q, id);
        const str = child(e, 'String');
        const path = str ? decodeString(text(q, str)) : name;
        if (path === undefined || !c.jsonPaths.includes(normalisePath(path))) {
          issues.push({ rule: 'unknown-json-path', message: `${path ?? text(q, e)} is not a field of the AgentEvent line` });
        }
        if (addParsed(scope, name) !== name) {
          issues.push({ rule: 'json-rename', message: `| json ${name} collides with the label/SM ${name} (always or by sink configuration): Loki calls it ${name}_extracted; choose another name` });
        }
      }
      scope.parsed = true;
      scope.errorPending = true;
      return;
    case 'LogfmtParser':
    case 'LogfmtExpressionParser':
      issues.push({ rule: 'unsupported-parser', message: 'AgentTrail lines are JSON: use | json, not logfmt' });
      scope.prefixes.push('');
      scope.parsed = true;
      scope.errorPending = true;
      return;
    case 'LineFormatExpr':
      return checkTemplate(q, child(body, 'String'), scope, issues);
    case 'LabelFormatExpr':
      for (const m of find(body, ['LabelFormatMatcher'])) {
        const [dst, , src] = kids(m);
        if (!dst || !src) continue;
        if (src.name === 'Identifier') {
          const from = text(q, src);
          if (!has(scope, from)) issues.push({ rule: 'unknown-label', message: `label_format source ${from} does not exist` });
          scope.names.delete(from);
        } else checkTemplate(q, src, scope, issues);
        scope.names.add(text(q, dst));
      }
      return;
    case 'KeepLabelsExpr': {
      const kept = find(body, ['KeepLabel']).map((k) => text(q, child(k, 'Identifier') ?? k));
      for (const k of kept) if (!has(scope, k)) issues.push({ rule: 'unknown-label', message: `keep ${k}: no such label` });
      scope.names = new Set(kept);
      scope.prefixes = [];
      return;
    }
    case 'DropLabelsExpr':
      for (const d of find(body, ['DropLabel'])) {
        const name = text(q, child(d, 'Identifier') ?? d);
        if (ERROR_LABELS.includes(name)) scope.errorPending = false;
        scope.names.delete(name);
      }
      return;
    default:
      return;
  }
}

function checkTemplate(q: string, str: Node | undefined, scope: Scope, issues: LintIssue[]): void {
  const tpl = str ? decodeString(text(q, str)) : undefined;
  if (tpl === undefined) return void issues.push({ rule: 'invalid-string', message: 'cannot decode template' });
  for (const ref of templateRefs(tpl)) {
    if (!TEMPLATE_BUILTINS.includes(ref) && !has(scope, ref)) {
      issues.push({ rule: 'unknown-label', message: `template references .${ref}, which does not exist at this point` });
    }
  }
}

function unwrap(q: string, n: Node, scope: Scope, c: LogqlContract, issues: LintIssue[]): void {
  for (const k of kids(n)) {
    if (k.name === 'UnwrapExpr') unwrap(q, k, scope, c, issues);
    else if (k.name === 'Identifier') {
      const name = text(q, k);
      if (!has(scope, name)) issues.push({ rule: 'unknown-label', message: `unwrap ${name}: no such label` });
      scope.unwrapped = true;
      scope.errorPending = true;
    } else if (k.name === 'LabelFilter') labelFilter(q, k, scope, c, issues);
  }
}
