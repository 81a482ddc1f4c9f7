import { describe, expect, it } from 'vitest';
import { isDuration } from './metric.js';
import { lintLogql, templateLabelRefs } from './lint.js';

const rules = (q: string, opts = {}) => lintLogql(q, opts).issues.map((i) => i.rule);
const S = '{service_name="agenttrail"}';

describe('lintLogql: syntax (lezer error nodes)', () => {
  it('accepts the digest examples that parse cleanly', () => {
    expect(rules(`${S} | session_id="abc"`)).toEqual([]);
    expect(rules(`count(sum by (session_id) (count_over_time(${S}[1h])))`)).toEqual([]);
  });

  it('reports an unclosed call and an empty selector as syntax errors', () => {
    expect(rules('rate({service_name="agenttrail"}[5m]')).toContain('syntax');
    expect(rules('{}')).toContain('syntax');
  });

  it('substitutes $__auto and $__range so Grafana range macros parse', () => {
    const r = lintLogql(`sum(count_over_time(${S}[$__auto])) + sum(count_over_time(${S}[$__range]))`);
    expect(r.issues).toEqual([]);
    expect(r.query).toContain('[5m]');
  });

  it('substitutes dashboard variables and reports unknown ones', () => {
    expect(rules('{service_name="$service", host=~"${host:regex}"}', { variables: { service: 'agenttrail', host: '.+' } })).toEqual([]);
    expect(rules('{service_name="$nope"}')).toContain('unknown-variable');
  });
});

describe('lintLogql: Loki semantic rules (pkg/logql/syntax parser_test.go)', () => {
  it('rejects grouping on count_over_time: "grouping not allowed for count_over_time aggregation"', () => {
    const r = lintLogql(`sum(count_over_time(${S}[5m]) by (host))`);
    expect(r.issues.map((i) => i.message)).toContain('grouping not allowed for count_over_time aggregation');
  });

  it('rejects absent_over_time by (foo) like parser_test.go does', () => {
    expect(lintLogql(`absent_over_time(${S}[5h]) by (host)`).issues.map((i) => i.message))
      .toContain('grouping not allowed for absent_over_time aggregation');
  });

  it('rejects sum_over_time without unwrap and count_over_time with unwrap', () => {
    expect(lintLogql(`sum(sum_over_time(${S}[5m]))`).issues.map((i) => i.message)).toContain('invalid aggregation sum_over_time without unwrap');
    const q = `sum(count_over_time(${S} | json d="action_details.duration_ms" | unwrap d | __error__="" [5m]))`;
    expect(lintLogql(q).issues.map((i) => i.message)).toContain('invalid aggregation count_over_time with unwrap');
  });

  it('rejects a selector whose matchers all accept the empty value', () => {
    expect(rules('{service_name=~".*"}')).toContain('empty-compatible-selector');
    expect(rules('{service_name!="x", host=~".*"}')).toContain('empty-compatible-selector');
    expect(rules('{service_name!="x", host=~".+"}')).not.toContain('empty-compatible-selector');
  });

  it('rejects durations that are not Prometheus durations', () => {
    expect(isDuration('5minutes')).toBe(false);
    expect(isDuration('0s')).toBe(false);
    expect(isDuration('1d')).toBe(true);
    expect(isDuration('1h30m')).toBe(true);
    expect(rules(`sum(count_over_time(${S}[5minutes]))`).some((r) => r === 'invalid-range' || r === 'syntax')).toBe(true);
  });

  it('requires an integer k > 0 for topk', () => {
    expect(rules(`topk(0, sum by (host) (count_over_time(${S}[5m])))`)).toContain('topk-param');
    expect(rules(`topk(1.5, sum by (host) (count_over_time(${S}[5m])))`)).toContain('topk-param');
  });

  it('requires __error__ handling after unwrap and after a parser in metric queries', () => {
    const bad = `sum by (tool) (avg_over_time(${S} | json tool="tool_name", d="action_details.duration_ms" | unwrap d [5m]))`;
    expect(rules(bad)).toContain('error-handling');
    expect(rules(bad.replace('unwrap d ', 'unwrap d | __error__="" '))).toEqual([]);
  });
});

describe('lintLogql: AgentTrail contract rules', () => {
  it('flags | json fields that collide with a label or SM (Loki renames them *_extracted)', () => {
    expect(rules(`${S} | json session_id`)).toContain('json-rename');
    expect(rules(`${S} | json level="level"`)).toContain('json-rename');
    expect(rules(`${S} | json host="metadata.host"`)).toContain('json-rename');
    expect(rules(`${S} | json line_level="level"`)).toEqual([]);
  });

  it('flags | json names the sink can be configured to send as labels (tool_name, severity)', () => {
    expect(rules(`${S} | json tool_name`)).toContain('json-rename');
    expect(rules(`${S} | json severity="action_details.severity"`)).toContain('json-rename');
    expect(rules(`${S} | json tool="tool_name", finding_severity="action_details.severity" | finding_severity="high"`)).toEqual([]);
    expect(rules(`${S} | json finding_severity="action_details.severity" | finding_severity="severe"`)).toContain('unknown-value');
  });

  it('knows that a plain | json exposes level as level_extracted', () => {
    expect(rules(`${S} | json | level_extracted="ERROR"`)).toEqual([]);
    expect(rules(`${S} | json | level="error"`)).toContain('filter-after-parser');
  });

  it('rejects JSON paths that are not fields of the AgentEvent line', () => {
    expect(rules(`${S} | json f="action_details.file_path"`)).toEqual([]);
    expect(rules(`${S} | json f="tool_input.command"`)).toContain('unknown-json-path');
  });

  it('rejects SM in the stream selector and unknown stream labels', () => {
    expect(rules('{service_name="agenttrail", session_id="a"}')).toContain('sm-in-selector');
    expect(rules('{service_name="agenttrail", hook_event="PreToolUse"}')).toContain('unknown-stream-label');
  });

  it('rejects label values outside the contract (level is lower-case)', () => {
    expect(rules('{service_name="agenttrail", level="ERROR"}')).toContain('unknown-value');
    expect(rules('{service_name="agenttrail", event_type=~"file_.*|nope"}')).toEqual([]);
    expect(rules('{service_name="agenttrail", event_type="finding"}')).toContain('unknown-value');
  });

  it('requires metric queries to aggregate, since SM is part of every series label set', () => {
    expect(rules(`count_over_time(${S}[5m])`)).toContain('unaggregated');
    expect(rules(`topk(5, count_over_time(${S}[5m]))`)).toContain('unaggregated');
    expect(rules(`sum without (seq) (count_over_time(${S}[5m]))`)).toContain('unaggregated');
    expect(rules(`sum by (host) (count_over_time(${S}[5m]))`)).toEqual([]);
  });

  it('checks grouping and legend labels against the series labels', () => {
    expect(rules(`sum by (tool_name) (count_over_time(${S}[5m]))`)).toContain('unknown-grouping-label');
    expect(rules(`sum by (rule_id) (count_over_time(${S}[5m]))`)).toEqual([]);
    expect(rules(`sum by (host) (count_over_time(${S}[5m]))`, { labelRefs: ['project'] })).toContain('unknown-legend-label');
  });

  it('checks line_format references', () => {
    expect(rules(`${S} | json cmd="action_details.command" | line_format "{{.cmd}} {{.host}}"`)).toEqual([]);
    expect(rules(`${S} | line_format "{{.cmd}}"`)).toContain('unknown-label');
  });

  it('rejects `or vector(0)` beside labelled series and unless between different label sets', () => {
    expect(rules(`sum(count_over_time(${S}[5m])) or vector(0)`)).toEqual([]);
    expect(rules(`sum by (host) (count_over_time(${S}[5m])) or vector(0)`)).toContain('or-vector');
    expect(rules(`sum by (host) (count_over_time(${S}[1h])) unless sum by (user) (count_over_time(${S}[5m]))`)).toContain('binop-labels');
  });

  it('requires __error__ handling after | json in metric queries (Loki fails the query on a pipeline error)', () => {
    expect(rules(`sum by (tool) (count_over_time(${S} | json tool="tool_name" [5m]))`)).toContain('error-handling');
    expect(rules(`sum by (tool) (count_over_time(${S} | json tool="tool_name" | drop __error__, __error_details__ [5m]))`)).toEqual([]);
  });

  it('rejects invalid regexes in matchers and line filters, and non-JSON parsers', () => {
    expect(rules(`${S} |~ "x("`)).toContain('invalid-line-filter');
    expect(rules('{service_name=~"agent("}')).toContain('invalid-regex');
    expect(rules(`${S} | logfmt`)).toContain('unsupported-parser');
  });

  it('follows keep and label_format through the pipeline', () => {
    expect(rules(`${S} | json t="tool_name" | keep t | line_format "{{.t}}"`)).toEqual([]);
    expect(rules(`${S} | json t="tool_name" | keep t | line_format "{{.host}}"`)).toContain('unknown-label');
    expect(rules(`${S} | json t="tool_name" | label_format tool=t | line_format "{{.tool}}"`)).toEqual([]);
  });

  it('enforces the expected query kind', () => {
    expect(rules(S, { expect: 'metric' })).toContain('query-kind');
  });
});

describe('templateLabelRefs', () => {
  it('reads legendFormat and alert template references', () => {
    expect(templateLabelRefs('{{host}} / {{ $labels.rule_id }} {{ $value }}')).toEqual(['host', 'rule_id']);
  });
});
