/**
 * Small helpers over the @grafana/lezer-logql syntax tree: parse, find error nodes, navigate by node
 * name, and decode LogQL string literals. lezer never throws: errors are `⚠` nodes in the tree.
 */
import { parser } from '@grafana/lezer-logql';

/** A node of the lezer-logql syntax tree. */
export type Node = ReturnType<typeof parser.parse>['topNode'];

/** One problem found in a query: a stable rule id and a readable message. */
export interface LintIssue {
  readonly rule: string;
  readonly message: string;
}

/** Parses a query and returns the top node plus the offsets of syntax-error nodes. */
export function parseLogql(query: string): { top: Node; errors: number[] } {
  const tree = parser.parse(query);
  const errors: number[] = [];
  tree.iterate({ enter: (n) => { if (n.type.isError) errors.push(n.from); } });
  return { top: tree.topNode, errors };
}

/** Returns the direct children of a node. */
export function kids(node: Node): Node[] {
  const out: Node[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** Returns the first direct child named `name`. */
export function child(node: Node, name: string): Node | undefined {
  return kids(node).find((c) => c.name === name);
}

/** Returns descendants named one of `names` in document order, not descending into matches. */
export function find(node: Node, names: readonly string[]): Node[] {
  const out: Node[] = [];
  const walk = (n: Node): void => {
    for (const c of kids(n)) {
      if (names.includes(c.name)) out.push(c);
      else walk(c);
    }
  };
  walk(node);
  return out;
}

/** Returns the source text of a node. */
export function text(query: string, node: Node): string {
  return query.slice(node.from, node.to);
}

/** Decodes a LogQL string literal ("…" with Go escapes, or `raw`); undefined when it cannot be decoded. */
export function decodeString(literal: string): string | undefined {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  try {
    const v: unknown = JSON.parse(literal);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Compiles a LogQL (RE2, fully anchored) regex as a JS RegExp; undefined when it is invalid. */
export function anchoredRegex(re: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${re.replace(/\(\?P</g, '(?<')})$`, 's');
  } catch {
    return undefined;
  }
}

/** Returns the label names `{{ .name }}` references in a Go text/template (line_format, label_format). */
export function templateRefs(template: string): string[] {
  const refs = new Set<string>();
  for (const action of template.matchAll(/\{\{(.*?)\}\}/gs)) {
    for (const m of (action[1] ?? '').matchAll(/(?<![\w$\])])\.([A-Za-z_][A-Za-z0-9_]*)/g)) refs.add(m[1]!);
  }
  return [...refs];
}
