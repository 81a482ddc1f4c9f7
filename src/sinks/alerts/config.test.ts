import { describe, expect, it } from 'vitest';
import { alertsConfigSchema, defaultAlertsConfig } from './config.js';

describe('alertsConfigSchema', () => {
  it('has defaults: desktop on at high, no webhooks, 10 min / 5 / 30 throttling', () => {
    expect(defaultAlertsConfig()).toEqual({
      webhooks: [],
      desktop: { enabled: true, minSeverity: 'high' },
      dedupeWindowMs: 600_000,
      perRuleSessionLimit: 5,
      globalPerMinute: 30,
    });
  });

  it('fills webhook defaults', () => {
    const config = alertsConfigSchema.parse({ webhooks: [{ url: 'https://hooks.slack.com/services/T/B/x', format: 'slack' }] });
    expect(config.webhooks[0]).toEqual({ url: 'https://hooks.slack.com/services/T/B/x', format: 'slack', minSeverity: 'medium', timeoutMs: 10_000 });
  });

  it.each([
    [{ webhooks: [{ url: 'file:///etc/passwd' }] }, 'webhooks.0.url'],
    [{ webhooks: [{ url: 'https://x', headers: { 'Bad Name': 'v' } }] }, 'webhooks.0.headers.Bad Name'],
    [{ webhooks: [{ url: 'https://x', headers: { Authorization: 'a\r\nX-Injected: 1' } }] }, 'webhooks.0.headers.Authorization'],
    [{ webhooks: [{ url: 'https://x', format: 'teams' }] }, 'webhooks.0.format'],
    [{ desktop: { minSeverity: 'urgent' } }, 'desktop.minSeverity'],
    [{ globalPerMinute: 0 }, 'globalPerMinute'],
    [{ unknown: true }, ''],
  ])('rejects %j at %s', (input, path) => {
    const result = alertsConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
