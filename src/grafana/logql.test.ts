import { describe, expect, it } from 'vitest';
import { ALL_LOGQL } from './index.js';
import { lintLogql, templateLabelRefs } from './logql/lint.js';

describe('every LogQL expression the dashboards and rules use', () => {
  it('is collected from panels, variables and rules', () => {
    expect(ALL_LOGQL.length).toBeGreaterThan(60);
    expect(ALL_LOGQL.some((u) => u.where.includes('variable host'))).toBe(true);
    expect(ALL_LOGQL.some((u) => u.where.startsWith('rules '))).toBe(true);
  });

  it.each(ALL_LOGQL.map((u) => [u.where, u] as const))('%s parses and passes the semantic rules', (_where, u) => {
    const r = lintLogql(u.expr, { variables: u.variables, expect: u.expect, labelRefs: u.templates.flatMap(templateLabelRefs) });
    expect(r.issues, r.query).toEqual([]);
  });

  it('never selects on structured metadata and never uses a parsed name Loki would rename', () => {
    for (const u of ALL_LOGQL) {
      expect(u.expr).not.toMatch(/\{[^}]*\b(session_id|rule_id|tool_use_id)\s*=/);
      expect(u.expr).not.toMatch(/_extracted/);
    }
  });
});
