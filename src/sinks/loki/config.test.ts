import { describe, expect, it } from 'vitest';
import { defaultLokiConfig, lokiConfigSchema } from './config.js';

const problems = (input: unknown) => {
  const r = lokiConfigSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('lokiConfigSchema', () => {
  it('defaults to disabled protobuf pushes in 1 MiB / 1 s batches with Loki’s limits', () => {
    expect(defaultLokiConfig()).toMatchObject({
      enabled: false, urls: [], encoding: 'protobuf', gzip: false, serviceName: 'agenttrail',
      labels: ['host', 'user', 'project', 'event_type', 'level'],
      structuredMetadata: ['session_id', 'prompt_id', 'tool_use_id', 'agent_id', 'seq', 'hash', 'rule_id'],
      batch: { maxBytes: 1_048_576, maxWaitMs: 1000 }, timeoutMs: 10_000, maxLineBytes: 262_144,
      maxAgeMs: 604_800_000, maxFutureMs: 600_000, retry: { baseMs: 500, capMs: 300_000 }, startAt: 'start',
    });
  });

  it('refuses an enabled sink without URLs, two kinds of auth, and a bad tenant', () => {
    expect(problems({ enabled: true })).toEqual(['urls: must name at least one push URL when Loki is enabled']);
    expect(problems({ basicAuth: { username: 'u', password: 'p' }, bearerToken: 't' })).toEqual(['bearerToken: cannot be combined with basicAuth']);
    expect(problems({ tenant: 'a b' })[0]).toMatch(/^tenant: must be 1-150/);
    expect(problems({ tenant: '..' })).toEqual(['tenant: must not be . or ..']);
    expect(problems({ urls: ['ftp://x'] })[0]).toMatch(/^urls.0: must be an http or https URL/);
  });

  it('keeps ids out of labels and label names valid', () => {
    expect(problems({ labels: ['session_id'] })[0]).toMatch(/^labels.0:/);
    expect(problems({ staticLabels: { 'tool.name': 'x' } })[0]).toMatch(/must match/);
    expect(problems({ staticLabels: { __name__: 'x' } })[0]).toMatch(/must not start with __/);
    expect(problems({ staticLabels: { level: 'x' } })).toEqual(['staticLabels.level: is already a label']);
  });

  it('enforces Loki’s 15 labels per stream, not counting service_name', () => {
    const staticLabels = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`l${i}`, 'v']));
    expect(problems({ staticLabels })).toEqual([]);
    expect(problems({ staticLabels: { ...staticLabels, l10: 'v' } })).toEqual(["labels: 16 labels exceed Loki's limit of 15 per stream"]);
  });

  it('accepts maxLineBytes 0 (no limit) or at least 1024', () => {
    expect(problems({ maxLineBytes: 0 })).toEqual([]);
    expect(problems({ maxLineBytes: 10 })).toEqual(['maxLineBytes: must be 0 (no limit) or at least 1024']);
  });
});
