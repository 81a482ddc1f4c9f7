/**
 * Stream label strings (`{a="b", c="d"}`): parsed as Loki's syntax.ParseLabels does (Prometheus'
 * ParseMetric, then sorted, empty values dropped) and rendered as Prometheus' Labels.String().
 * Error texts are Prometheus' (`1:4: parse error: unterminated quoted string`, loki.md §10.3).
 */
import { goQuote } from './go-format.js';
import { LabelLexer, type Token } from './label-lexer.js';

/** Label pairs, sorted by name (byte order); a name may repeat, which validation reports. */
export type LabelPairs = readonly (readonly [string, string])[];

/** The result of parsing a label string. */
export type ParsedLabels = { readonly labels: LabelPairs } | { readonly error: string };

const LEGACY_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Compares two strings by their UTF-8 bytes, as Go's sort does. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Renders labels as Prometheus' Labels.String(): `{a="x", "b.c"="y"}` (names quoted only when not legacy-valid). */
export function renderLabels(labels: LabelPairs): string {
  return `{${labels.map(([name, value]) => `${LEGACY_NAME.test(name) ? name : goQuote(name)}=${goQuote(value)}`).join(', ')}}`;
}

/** Renders a JSON `stream` object as Loki's LabelSet.String() does: sorted, unquoted names, quoted values. */
export function renderLabelSet(set: ReadonlyMap<string, string>): string {
  const names = [...set.keys()].sort(compareBytes);
  return `{${names.map((name) => `${name}=${goQuote(set.get(name) ?? '')}`).join(', ')}}`;
}

class ParseError extends Error {}

/** Parses a label string as Loki's syntax.ParseLabels: sorted by name, a name with an empty value dropped. */
export function parseLabels(input: string): ParsedLabels {
  try {
    const pairs = parseMetric(input);
    pairs.sort((a, b) => compareBytes(a[0], b[0]));
    // labels.NewBuilder drops every label whose name has an empty value.
    const emptyNames = new Set(pairs.filter(([, value]) => value === '').map(([name]) => name));
    return { labels: emptyNames.size ? pairs.filter(([name]) => !emptyNames.has(name)) : pairs };
  } catch (err) {
    if (err instanceof ParseError) return { error: err.message };
    throw err;
  }
}

function parseMetric(input: string): [string, string][] {
  const lexer = new LabelLexer(input);
  const fail = (token: Token, message: string): never => {
    throw new ParseError(`${position(input, token.pos)}: parse error: ${message}`);
  };
  const unexpected = (token: Token, context: string, expected: string): never =>
    fail(token, token.kind === 'ERROR' ? token.val : `unexpected ${describe(token)}${context ? ` in ${context}` : ''}${expected ? `, expected ${expected}` : ''}`);
  const pairs: [string, string][] = [];
  let t = lexer.next();
  if (t.kind === 'IDENT' || t.kind === 'METRIC_IDENT') {
    pairs.push(['__name__', t.val]);
    t = lexer.next();
  }
  if (t.kind === 'LBRACE') {
    pairs.push(...labelSet(lexer, unexpected));
    t = lexer.next();
  }
  if (t.kind !== 'EOF') unexpected(t, '', '');
  return pairs;
}

type Unexpected = (token: Token, context: string, expected: string) => never;

function labelSet(lexer: LabelLexer, unexpected: Unexpected): [string, string][] {
  const pairs: [string, string][] = [];
  let t = lexer.next();
  if (t.kind === 'RBRACE') return pairs;
  for (;;) {
    const [pair, after] = labelItem(t, lexer, unexpected);
    pairs.push(pair);
    t = after ?? lexer.next();
    if (t.kind === 'RBRACE') return pairs;
    if (t.kind !== 'COMMA') unexpected(t, 'label set', '"," or "}"');
    t = lexer.next();
    if (t.kind === 'RBRACE') return pairs;
  }
}

/** One `name="value"` (or Prometheus 3's `"name"="value"` / bare `"metric"`); may return the token it read past. */
function labelItem(t: Token, lexer: LabelLexer, unexpected: Unexpected): [[string, string], Token | undefined] {
  if (t.kind !== 'IDENT' && t.kind !== 'STRING') unexpected(t, 'label set', 'identifier or "}"');
  const name = t.kind === 'IDENT' ? t.val : unquote(t.val);
  const eq = lexer.next();
  if (eq.kind !== 'EQL') {
    if (t.kind === 'STRING' && (eq.kind === 'COMMA' || eq.kind === 'RBRACE')) return [['__name__', name], eq];
    unexpected(eq, 'label set', '"="');
  }
  const value = lexer.next();
  if (value.kind !== 'STRING') unexpected(value, 'label set', 'string');
  return [[name, unquote(value.val)], undefined];
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'EOF': return 'end of input';
    case 'LBRACE': return '"{"';
    case 'RBRACE': return '"}"';
    case 'COMMA': return '","';
    case 'EQL': return '"="';
    case 'EQL_REGEX': return '<op:=~>';
    case 'NEQ': return '<op:!=>';
    case 'NEQ_REGEX': return '<op:!~>';
    case 'IDENT': return `identifier ${goQuote(t.val)}`;
    case 'METRIC_IDENT': return `metric identifier ${goQuote(t.val)}`;
    case 'STRING':
    case 'NUMBER': {
      const text = Buffer.byteLength(t.val) > 10 ? `${goQuote(t.val, 10)}...` : goQuote(t.val);
      return `${t.kind === 'STRING' ? 'string' : 'number'} ${text}`;
    }
    default: return t.val;
  }
}

/** Prometheus' `line:col` of a UTF-16 index: both 1-based, columns counted in bytes. */
function position(input: string, index: number): string {
  const before = Buffer.from(input.slice(0, index));
  const pos = before.length;
  const lastBreak = before.lastIndexOf(0x0a);
  const line = before.filter((b) => b === 0x0a).length + 1;
  return `${line}:${lastBreak >= 0 ? pos - lastBreak : pos + 1}`;
}

const SIMPLE: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 0x5c, '"': 0x22, "'": 0x27 };

/** Decodes a quoted token the lexer accepted; `\x` and octal escapes are bytes, so the result is UTF-8-decoded. */
function unquote(quoted: string): string {
  const body = quoted.slice(1, -1);
  if (quoted.startsWith('`') || !body.includes('\\')) return body;
  const chunks: Buffer[] = [];
  let plainFrom = 0;
  const bytes = (...values: number[]): void => void chunks.push(Buffer.from(values));
  for (let i = body.indexOf('\\'); i >= 0; i = body.indexOf('\\', plainFrom)) {
    chunks.push(Buffer.from(body.slice(plainFrom, i)));
    const e = body[i + 1]!;
    let end = i + 2;
    if (Object.hasOwn(SIMPLE, e)) bytes(SIMPLE[e]!);
    else if (e >= '0' && e <= '7') bytes(parseInt(body.slice(i + 1, (end = i + 4)), 8));
    else if (e === 'x') bytes(parseInt(body.slice(i + 2, (end = i + 4)), 16));
    else {
      end = i + 2 + (e === 'u' ? 4 : 8);
      chunks.push(Buffer.from(String.fromCodePoint(parseInt(body.slice(i + 2, end), 16))));
    }
    plainFrom = end;
  }
  chunks.push(Buffer.from(body.slice(plainFrom)));
  return Buffer.concat(chunks).toString('utf8');
}
