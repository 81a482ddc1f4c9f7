import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isDuration } from './logql/metric.js';
import { lintLogql } from './logql/lint.js';
import { alertRuleGroups, renderRulesYaml, RULES_NAMESPACE, RULES_TENANT } from './rules.js';

const root = new URL('../../', import.meta.url);
const committed = readFileSync(new URL(`deploy/loki/rules/${RULES_TENANT}/${RULES_NAMESPACE}.yaml`, root), 'utf8');
interface RuleYaml { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
const file = parse(committed) as { groups: { name: string; interval?: string; rules: RuleYaml[] }[] };
const LEGACY_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

describe('Loki ruler rules (deploy/loki/rules/fake/agenttrail.yaml)', () => {
  it('is the generated file, under the single-tenant tenant directory "fake"', () => {
    expect(RULES_TENANT).toBe('fake');
    expect(committed).toBe(renderRulesYaml(alertRuleGroups()));
  });

  it('passes the ruler validation of pkg/ruler (ValidateGroups / validateRule)', () => {
    const names = file.groups.map((g) => g.name);
    expect(names.every((n) => n.length > 0)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    for (const g of file.groups) {
      if (g.interval) expect(isDuration(g.interval)).toBe(true);
      for (const r of g.rules) {
        expect(Boolean(r.alert) !== Boolean(r.record), 'exactly one of alert/record').toBe(true);
        if (r.for) expect(isDuration(r.for)).toBe(true);
        for (const k of [...Object.keys(r.labels ?? {}), ...Object.keys(r.annotations ?? {})]) {
          expect(k).toMatch(LEGACY_NAME);
          expect(k).not.toBe('__name__');
        }
        for (const v of [...Object.values(r.labels ?? {}), ...Object.values(r.annotations ?? {})]) {
          expect(v.split('{{').length, `unbalanced template: ${v}`).toBe(v.split('}}').length);
        }
        expect(lintLogql(r.expr, { expect: 'metric' }).issues).toEqual([]);
      }
    }
  });

  it('alerts on high/critical findings per host and rule, grouping by SM rule_id (a series label, never a selector matcher)', () => {
    const r = file.groups[0]!.rules.find((x) => x.alert === 'AgentTrailHighSeverityFinding')!;
    expect(r.expr).toMatch(/^sum by \([^)]*\bhost\b[^)]*\brule_id\b[^)]*\) \(count_over_time\(\{service_name="agenttrail", event_type="security_alert", level="error"\}\[5m\]\)\) > 0$/);
    expect(r.expr).not.toMatch(/\{[^}]*rule_id/);
    expect(lintLogql(r.expr).labels).toEqual(expect.arrayContaining(['host', 'rule_id', 'session_id']));
    expect(r.labels?.severity).toBe('critical');
  });

  it('detects a silent host as "heartbeats in 24h unless anything in the last 10m", both sides grouped by host only', () => {
    const r = file.groups[0]!.rules.find((x) => x.alert === 'AgentTrailHostSilent')!;
    const [active, silentSince] = r.expr.split('\nunless\n');
    expect(active).toBe('sum by (host) (count_over_time({service_name="agenttrail", event_type="heartbeat"}[24h]))');
    expect(silentSince).toBe('sum by (host) (count_over_time({service_name="agenttrail"}[10m]))');
    expect(lintLogql(r.expr).labels).toEqual(['host']);
    expect(r.for).toBe('5m');
    expect(committed).toContain('# A host that was active is silent.');
  });

  it('uses the configured service_name in every selector', () => {
    for (const r of alertRuleGroups('claude-audit')[0]!.rules) {
      expect(r.expr).toContain('service_name="claude-audit"');
      expect(r.expr).not.toContain('"agenttrail"');
    }
  });
});
