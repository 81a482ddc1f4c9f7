import { z } from 'zod';

const severitySchema = z.enum(['info', 'low', 'medium', 'high', 'critical']);

// Validated here so a bad header fails at startup, not as a retried TypeError inside fetch.
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name');
const headerValue = z.string().regex(/^[^\r\n\0]*$/, 'must not contain line breaks');

/** One webhook destination. */
export const webhookConfigSchema = z
  .object({
    /** http(s) URL the alerts are POSTed to; Slack incoming-webhook URLs work with format `slack`. */
    url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
    /** json: `{ "alerts": [...] }`; slack: `{ "text", "blocks" }`. */
    format: z.enum(['json', 'slack']).default('json'),
    /** Alerts below this severity are not sent here. */
    minSeverity: severitySchema.default('medium'),
    /** Extra headers, e.g. `{ "Authorization": "Bearer …" }`. */
    headers: z.record(headerName, headerValue).optional(),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  })
  .strict();

/** User-facing alert configuration (the `alerts` key of config.json). */
export const alertsConfigSchema = z
  .object({
    webhooks: z.array(webhookConfigSchema).default([]),
    desktop: z
      .object({
        /** Show desktop notifications where notify-send (Linux) or osascript (macOS) is available. */
        enabled: z.boolean().default(true),
        minSeverity: severitySchema.default('high'),
      })
      .strict()
      .prefault({}),
    /** The same rule, session and evidence is alerted once per window. */
    dedupeWindowMs: z.number().int().min(0).default(600_000),
    /** At most this many alerts per rule and session per dedupe window. */
    perRuleSessionLimit: z.number().int().min(1).default(5),
    /** At most this many alerts per minute per destination. */
    globalPerMinute: z.number().int().min(1).default(30),
  })
  .strict()
  .prefault({});

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** Returns the default alert configuration (desktop on, no webhooks). */
export function defaultAlertsConfig(): AlertsConfig {
  return alertsConfigSchema.parse(undefined);
}
