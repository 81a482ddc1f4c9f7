/**
 * The Loki sink: every configured push URL is its own delivery runner with its own cursor
 * (`<stateDir>/cursors/loki-<hash of url+tenant>.json`), so each endpoint receives every journal
 * entry at least once, across restarts, independently of the others (no failover: a down endpoint
 * lags, the others do not).
 *
 *   journal ─cursor─▶ batch (≈1 MiB / 1 s) ─▶ buildPush: entry → stream labels + SM + ts + line
 *                                             ─▶ protobuf+snappy | JSON (gzip) ─▶ POST /loki/api/v1/push
 *
 * What makes retries safe: an entry's stream, nanosecond timestamp (event ms + seq mod 1e6), line
 * (canonical event JSON) and structured metadata depend on the entry alone, so a resent entry is
 * byte-identical and Loki stores it once (loki.md §1.7, §2 "Duplicate semantics").
 *
 * @example
 *   const loki = createLokiSinks(config.loki, { journalDir, stateDir, log });
 *   loki.start();
 *   collector.onCommit((entries) => loki.wake(entries.at(-1)?.entry.seq));
 *   await loki.stop(5000); // on shutdown, after the journal is fsynced
 */
import { createHash } from 'node:crypto';
import { AGENTTRAIL_VERSION } from '../../version.js';
import { createDeliveryRunner, type DeliveryRunner, type DeliveryStats, type FetchLike, type Sleep } from '../delivery/index.js';
import type { LokiConfig } from './config.js';
import { createPusher, readCa, type Pusher } from './send.js';
import { startHeartbeats } from './heartbeat.js';
import { createLokiSink, type LokiEntryStats, type LokiSink } from './sink.js';

/** Wiring for the Loki sinks; everything after `log` is injectable for tests. */
export interface LokiSinksSettings {
  readonly journalDir: string;
  readonly stateDir: string;
  readonly log: (message: string) => void;
  /** Replaces the node:http(s) transport (then caFile is not used). */
  readonly fetch?: FetchLike;
  readonly clock?: () => number;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** Send heartbeats for this host (the daemon does; tests of delivery need not). */
  readonly heartbeat?: { readonly host: string; readonly user: string; readonly headSeq: () => number };
}

/** One endpoint's state: the runner's counters plus the entries it consumed without sending. */
export interface LokiEndpointStats extends LokiEntryStats {
  readonly id: string;
  /** The push URL without credentials or query. */
  readonly url: string;
  readonly delivery: DeliveryStats;
}

/** The Loki endpoints as one unit for the daemon. */
export interface LokiSinks {
  /** Opens the cursors and starts delivering (throws on an unreadable journal: call it at startup). */
  start(): void;
  /** Call after each journal commit (with the new head seq when known). */
  wake(headSeq?: number): void;
  stop(drainTimeoutMs: number): Promise<void>;
  stats(): { readonly endpoints: readonly LokiEndpointStats[]; readonly heartbeatErrors: number };
}

/** Creates one delivery runner per configured Loki URL (none when disabled); throws when caFile is unreadable. */
export function createLokiSinks(config: LokiConfig, settings: LokiSinksSettings): LokiSinks {
  const made: { id: string; url: string; runner: DeliveryRunner; sink: LokiSink; pusher: Pusher }[] = [];
  const urls = config.enabled ? [...new Set(config.urls)] : [];
  const ca = urls.some((u) => u.startsWith('https:')) ? readCa(config.caFile) : undefined;
  const now = settings.clock ?? Date.now;
  for (const url of urls) {
    const id = `loki-${createHash('sha256').update(`${url}\n${config.tenant ?? ''}`).digest('hex').slice(0, 12)}`;
    const pusher = createPusher({
      url,
      encoding: config.encoding,
      gzip: config.gzip,
      headers: requestHeaders(config),
      timeoutMs: config.timeoutMs,
      ca,
      fetch: settings.fetch,
      now,
    });
    const sink = createLokiSink(id, pusher, config, now, settings.log);
    const { journalDir, stateDir, log, clock, sleep, random } = settings;
    const runner = createDeliveryRunner({
      id,
      journalDir,
      stateDir,
      log,
      clock,
      sleep,
      random,
      sink,
      batch: config.batch,
      retry: config.retry,
      startAt: config.startAt,
      onChainMismatch: config.startAt,
    });
    made.push({ id, url: displayUrl(url), runner, sink, pusher });
  }
  let stopHeartbeats = () => undefined as void;
  let heartbeatErrors = 0;
  return {
    start: () => {
      made.forEach((m) => m.runner.start());
      const hb = settings.heartbeat;
      if (hb && made.length > 0 && config.heartbeatMs > 0) {
        stopHeartbeats = startHeartbeats(made.map((m) => m.pusher), config, { ...hb, intervalMs: config.heartbeatMs, now }, () => void heartbeatErrors++);
      }
    },
    wake: (headSeq) => made.forEach((m) => m.runner.wake(headSeq)),
    stop: async (drainTimeoutMs) => {
      stopHeartbeats();
      await Promise.all(made.map((m) => m.runner.stop(drainTimeoutMs)));
    },
    stats: () => ({ endpoints: made.map((m) => ({ id: m.id, url: m.url, delivery: m.runner.stats(), ...m.sink.entryStats() })), heartbeatErrors }),
  };
}

/** Returns the headers every push carries: user agent, custom headers, tenant, authorization. */
export function requestHeaders(config: Pick<LokiConfig, 'headers' | 'tenant' | 'basicAuth' | 'bearerToken'>): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': `agenttrail/${AGENTTRAIL_VERSION}`, ...config.headers };
  if (config.tenant) headers['x-scope-orgid'] = config.tenant;
  if (config.basicAuth) {
    headers.authorization = `Basic ${Buffer.from(`${config.basicAuth.username}:${config.basicAuth.password}`).toString('base64')}`;
  } else if (config.bearerToken) headers.authorization = `Bearer ${config.bearerToken}`;
  return headers;
}

function displayUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

export { defaultLokiConfig, lokiConfigSchema, type LokiConfig } from './config.js';
export type { LokiEntryStats } from './sink.js';
