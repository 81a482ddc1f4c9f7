import { z } from 'zod';
import { LABEL_FIELDS, METADATA_FIELDS } from './fields.js';

// Loki's limits (loki.md §2): label names are Prometheus legacy names; `__` names are reserved.
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const labelValue = z.string().min(1).refine((v) => Buffer.byteLength(v) <= 2048, 'must be at most 2048 bytes (max_label_value_length)');
// dskit tenant rules (loki.md §1.1): letters, digits and ! - _ . * ' ( ), at most 150 bytes, not . or ..
const tenantId = z
  .string()
  .regex(/^[A-Za-z0-9!\-_.*'()]{1,150}$/, "must be 1-150 letters, digits or ! - _ . * ' ( )")
  .refine((t) => t !== '.' && t !== '..', 'must not be . or ..');
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name');
const headerValue = z.string().regex(/^[^\r\n\0]*$/, 'must not contain line breaks');

const DAY_MS = 86_400_000;

/** The Loki sink configuration (the `loki` key of config.json); each URL is its own delivery runner with its own cursor. */
export const lokiConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Push endpoints, e.g. `http://localhost:3100/loki/api/v1/push`; every URL receives every entry. */
    urls: z.array(z.url({ protocol: /^https?$/, error: 'must be an http or https URL' })).default([]),
    /** Sent as X-Scope-OrgID (needed when Loki runs with auth_enabled: true). */
    tenant: tenantId.optional(),
    /** Grafana Cloud: username = numeric user id, password = access policy token with logs:write. */
    basicAuth: z.object({ username: z.string().min(1), password: z.string().min(1) }).strict().optional(),
    bearerToken: z.string().min(1).regex(/^[^\r\n\0]*$/, 'must not contain line breaks').optional(),
    /** Extra request headers (a gateway's API key, …). */
    headers: z.record(headerName, headerValue).optional(),
    /** PEM file with the CA certificate(s) that sign the server's certificate (https URLs). */
    caFile: z.string().min(1).optional(),
    /** protobuf = snappy-compressed protobuf (what Promtail and Alloy send); json = the JSON push body. */
    encoding: z.enum(['protobuf', 'json']).default('protobuf'),
    /** Gzip the body (Content-Encoding: gzip); for protobuf it is applied on top of snappy. */
    gzip: z.boolean().default(false),
    /** The service_name label. */
    serviceName: labelValue.default('agenttrail'),
    /** Low-cardinality stream labels, besides service_name. */
    labels: z.array(z.enum(LABEL_FIELDS)).default(['host', 'user', 'project', 'event_type', 'level']),
    /** Fixed labels added to every stream, e.g. `{ "env": "prod" }`. */
    staticLabels: z.record(z.string(), labelValue).default({}),
    /** Per-entry structured metadata (not indexed: the place for ids). */
    structuredMetadata: z.array(z.enum(METADATA_FIELDS)).default(['session_id', 'prompt_id', 'tool_use_id', 'agent_id', 'seq', 'hash', 'rule_id']),
    batch: z
      .object({
        maxBytes: z.number().int().min(1024).max(4 * 1024 * 1024).default(1_048_576),
        maxWaitMs: z.number().int().min(0).max(60_000).default(1000),
        maxEntries: z.number().int().min(1).max(100_000).default(10_000),
      })
      .strict()
      .prefault({}),
    /** Backoff for 429/5xx/connection errors; without maxAttempts a batch is retried until Loki takes it (the journal is the buffer). */
    retry: z
      .object({
        baseMs: z.number().int().min(1).default(500),
        capMs: z.number().int().min(1).default(300_000),
        maxAttempts: z.number().int().min(1).optional(),
      })
      .strict()
      .prefault({}),
    timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
    /** Loki's max_line_size; longer lines are shortened (raw dropped, long strings clipped), never rejected. 0 = no limit. */
    maxLineBytes: z.number().int().refine((n) => n === 0 || n >= 1024, 'must be 0 (no limit) or at least 1024').default(262_144),
    /** Loki's reject_old_samples_max_age; older entries are dropped locally and counted. 0 = no limit. */
    maxAgeMs: z.number().int().min(0).default(7 * DAY_MS),
    /** Loki's creation_grace_period; entries further in the future are dropped locally and counted. */
    maxFutureMs: z.number().int().min(0).default(10 * 60_000),
    /** Where a URL without a cursor starts: the journal's first entry or its head. */
    startAt: z.enum(['start', 'head']).default('start'),
    /** A heartbeat line per host this often (the ruler's silence alert needs it); 0 = none. */
    heartbeatMs: z.number().int().min(0).default(60_000),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.enabled && c.urls.length === 0) ctx.addIssue({ code: 'custom', path: ['urls'], message: 'must name at least one push URL when Loki is enabled' });
    if (c.basicAuth && c.bearerToken) ctx.addIssue({ code: 'custom', path: ['bearerToken'], message: 'cannot be combined with basicAuth' });
    const names = [...c.labels, ...Object.keys(c.staticLabels)];
    // service_name does not count against max_label_names_per_series (loki.md §2).
    if (names.length > 15) ctx.addIssue({ code: 'custom', path: ['labels'], message: `${names.length} labels exceed Loki's limit of 15 per stream` });
    for (const name of Object.keys(c.staticLabels)) {
      // Checked here rather than as a record key schema, whose error only says "Invalid key in record".
      if (!LABEL_NAME.test(name)) ctx.addIssue({ code: 'custom', path: ['staticLabels', name], message: 'must match [a-zA-Z_][a-zA-Z0-9_]*' });
      else if (name.startsWith('__')) ctx.addIssue({ code: 'custom', path: ['staticLabels', name], message: 'must not start with __ (reserved)' });
      else if (name === 'service_name' || (c.labels as readonly string[]).includes(name)) {
        ctx.addIssue({ code: 'custom', path: ['staticLabels', name], message: 'is already a label' });
      }
    }
    if (new Set(c.labels).size !== c.labels.length) ctx.addIssue({ code: 'custom', path: ['labels'], message: 'lists a label twice' });
    if (c.retry.capMs < c.retry.baseMs) ctx.addIssue({ code: 'custom', path: ['retry', 'capMs'], message: 'must be at least baseMs' });
  })
  .prefault({});

export type LokiConfig = z.infer<typeof lokiConfigSchema>;

/** Returns the default Loki configuration (disabled, no URLs). */
export function defaultLokiConfig(): LokiConfig {
  return lokiConfigSchema.parse(undefined);
}
