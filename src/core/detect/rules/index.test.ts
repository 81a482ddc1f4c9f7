import { describe, expect, it } from 'vitest';
import { ANOMALY_RULES, CORRELATION_RULES } from './meta.js';
import { BUILTIN_RULES } from './index.js';

const CATALOGUE: Record<string, number> = { CRED: 8, SECRET: 4, EXFIL: 9, EXEC: 5, PERSIST: 9, DESTR: 6, PRIV: 4, SUPPLY: 3, TAMPER: 7, SCOPE: 4, INJ: 2, MCP: 1, RECON: 1 };

describe('the built-in rule pack', () => {
  it('covers every rule of the catalogue exactly once', () => {
    const ids = BUILTIN_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [category, count] of Object.entries(CATALOGUE)) {
      const want = Array.from({ length: count }, (_, i) => `AGT-${category}-${String(i + 1).padStart(3, '0')}`);
      expect(ids.filter((id) => id.startsWith(`AGT-${category}-`)).sort()).toEqual(want);
    }
  });

  it.each([...BUILTIN_RULES, ...CORRELATION_RULES, ...ANOMALY_RULES].map((r) => [r.id, r] as const))('%s has complete metadata', (_id, r) => {
    expect(r.title.length).toBeGreaterThan(5);
    expect(r.description.length).toBeGreaterThan(10);
    expect(['info', 'low', 'medium', 'high', 'critical']).toContain(r.severity);
    expect(r.attackVersion).toMatch(/^v\d+$/);
    expect(r.events.length).toBeGreaterThan(0);
    for (const t of r.attack) expect(t).toMatch(/^T\d{4}(\.\d{3})?$/);
    expect(r.category).toBe(r.id.split('-')[1]);
  });
});
