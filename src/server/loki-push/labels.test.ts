import { describe, expect, it } from 'vitest';
import { goQuote, goQuoteRune, humanizeBytes, rfc3339 } from './go-format.js';
import { parseLabels, renderLabels, renderLabelSet } from './labels.js';

const labelsOf = (input: string) => {
  const parsed = parseLabels(input);
  return 'labels' in parsed ? parsed.labels : parsed;
};

describe('parseLabels', () => {
  it.each([
    ['{foo="bar2"}', [['foo', 'bar2']]],
    // loki.md §10.1: Prometheus-3 quoted names and free whitespace, sorted on the way out.
    ['{ "foo"="bar2",      "environment"="prod"   }', [['environment', 'prod'], ['foo', 'bar2']]],
    ['{a="b",}', [['a', 'b']]],
    ['{}', []],
    ['', []],
    ['up{job="x"}', [['__name__', 'up'], ['job', 'x']]],
    ['{"up", job="x"}', [['__name__', 'up'], ['job', 'x']]],
    ["{a='single', b=`raw\\n`}", [['a', 'single'], ['b', 'raw\\n']]],
    ['{a="x\\ny\\u00e9\\x41\\101\\U0001F600\\"q\\\\"}', [['a', 'x\nyéAA😀"q\\']]],
    ['{a="\\xc3\\xa9"}', [['a', 'é']]],
    ['{a="", b="c"}', [['b', 'c']]],
    ['{b="2", a="1", b="3"}', [['a', '1'], ['b', '2'], ['b', '3']]],
    ['{ # a comment\n a="1"}', [['a', '1']]],
  ])('parses %s', (input, expected) => {
    expect(labelsOf(input)).toEqual(expected);
  });

  it.each([
    // loki.md §10.3 (pkg/distributor/distributor_test.go).
    ['{ab"', '1:4: parse error: unterminated quoted string'],
    ['{tool.name="x"}', "1:6: parse error: unexpected character inside braces: '.'"],
    ['{a=~"b"}', '1:3: parse error: unexpected <op:=~> in label set, expected "="'],
    ['{a!="b"}', '1:3: parse error: unexpected <op:!=> in label set, expected "="'],
    ['{a=b}', '1:4: parse error: unexpected identifier "b" in label set, expected string'],
    ['{a="b" c="d"}', '1:8: parse error: unexpected identifier "c" in label set, expected "," or "}"'],
    ['{a="b"', '1:7: parse error: unexpected end of input inside braces'],
    ['{="b"}', '1:2: parse error: unexpected "=" in label set, expected identifier or "}"'],
    ['{,}', '1:2: parse error: unexpected "," in label set, expected identifier or "}"'],
    ['{a}', '1:3: parse error: unexpected "}" in label set, expected "="'],
    ['{a="\\q"}', "1:4: parse error: unknown escape sequence U+0071 'q'"],
    ['{a="\\xZZ"}', "1:4: parse error: illegal character U+005A 'Z' in escape sequence"],
    ['{a="\\ud800"}', '1:4: parse error: escape sequence is an invalid Unicode code point'],
    ['{a="x\ny"}', '1:4: parse error: unterminated quoted string'],
    ['{a="b"} x', '1:9: parse error: unexpected identifier "x"'],
    ['{a="b"}{', "1:8: parse error: unexpected \"{\""],
    ['{{', "1:2: parse error: unexpected left brace '{'"],
    ['{a="b",\n c}', '2:3: parse error: unexpected "}" in label set, expected "="'],
    ['{é="x"}', "1:2: parse error: unexpected character inside braces: 'é'"],
  ])('reports %s as Prometheus does', (input, error) => {
    expect(parseLabels(input)).toEqual({ error });
  });
});

describe('renderLabels', () => {
  it('renders sorted pairs as Prometheus Labels.String(), quoting names only when they are not legacy names', () => {
    expect(renderLabels([['a', 'x"y\n'], ['b.c', 'é\u00a0\x1b😀']])).toBe('{a="x\\"y\\n", "b.c"="é\\u00a0\\x1b😀"}');
  });

  it('renders a JSON stream object as LabelSet.String(): sorted, names never quoted', () => {
    expect(renderLabelSet(new Map([['job', 'x'], ['tool.name', 'y'], ['A', '1']]))).toBe('{A="1", job="x", tool.name="y"}');
  });
});

describe('Go formatting', () => {
  it.each([
    ['plain', '"plain"'],
    ['tab\tbell\u0007del\u007f', '"tab\\tbell\\adel\\x7f"'],
    ['\u200b\u2028\ufeff', '"\\u200b\\u2028\\ufeff"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ['\ud800', '"�"'],
  ])('quotes %j like strconv.Quote', (input, quoted) => {
    expect(goQuote(input)).toBe(quoted);
  });

  it('quotes runes and truncates like %q and %.10q', () => {
    expect(goQuoteRune(0x27)).toBe("'\\''");
    expect(goQuoteRune(0x22)).toBe(`'"'`);
    expect(goQuote('"abcdefghijkl"', 10)).toBe('"\\"abcdefghi"');
  });

  it('formats nanoseconds as RFC 3339 seconds in UTC, Go zero time included', () => {
    expect(rfc3339(1570818238000000000n)).toBe('2019-10-11T18:23:58Z');
    expect(rfc3339(-62_135_596_800_000_000_000n)).toBe('0001-01-01T00:00:00Z');
    expect(rfc3339(-1n)).toBe('1969-12-31T23:59:59Z');
  });

  it('humanizes byte counts as go-humanize does', () => {
    expect(humanizeBytes(16_777_216)).toBe('17 MB');
    expect(humanizeBytes(9)).toBe('9 B');
    expect(humanizeBytes(1500)).toBe('1.5 kB');
  });
});
