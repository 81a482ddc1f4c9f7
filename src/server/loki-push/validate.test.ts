import { describe, expect, it } from 'vitest';
import type { RawEntry, RawPush } from './raw-push.js';
import { DEFAULT_LOKI_LIMITS, groupErrors, validatePush } from './validate.js';

const NOW_MS = Date.UTC(2026, 10, 24, 12, 0, 0);
const NOW_NS = BigInt(NOW_MS) * 1_000_000n;
const entry = (line: string, tsNs = NOW_NS, metadata: [string, string][] = []): RawEntry => ({ tsNs, line, lineBytes: Buffer.byteLength(line), metadata });
const push = (...streams: [string, RawEntry[]][]): RawPush => ({ streams: streams.map(([labels, entries]) => ({ labels, entries })) });
const limits = (overrides: Partial<typeof DEFAULT_LOKI_LIMITS>) => ({ ...DEFAULT_LOKI_LIMITS, ...overrides });

describe('validatePush against loki.md §10.3', () => {
  it('reports 100 over-long lines as one grouped message (TestDistributor, max_line_size=1)', () => {
    const lines = Array.from({ length: 100 }, () => entry('0123456789'));
    const result = validatePush(push(['{foo="bar"}', lines]), NOW_MS, limits({ maxLineBytes: 1 }));
    expect(result.streams).toEqual([]);
    expect(groupErrors(result.errors)).toBe(
      "100 errors like: max entry size '1' bytes exceeded for stream '{foo=\"bar\"}' while adding an entry with length '10' bytes",
    );
  });

  it('reports mangled labels with the parser error (TestDistributor)', () => {
    const result = validatePush(push(['{ab"', [entry('x')]]), NOW_MS);
    expect(result.errors).toEqual(['error parsing labels \'{ab"\' with error: 1:4: parse error: unterminated quoted string']);
  });

  it('does not count service_name against max_label_names_per_series (TestParseStreamLabels)', () => {
    const result = validatePush(push(['{foo="bar", service_name="unknown_service"}', [entry('x')]]), NOW_MS, limits({ maxLabelNames: 1 }));
    expect(result).toEqual({ streams: [{ labels: [['foo', 'bar'], ['service_name', 'unknown_service']], entries: [entry('x')] }], errors: [] });
  });
});

describe('validatePush', () => {
  it('keeps the valid entries of a request and reports the invalid ones (Loki writes partially, then answers 400)', () => {
    const old = NOW_NS - 8n * 24n * 3600n * 1_000_000_000n;
    const result = validatePush(push(['{a="1"}', [entry('ok'), entry('old', old)]], ['{b="2"}', [entry('ok too')]]), NOW_MS);
    expect(result.streams.map((s) => [s.labels, s.entries.map((e) => e.line)])).toEqual([
      [[['a', '1']], ['ok']],
      [[['b', '2']], ['ok too']],
    ]);
    expect(result.errors).toEqual([
      "entry for stream '{a=\"1\"}' has timestamp too old: 2026-11-16T12:00:00Z, oldest acceptable timestamp is: 2026-11-17T12:00:00Z",
    ]);
  });

  it('refuses entries more than creation_grace_period in the future', () => {
    const result = validatePush(push(['{a="1"}', [entry('x', NOW_NS + 11n * 60n * 1_000_000_000n)]]), NOW_MS);
    expect(result.errors).toEqual(["entry for stream '{a=\"1\"}' has timestamp too new: 2026-11-24T12:11:00Z"]);
  });

  it('accepts old entries when reject_old_samples is off', () => {
    expect(validatePush(push(['{a="1"}', [entry('x', 0n)]]), NOW_MS, limits({ maxAgeMs: 0 })).errors).toEqual([]);
  });

  it('skips a stream without entries without validating its labels', () => {
    expect(validatePush(push(['{}', []]), NOW_MS)).toEqual({ streams: [], errors: [] });
  });

  it.each([
    ['{}', 'error at least one label pair is required per stream'],
    ['{a="1", b="2", c="3"}', "entry for stream '{a=\"1\", b=\"2\", c=\"3\"}' has 3 label names; limit 2"],
    [`{${'n'.repeat(1025)}="v"}`, `stream '{${'n'.repeat(1025)}="v"}' has label name too long: '${'n'.repeat(1025)}'`],
    [`{a="${'v'.repeat(2049)}"}`, `stream '{a="${'v'.repeat(2049)}"}' has label value too long: '${'v'.repeat(2049)}'`],
    ['{a="1", a="2"}', "stream '{a=\"1\", a=\"2\"}' has duplicate label name: 'a'"],
  ])('refuses the stream %s', (labels, message) => {
    expect(validatePush(push([labels, [entry('x')]]), NOW_MS, limits({ maxLabelNames: 2 })).errors).toEqual([message]);
  });

  it('exempts internal streams from label checks', () => {
    const labels = '{__aggregated_metric__="x", a="1", b="2", c="3"}';
    expect(validatePush(push([labels, [entry('x')]]), NOW_MS, limits({ maxLabelNames: 2 })).errors).toEqual([]);
  });

  it('limits structured metadata size (detected_level not counted) and count', () => {
    const big: [string, string][] = [['k', 'v'.repeat(9)], ['detected_level', 'x'.repeat(100)]];
    const tooBig = validatePush(push(['{a="1"}', [entry('x', NOW_NS, big)]]), NOW_MS, limits({ maxStructuredMetadataBytes: 9 }));
    expect(tooBig.errors).toEqual([
      "stream '{a=\"1\"}' has structured metadata too large: '10' bytes, limit: '9' bytes. Please see `limits_config.max_structured_metadata_size` or contact your Loki administrator to increase it.",
    ]);
    const many: [string, string][] = [['a', '1'], ['b', '2'], ['c', '3']];
    const tooMany = validatePush(push(['{a="1"}', [entry('x', NOW_NS, many)]]), NOW_MS, limits({ maxStructuredMetadataEntries: 2 }));
    expect(tooMany.errors).toEqual([
      "stream '{a=\"1\"}' has too many structured metadata labels: '3', limit: '2'. Please see `limits_config.max_structured_metadata_entries_count` or contact your Loki administrator to increase it.",
    ]);
  });

  it('fails the whole request with 500 for an empty structured metadata name, as Loki does', () => {
    const result = validatePush(push(['{a="1"}', [entry('ok')]], ['{b="2"}', [entry('x', NOW_NS, [['', 'v']])]]), NOW_MS);
    expect(result).toEqual({ streams: [], errors: [], fatal: { status: 500, message: 'normalization for label name "" resulted in empty name' } });
  });
});

describe('groupErrors', () => {
  it('returns a single message as it is and counts otherwise, in first-seen order', () => {
    expect(groupErrors(['a'])).toBe('a');
    expect(groupErrors(['a', 'b', 'a'])).toBe('2 errors like: a; 1 errors like: b');
  });
});
