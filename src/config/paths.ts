import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Every file and directory AgentTrail keeps under $AGENTTRAIL_HOME (default ~/.agenttrail). */
export interface Paths {
  readonly home: string;
  /** Where hooks drop records; the collector consumes and removes them. */
  readonly spoolNew: string;
  /** Bad records, kept byte for byte with a reason file beside each. */
  readonly quarantine: string;
  readonly journal: string;
  /** The DuckDB index file (rebuildable from the journal). */
  readonly index: string;
  /** Cursors and other small state files. */
  readonly state: string;
  readonly bin: string;
  readonly hookScript: string;
  readonly pidFile: string;
  readonly daemonInfo: string;
  readonly lockFile: string;
  readonly logFile: string;
  readonly configFile: string;
  /** Custom detection rules, overrides and allow entries (YAML). */
  readonly rulesFile: string;
  /** The key secrets' fingerprints are made with (HMAC); never leaves this machine. */
  readonly secretKey: string;
  /** Anomaly detectors' learned baselines. */
  readonly anomalyState: string;
}

/** Resolves the data paths from the environment (AGENTTRAIL_HOME, else HOME). */
export function resolvePaths(env: NodeJS.ProcessEnv = process.env): Paths {
  const home = resolve(env.AGENTTRAIL_HOME || join(env.HOME || homedir(), '.agenttrail'));
  return {
    home,
    spoolNew: join(home, 'spool', 'new'),
    quarantine: join(home, 'quarantine'),
    journal: join(home, 'journal'),
    index: join(home, 'index', 'events.duckdb'),
    state: join(home, 'state'),
    bin: join(home, 'bin'),
    hookScript: join(home, 'bin', 'agenttrail-capture.sh'),
    pidFile: join(home, 'daemon.pid'),
    daemonInfo: join(home, 'daemon.json'),
    lockFile: join(home, 'daemon.lock'),
    logFile: join(home, 'daemon.log'),
    configFile: join(home, 'config.json'),
    rulesFile: join(home, 'rules.yaml'),
    secretKey: join(home, 'state', 'secret.key'),
    anomalyState: join(home, 'state', 'anomaly.json'),
  };
}
