import { getRequestListener } from '@hono/node-server';
import { createServer, type Server } from 'node:http';
import { unlinkSync } from 'node:fs';
import { homedir, hostname, setPriority, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { Paths } from '../config/paths.js';
import { ensurePrivateDir, writeFileAtomic } from '../platform/fs.js';
import { createApp } from '../server/app.js';
import { handleHookIntake } from '../server/hook-intake.js';
import { handleLokiPush } from '../server/loki-push/handler.js';
import { writeSpoolRecord } from '../spool/writer.js';
import { AGENTTRAIL_VERSION } from '../version.js';
import { Collector, LOKI_PUSH_EVENT } from './collector.js';
import { EventIndex } from '../store/event-index.js';
import { createLocalStore, type LocalStore } from '../store/service.js';
import type { JournalEntry } from '../core/chain/entry.js';
import { dirname } from 'node:path';
import { acquireLock } from './lock.js';
import { applyRetention } from '../journal/retention.js';
import { settingsFilesFor, SettingsWatcher } from './settings-watch.js';
import { createDetectionStage } from './detection.js';
import { createAlertSinks } from '../sinks/alerts/index.js';
import { createLokiSinks } from '../sinks/loki/index.js';

/** What `daemon.json` says about the running daemon. */
export interface DaemonInfo {
  readonly pid: number;
  readonly url: string;
  readonly startedAt: string;
  readonly version: string;
  readonly home: string;
}

export interface RunningDaemon {
  readonly info: DaemonInfo;
  readonly collector: Collector;
  readonly store: LocalStore;
  /** Ordered shutdown: stop accepting, finish the ingest pass, fsync, release the lock. */
  stop(): Promise<void>;
}

/**
 * Starts the collector daemon in this process. Start-up order: lock → journal recovery → HTTP API
 * (the port is bound before the pid file is written, so a pid file means "ready") → spool watch.
 */
export async function startDaemon(paths: Paths, config: Config, log: (message: string) => void): Promise<RunningDaemon> {
  ensurePrivateDir(paths.home);
  const release = acquireLock(paths.lockFile);
  lowerPriority(config.nice, log);
  let collector: Collector;
  let server: Server;
  let info: DaemonInfo;
  let watcher: SettingsWatcher;
  let store: LocalStore;
  let alerts: ReturnType<typeof createAlertSinks>;
  let loki: ReturnType<typeof createLokiSinks>;
  const listeners = new Set<(entries: JournalEntry[]) => void>();
  let reindexing = false;
  let retentionTimer: NodeJS.Timeout | undefined;
  try {
    ensurePrivateDir(paths.state);
    ensurePrivateDir(dirname(paths.index));
    const detection = createDetectionStage(paths, config, log);
    collector = new Collector({ paths, config, host: hostname(), user: userInfo().username, log, detection });
    alerts = createAlertSinks(config.alerts, { journalDir: paths.journal, stateDir: paths.state, log });
    alerts.start();
    loki = createLokiSinks(config.loki, {
      journalDir: paths.journal,
      stateDir: paths.state,
      log,
      heartbeat: { host: hostname(), user: userInfo().username, headSeq: () => collector.stats().eventsStored },
    });
    loki.start();
    store = createLocalStore(await EventIndex.open(paths.index, paths.journal, { memoryLimit: config.index.memoryLimit, threads: config.index.threads }));
    const indexing = store.catchUp().catch((err: Error) => log(`Indexing the journal failed: ${err.message}`));
    collector.onCommit((entries) => {
      if (entries.some((e) => e.entry.event.event_type === 'security_alert')) alerts.wake(entries.at(-1)?.entry.seq);
      loki.wake(entries.at(-1)?.entry.seq);
      void indexing.then(() => store.follow(entries)).catch((err: Error) => log(`Indexing failed; it resumes from the journal: ${err.message}`));
      for (const listener of listeners) listener(entries.map((e) => e.entry));
    });
    const startedAt = new Date().toISOString();
    const app = createApp({
      token: config.token,
      stats: () => ({ ...collector.stats(), indexedSeq: store.lastSeq, indexChainBreak: store.chainBreak ?? null, reindexing, detection: detection.detector?.stats() ?? null, alerts: alerts.stats(), loki: loki.stats() }),
      reindex: () => {
        const targetSeq = collector.stats().eventsStored;
        if (!reindexing) {
          reindexing = true;
          void store
            .rebuild()
            .catch((err: Error) => log(`Reindex failed; the index resumes from the journal: ${err.message}`))
            .finally(() => (reindexing = false));
        }
        return { targetSeq };
      },
      daemon: () => info,
      query: store,
      rules: () => detection.detector?.describe() ?? [],
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
    const intake = {
      token: config.token,
      acceptHook: (event: string, body: Buffer, projectDir: string) => void writeSpoolRecord(paths.spoolNew, event, 'http', projectDir, body),
    };
    // Loki clients (and other AgentTrails' Loki sinks) push here; each accepted push is one spool record.
    const lokiIntake = {
      token: config.token,
      accept: (push: unknown) => void writeSpoolRecord(paths.spoolNew, LOKI_PUSH_EVENT, 'loki', '', Buffer.from(JSON.stringify(push))),
    };
    const api = getRequestListener(app.fetch);
    server = await listen((req, res) => void (handleHookIntake(req, res, intake) || handleLokiPush(req, res, lokiIntake) || api(req, res)), config.bind, config.port);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.bind.includes(':') ? `[${config.bind}]` : config.bind;
    info = { pid: process.pid, url: `http://${host}:${port}`, startedAt, version: AGENTTRAIL_VERSION, home: paths.home };
    writeFileAtomic(paths.daemonInfo, `${JSON.stringify(info, null, 2)}\n`);
    writeFileAtomic(paths.pidFile, `${process.pid}\n`);
    collector.start();
    const home = process.env.HOME || homedir();
    watcher = new SettingsWatcher(
      join(paths.state, 'settings-watch.json'),
      () => settingsFilesFor(home, collector.knownProjects()),
      (file, now, before) => {
        const payload = { hook_event_name: 'AgentTrailSettingsChanged', file_path: file, ...now, before };
        writeSpoolRecord(paths.spoolNew, 'AgentTrailSettingsChanged', 'watch', '', Buffer.from(JSON.stringify(payload)));
      },
    );
    watcher.start();
    retentionTimer = startRetention(paths, config, store, log);
  } catch (err) {
    release();
    throw err;
  }
  log(`AgentTrail ${AGENTTRAIL_VERSION} collecting from ${paths.spoolNew}; API on ${info.url}.`);

  let stopping: Promise<void> | undefined;
  return {
    info,
    collector,
    store,
    stop() {
      stopping ??= (async () => {
        watcher.stop();
        clearInterval(retentionTimer);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Keep-alive and streaming clients would otherwise hold the close open.
          server.closeAllConnections();
        });
        collector.stop();
        await Promise.all([alerts.stop(5000), loki.stop(5000)]);
        await store.close();
        for (const file of [paths.pidFile, paths.daemonInfo]) {
          try {
            unlinkSync(file);
          } catch {
            // Already removed.
          }
        }
        release();
        log('AgentTrail stopped.');
      })();
      return stopping;
    },
  };
}

const RETENTION_EVERY_MS = 3_600_000;

/** Applies the retention policy now and every hour; a no-op without maxAgeDays or maxBytes. */
function startRetention(paths: Paths, config: Config, store: LocalStore, log: (m: string) => void): NodeJS.Timeout | undefined {
  const r = config.retention;
  if (r.maxAgeDays === undefined && r.maxBytes === undefined) return undefined;
  const policy = { ...r, archiveDir: r.archiveDir ?? join(paths.home, 'archive') };
  const run = () => {
    try {
      const result = applyRetention(paths.journal, policy, Date.now());
      if (result.removed.length === 0) return;
      log(`Retention ${policy.action === 'archive' ? `archived to ${policy.archiveDir}` : 'deleted'} ${result.removed.length} journal segments (through seq ${result.removedThroughSeq}).`);
      void store.forget(result.removedThroughSeq).catch((err: Error) => log(`Retention could not trim the index: ${err.message}`));
    } catch (err) {
      log(`Retention failed and will be retried: ${(err as Error).message}`);
    }
  };
  run();
  const timer = setInterval(run, RETENTION_EVERY_MS);
  timer.unref();
  return timer;
}

/**
 * Runs the daemon below the agent's priority: on 2 cores, ingesting while Claude Code works cost the
 * session measurable time (bench/hook-overhead.ts); at nice 19 the daemon catches up in idle moments.
 */
function lowerPriority(nice: number, log: (m: string) => void): void {
  try {
    setPriority(nice);
  } catch (err) {
    log(`Could not set the daemon's priority to nice ${nice}: ${(err as Error).message}`);
  }
}

function listen(handler: Parameters<typeof createServer>[1], hostnameToBind: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.once('error', reject);
    server.listen(port, hostnameToBind, () => resolve(server));
  });
}
