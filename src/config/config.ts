import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { Paths } from './paths.js';
import { alertsConfigSchema } from '../sinks/alerts/config.js';
import { lokiConfigSchema } from '../sinks/loki/config.js';

/** User-facing configuration ($AGENTTRAIL_HOME/config.json); every key is optional. */
export const configSchema = z
  .object({
    /** Address the daemon's HTTP API listens on. A non-loopback address requires `token`. */
    bind: z.string().default('127.0.0.1'),
    /** TCP port of the daemon's HTTP API (0 = any free port). */
    port: z.number().int().min(0).max(65535).default(4747),
    /** Bearer token required by the HTTP API when set. */
    token: z.string().min(16).optional(),
    /** Scheduling priority of the daemon (nice value): by default it yields the CPU to the agent. */
    nice: z.number().int().min(-20).max(19).default(19),
    /** Start the daemon from the SessionStart/UserPromptSubmit capture when it is not running. */
    autostart: z.boolean().default(true),
    capture: z
      .object({
        /** Strings in a payload longer than this are stored as size + sha256 + preview. */
        maxFieldBytes: z.number().int().min(256).default(16 * 1024),
        previewBytes: z.number().int().min(0).default(1024),
        /** Records larger than this are quarantined whole instead of parsed. */
        maxRecordBytes: z.number().int().min(1024).default(256 * 1024 * 1024),
      })
      .strict()
      .default({ maxFieldBytes: 16 * 1024, previewBytes: 1024, maxRecordBytes: 256 * 1024 * 1024 }),
    index: z
      .object({
        /** DuckDB memory_limit: the daemon's index stays within it (queries spill to disk). */
        memoryLimit: z.string().regex(/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i).default('96MB'),
        threads: z.number().int().min(1).max(64).default(2),
      })
      .strict()
      .default({ memoryLimit: '96MB', threads: 2 }),
    retention: z
      .object({
        /** Sealed journal segments (and their index rows) older than this are archived or deleted. */
        maxAgeDays: z.number().positive().optional(),
        /** While the journal is larger than this, its oldest sealed segments go. */
        maxBytes: z.number().int().positive().optional(),
        /** archive: move segments to archiveDir (default $AGENTTRAIL_HOME/archive); delete: remove them. */
        action: z.enum(['archive', 'delete']).default('archive'),
        archiveDir: z.string().optional(),
      })
      .strict()
      .default({ action: 'archive' }),
    journal: z
      .object({ maxSegmentBytes: z.number().int().min(4096).default(64 * 1024 * 1024) })
      .strict()
      .default({ maxSegmentBytes: 64 * 1024 * 1024 }),
    detect: z
      .object({
        /** Evaluate detection rules on every event (findings are journaled as security_alert events). */
        enabled: z.boolean().default(true),
        /** Custom rules, overrides and allow entries (default $AGENTTRAIL_HOME/rules.yaml, when it exists). */
        rulesFile: z.string().optional(),
        redact: z
          .object({
            /** Replace secrets with [REDACTED:kind:fingerprint] before an event is hashed and stored. */
            enabled: z.boolean().default(true),
            /** known: specific token formats only; all: also generic key=value secrets. */
            kinds: z.enum(['known', 'all']).default('known'),
            /** Fingerprints of values that are not secrets (test keys). */
            allowFingerprints: z.array(z.string().regex(/^[0-9a-f]{16}$/)).default([]),
          })
          .strict()
          .prefault({}),
        /** Online anomaly detectors (first-seen, tool-sequence surprise, per-session rates). */
        anomaly: z.object({ enabled: z.boolean().default(true) }).strict().prefault({}),
        /** Hosts whose fetched content does not taint a session (exact or parent domain). */
        trustedHosts: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .prefault({}),
    /** Where findings are delivered: webhooks (generic JSON or Slack) and the desktop. */
    alerts: alertsConfigSchema,
    /** Ship the journal to Grafana Loki (one cursor per push URL). */
    loki: lokiConfigSchema,
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** Returns the built-in defaults. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Returns whether an address only accepts connections from this machine. */
export function isLoopback(address: string): boolean {
  return LOOPBACK.test(address);
}

/** Reads config.json (if any) and environment overrides, and validates them together. */
export function loadConfig(paths: Paths, env: NodeJS.ProcessEnv = process.env): Config {
  let fileValue: Record<string, unknown> = {};
  try {
    fileValue = JSON.parse(readFileSync(paths.configFile, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new ConfigError([`not readable JSON: ${(err as Error).message}`], paths.configFile);
  }
  const merged: Record<string, unknown> = { ...fileValue };
  if (env.AGENTTRAIL_PORT) merged.port = Number(env.AGENTTRAIL_PORT);
  if (env.AGENTTRAIL_BIND) merged.bind = env.AGENTTRAIL_BIND;
  if (env.AGENTTRAIL_TOKEN) merged.token = env.AGENTTRAIL_TOKEN;
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
      `${paths.configFile} (+ AGENTTRAIL_* environment)`,
    );
  }
  if (!isLoopback(result.data.bind) && !result.data.token) {
    throw new ConfigError([`bind: ${result.data.bind} is not a loopback address, so a token (16+ characters) is required`], paths.configFile);
  }
  return result.data;
}
