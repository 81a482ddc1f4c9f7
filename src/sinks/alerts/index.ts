/**
 * Alert sinks: every destination (each webhook, the desktop) is its own delivery runner with its own
 * cursor (`alerts-webhook-<hash of url+format>`, `alerts-desktop`), severity threshold and throttle,
 * fed with `security_alert` journal entries only. A new destination starts at the journal's head, so
 * enabling alerts does not replay history.
 *
 * @example
 *   const alerts = createAlertSinks(config.alerts, { journalDir, stateDir, log });
 *   alerts.start();
 *   collector.onCommit((entries) => alerts.wake(entries.at(-1)?.entry.seq));
 *   await alerts.stop(5000); // on shutdown, after the journal is fsynced
 */
import { createHash } from 'node:crypto';
import type { Severity } from '../../core/detect/types.js';
import { createDeliveryRunner, type BatchConfig, type DeliveryRunner, type DeliveryStats, type FetchLike, type RetryPolicy, type Sleep } from '../delivery/index.js';
import type { AlertsConfig } from './config.js';
import { createDesktopSender, detectDesktop, type DesktopAvailability, type ExecFile } from './desktop.js';
import { createAlertDestination, type AlertSender } from './destination.js';
import type { SuppressReason } from './throttle.js';
import { createWebhookSender } from './webhook.js';

/** Wiring for the alert sinks; everything after `log` is injectable for tests. */
export interface AlertSinksSettings {
  readonly journalDir: string;
  readonly stateDir: string;
  readonly log: (message: string) => void;
  readonly fetch?: FetchLike;
  readonly exec?: ExecFile;
  readonly platform?: NodeJS.Platform;
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: () => number;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly batch?: BatchConfig;
  readonly retry?: RetryPolicy;
}

/** One destination's state. */
export interface AlertDestinationStats {
  readonly id: string;
  readonly kind: 'webhook' | 'desktop';
  readonly delivery: DeliveryStats;
  readonly suppressed: Readonly<Record<SuppressReason, number>>;
  readonly belowThreshold: number;
}

/** All alert destinations, plus whether desktop notifications are possible here. */
export interface AlertSinksStats {
  readonly destinations: readonly AlertDestinationStats[];
  readonly desktop: DesktopAvailability & { readonly enabled: boolean };
}

/** The alert destinations as one unit for the daemon. */
export interface AlertSinks {
  start(): void;
  /** Call after each journal commit (with the new head seq when known). */
  wake(headSeq?: number): void;
  stop(drainTimeoutMs: number): Promise<void>;
  stats(): AlertSinksStats;
}

// Alerts are few and urgent: small batches, a short coalescing delay, patient retries.
const ALERT_BATCH: BatchConfig = { maxEntries: 20, maxBytes: 1 << 20, maxWaitMs: 250 };
const WEBHOOK_RETRY: RetryPolicy = { baseMs: 1000, capMs: 60_000 };
// A notification that failed once would be stale by the time a retry shows it.
const DESKTOP_RETRY: RetryPolicy = { baseMs: 1000, capMs: 1000, maxAttempts: 1 };

/** Creates one delivery runner per configured alert destination. */
export function createAlertSinks(config: AlertsConfig, settings: AlertSinksSettings): AlertSinks {
  const made: { id: string; kind: AlertDestinationStats['kind']; runner: DeliveryRunner; destination: ReturnType<typeof createAlertDestination> }[] = [];
  const add = (id: string, kind: AlertDestinationStats['kind'], sender: AlertSender, minSeverity: Severity, retry: RetryPolicy): void => {
    const destination = createAlertDestination(sender, { minSeverity, throttle: config, clock: settings.clock });
    const { journalDir, stateDir, log, clock, sleep, random } = settings;
    const runner = createDeliveryRunner({
      journalDir,
      stateDir,
      log,
      clock,
      sleep,
      random,
      id,
      sink: destination.sink,
      filter: destination.filter,
      batch: settings.batch ?? ALERT_BATCH,
      retry: settings.retry ?? retry,
      startAt: 'head',
      onChainMismatch: 'head',
    });
    made.push({ id, kind, runner, destination });
  };
  const ids = new Set<string>();
  for (const hook of config.webhooks) {
    const base = `alerts-webhook-${createHash('sha256').update(`${hook.format} ${hook.url}`).digest('hex').slice(0, 12)}`;
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    const sender = createWebhookSender({ ...hook, fetch: settings.fetch, clock: settings.clock });
    add(id, 'webhook', sender, hook.minSeverity, WEBHOOK_RETRY);
  }
  const desktop = config.desktop.enabled ? detectDesktop(settings) : { available: false, method: null, reason: 'disabled in the configuration' };
  if (desktop.available) add('alerts-desktop', 'desktop', createDesktopSender(desktop, settings), config.desktop.minSeverity, DESKTOP_RETRY);
  return {
    start: () => made.forEach((m) => m.runner.start()),
    wake: (headSeq) => made.forEach((m) => m.runner.wake(headSeq)),
    stop: async (drainTimeoutMs) => void (await Promise.all(made.map((m) => m.runner.stop(drainTimeoutMs)))),
    stats: () => ({
      destinations: made.map((m) => ({
        id: m.id,
        kind: m.kind,
        delivery: m.runner.stats(),
        suppressed: m.destination.suppressed(),
        belowThreshold: m.destination.belowThreshold(),
      })),
      desktop: { ...desktop, enabled: config.desktop.enabled },
    }),
  };
}

export { alertsConfigSchema, defaultAlertsConfig, webhookConfigSchema, type AlertsConfig, type WebhookConfig } from './config.js';
export type { Alert } from './alert.js';
export type { DesktopAvailability, ExecFile } from './desktop.js';
