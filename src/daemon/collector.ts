import { createHash } from 'node:crypto';
import { readFileSync, unlinkSync, watch, type FSWatcher } from 'node:fs';
import { homedir } from 'node:os';
import type { Config } from '../config/config.js';
import type { Paths } from '../config/paths.js';
import type { JournalEntry } from '../core/chain/entry.js';
import { utf8Prefix } from '../core/event/bound.js';
import { normalizeEvent, type NormalizeSettings } from '../core/event/normalize.js';
import type { AgentEvent } from '../core/event/schema.js';
import { SessionTracker } from '../core/event/tracker.js';
import { JournalWriter } from '../journal/writer.js';
import type { LocatedEntry } from '../journal/reader.js';
import { ensurePrivateDir } from '../platform/fs.js';
import { isProcessAlive, scanSpool, type BadRecord, type ReadyRecord } from '../spool/reader.js';
import { AGENTTRAIL_VERSION } from '../version.js';
import { findingEvent } from '../core/detect/finding-event.js';
import { eventsFromLokiPush, type LokiPush } from '../core/event/from-loki.js';
import type { DetectionStage } from './detection.js';
import { createVersionLookup, realpathLoose } from './enrich.js';
import { countQuarantined, quarantineRecord } from './quarantine.js';

export interface CollectorSettings {
  readonly paths: Paths;
  readonly config: Config;
  readonly host: string;
  readonly user: string;
  readonly log: (message: string) => void;
  readonly now?: () => number;
  /** Redacts secrets and evaluates detection rules; events are journaled as they are without it. */
  readonly detection?: DetectionStage;
}

export interface CollectorStats {
  /** Seq of the newest journal entry (= entries ever stored on this host). */
  readonly eventsStored: number;
  readonly lastEventTime: string;
  readonly ingestedSinceStart: number;
  readonly quarantined: number;
  readonly duplicatesDropped: number;
  readonly backlog: number;
  readonly pendingWrites: number;
}

const BATCH = 512;
/**
 * A pass stops taking records once it has appended this many entries (a Loki push expands to up to
 * 16,384), so one pass never outgrows the replay protection of the journal tail (25,000 entries).
 */
const PASS_ENTRY_BUDGET = 4096;
/** Spool records of pushes the daemon's Loki endpoint accepted (transport `loki`). */
export const LOKI_PUSH_EVENT = 'LokiPush';
// fs.watch wakes the collector for new records; the poll only catches missed notifications and
// records still being written, so it can be slow enough to keep the idle daemon near 0 % CPU.
const POLL_MS = 1000;
const RECENT_IDS = 100_000;

/**
 * Moves records from the spool into the journal: scan → normalise → append → fsync → remove.
 * A record is removed only after its entry is durable; a record whose id is already in the
 * journal (crash between fsync and removal) is removed without a second entry.
 */
export class Collector {
  private readonly journal: JournalWriter;
  private readonly tracker = new SessionTracker();
  private readonly recentIds = new Set<string>();
  private readonly normalizeSettings: NormalizeSettings;
  private readonly listeners: ((entries: LocatedEntry[]) => void)[] = [];
  private readonly now: () => number;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private scheduled = false;
  private running = false;
  private stopped = false;
  private ingested = 0;
  private duplicates = 0;
  private lastScan = { pending: 0, deferred: 0 };
  /** Every entry appended during the current pass, in journal order (events and their findings). */
  private passEntries: JournalEntry[] = [];

  constructor(private readonly settings: CollectorSettings) {
    this.now = settings.now ?? Date.now;
    ensurePrivateDir(settings.paths.spoolNew);
    ensurePrivateDir(settings.paths.quarantine);
    this.journal = JournalWriter.open({
      dir: settings.paths.journal,
      host: settings.host,
      maxSegmentBytes: settings.config.journal.maxSegmentBytes,
      // Replay protection after a crash covers this many entries: more than one pass can append.
      tailEntries: 25_000,
    });
    const { tail, tornBytes } = this.journal.recovered;
    if (tornBytes > 0) settings.log(`Cut a torn journal tail of ${tornBytes} bytes; its records are still in the spool.`);
    for (const entry of tail) {
      this.remember(entry.source_id);
      if (entry.event.metadata.transport === 'loki') continue;
      this.tracker.observe(entry.event, entry.seq);
      settings.detection?.recall(entry.event);
    }
    this.normalizeSettings = {
      host: settings.host,
      user: settings.user,
      agenttrailVersion: AGENTTRAIL_VERSION,
      home: process.env.HOME || homedir(),
      bound: { maxFieldBytes: settings.config.capture.maxFieldBytes, previewBytes: settings.config.capture.previewBytes },
      realpath: realpathLoose,
      claudeVersion: createVersionLookup(this.now),
    };
  }

  /** Starts watching the spool; ingests whatever is already there. */
  start(): void {
    try {
      this.watcher = watch(this.settings.paths.spoolNew, () => this.schedule());
      this.watcher.on('error', () => undefined);
    } catch {
      // Polling alone still delivers everything, only later.
    }
    this.timer = setInterval(() => this.schedule(), POLL_MS);
    this.schedule();
  }

  /** Stops watching, finishes the pass in progress and closes the journal. */
  stop(): void {
    this.stopped = true;
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    this.journal.close();
    this.settings.detection?.save(true);
  }

  /** Calls `listener` with every batch of entries once it is durable. */
  onCommit(listener: (entries: LocatedEntry[]) => void): void {
    this.listeners.push(listener);
  }

  /** Project roots seen in recent events. */
  knownProjects(): Set<string> {
    return this.tracker.knownProjects();
  }

  stats(): CollectorStats {
    const head = this.journal.head;
    return {
      eventsStored: head.seq,
      lastEventTime: head.timestamp,
      ingestedSinceStart: this.ingested,
      quarantined: countQuarantined(this.settings.paths.quarantine),
      duplicatesDropped: this.duplicates,
      backlog: this.lastScan.pending + this.lastScan.deferred,
      pendingWrites: this.lastScan.pending,
    };
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.running || this.stopped) return;
      this.running = true;
      try {
        const result = this.runOnce();
        if (result.deferred > 0) this.schedule();
      } catch (err) {
        this.settings.log(`Ingest pass failed and will be retried: ${(err as Error).stack ?? String(err)}`);
      } finally {
        this.running = false;
      }
    });
  }

  /** One pass: ingest up to BATCH records. Returns what the scan saw. */
  runOnce(): { ingested: number; deferred: number } {
    const scan = scanSpool(this.settings.paths.spoolNew, {
      maxRecordBytes: this.settings.config.capture.maxRecordBytes,
      maxRecords: BATCH,
      deadWriterGraceMs: 2000,
      abandonAfterMs: 10 * 60_000,
      nowMs: this.now(),
      isAlive: isProcessAlive,
    });
    this.lastScan = { pending: scan.pending, deferred: scan.deferred };
    const done: string[] = [];
    const entries: JournalEntry[] = [];
    this.passEntries = entries;
    for (const bad of scan.bad) {
      this.ingestBad(bad);
      done.push(bad.path);
    }
    let deferred = scan.deferred;
    for (const ready of scan.ready) {
      if (entries.length >= PASS_ENTRY_BUDGET) {
        deferred++;
        continue;
      }
      try {
        this.ingestReady(ready);
      } catch (err) {
        // One record must never wedge the spool: whatever failed, keep its bytes and move on. Forced:
        // part of the record (an event before its findings, the first entries of a push) may already
        // be appended, which must not make the rest look like a replay.
        this.settings.log(`Could not ingest ${ready.name}: ${(err as Error).message}`);
        this.ingestBad({ ...ready, sizeBytes: ready.record.payload.length, reason: 'ingest_failed', header: ready.record }, true);
      }
      done.push(ready.path);
    }
    const locations = this.journal.commit();
    for (const path of done) {
      try {
        unlinkSync(path);
      } catch {
        // Already gone; nothing to do.
      }
    }
    this.ingested += entries.length;
    this.settings.detection?.save();
    const located = entries.map((entry, i) => ({ entry, location: locations[locations.length - entries.length + i]! }));
    if (located.length > 0) for (const listener of this.listeners) safeCall(() => listener(located), this.settings.log);
    return { ingested: entries.length, deferred };
  }

  private ingestReady(ready: ReadyRecord): JournalEntry | undefined {
    const { record } = ready;
    if (this.recentIds.has(record.id)) {
      this.duplicates++;
      return undefined;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(record.payload.toString('utf8'));
    } catch {
      return this.ingestBad({ ...ready, sizeBytes: record.payload.length, reason: 'not_json', header: record });
    }
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      return this.ingestBad({ ...ready, sizeBytes: record.payload.length, reason: 'not_an_object', header: record });
    }
    if (record.transport === 'loki' && record.event === LOKI_PUSH_EVENT) return this.ingestLokiPush(payload as LokiPush, record.id);
    const event = normalizeEvent(
      {
        payload: payload as Record<string, unknown>,
        hookEvent: record.event,
        transport: record.transport,
        capturedAtMs: ready.capturedAtMs,
        projectDir: record.projectDir,
        claudePid: record.ppid > 0 ? record.ppid : null,
        agent: record.agent === '-' ? '' : record.agent,
      },
      this.normalizeSettings,
      this.tracker,
    );
    const detection = this.settings.detection;
    if (!detection) return this.append(event, record.id);
    let inspected: ReturnType<DetectionStage['inspect']>;
    try {
      inspected = detection.inspect(event, payload as Record<string, unknown>);
    } catch (err) {
      // Redaction failing must not journal unredacted secrets: the record goes to quarantine instead.
      throw new Error(`Secret redaction failed: ${(err as Error).message}`);
    }
    const entry = this.append(inspected.event, record.id);
    if (inspected.facts) this.appendFindings(inspected.facts, entry, record.id);
    return entry;
  }

  /**
   * One accepted Loki push becomes one event per entry (`<record id>#<n>`). Relayed AgentTrail
   * events were checked by the AgentTrail that captured them (its findings come along as events),
   * so they are redacted again but not re-detected; heartbeats are liveness, not audit, and are
   * not journaled.
   */
  private ingestLokiPush(push: LokiPush, recordId: string): JournalEntry | undefined {
    const events = eventsFromLokiPush(push, { host: this.settings.host, agenttrailVersion: AGENTTRAIL_VERSION });
    let first: JournalEntry | undefined;
    events.forEach((event, i) => {
      if (event.event_type === 'heartbeat') return;
      const entry = this.append(this.settings.detection ? this.settings.detection.redact(event) : event, `${recordId}#${i}`);
      first ??= entry;
    });
    this.remember(recordId);
    return first;
  }

  /** Journals the findings of one event right after it, in the same batch (so both or neither survive a crash). */
  private appendFindings(facts: NonNullable<ReturnType<DetectionStage['inspect']>['facts']>, entry: JournalEntry, sourceId: string): void {
    let findings;
    try {
      findings = this.settings.detection!.evaluate(facts, entry.seq);
    } catch (err) {
      this.settings.log(`Detection failed for ${sourceId} (event kept, no findings): ${(err as Error).message}`);
      return;
    }
    findings.forEach((finding, i) => {
      this.append(findingEvent(finding, entry.event), `${sourceId}#finding-${i}`);
    });
  }

  private ingestBad(bad: BadRecord, force = false): JournalEntry | undefined {
    const sourceId = bad.header?.id ?? bad.name;
    if (!force && this.recentIds.has(sourceId)) {
      this.duplicates++;
      return undefined;
    }
    let bytes: Buffer = Buffer.alloc(0);
    if (bad.reason !== 'too_large') {
      try {
        bytes = readFileSync(bad.path);
      } catch {
        // Still quarantined by link below; the hash stays empty.
      }
    }
    const sha256 = bytes.length ? createHash('sha256').update(bytes).digest('hex') : '';
    const capturedAt = new Date(bad.capturedAtMs).toISOString();
    const file = quarantineRecord(this.settings.paths.quarantine, bad.name, bad.path, {
      reason: bad.reason,
      size_bytes: bad.sizeBytes,
      sha256,
      captured_at: capturedAt,
      quarantined_at: new Date(this.now()).toISOString(),
    });
    this.settings.log(`Quarantined spool record ${bad.name} (${bad.reason}, ${bad.sizeBytes} bytes).`);
    const event: AgentEvent = {
      timestamp: capturedAt,
      level: 'ERROR',
      event_type: 'ingest_error',
      hook_event: bad.header?.event ?? 'unknown',
      session_id: null,
      prompt_id: null,
      agent_id: null,
      agent_type: null,
      project_path: bad.header?.projectDir ?? '',
      project_name: '',
      cwd: '',
      tool_name: null,
      tool_use_id: null,
      action_details: { reason: bad.reason, quarantine_file: file, size_bytes: bad.sizeBytes, sha256 },
      context: { command: '', persona: '', reasoning: '' },
      metadata: {
        claude_version: '',
        user_id: this.settings.user,
        host: this.settings.host,
        agenttrail_version: AGENTTRAIL_VERSION,
        transport: bad.header?.transport ?? '',
        permission_mode: '',
        claude_pid: bad.header && bad.header.ppid > 0 ? bad.header.ppid : null,
      },
      // The preview goes into the journal: secrets in it are masked like in any event.
      raw: { preview: this.redactText(utf8Prefix(bytes, this.settings.config.capture.previewBytes)) },
    };
    return this.append(event, force ? `${sourceId}#ingest-error` : sourceId);
  }

  private append(event: AgentEvent, sourceId: string): JournalEntry {
    const entry = this.journal.append(event, sourceId);
    this.passEntries.push(entry);
    this.remember(sourceId);
    // Events relayed from other machines must not feed this machine's sessions and projects.
    if (event.metadata.transport !== 'loki') this.tracker.observe(event, entry.seq);
    return entry;
  }

  private redactText(text: string): string {
    const detection = this.settings.detection;
    if (!detection) return text;
    try {
      return detection.redactText(text);
    } catch {
      return '';
    }
  }

  private remember(id: string): void {
    // Entries derived from one record (`<id>#finding-0`, `<id>#3`) also mark the record itself as done.
    const hash = id.indexOf('#');
    if (hash > 0) this.recentIds.add(id.slice(0, hash));
    this.recentIds.add(id);
    if (this.recentIds.size > RECENT_IDS) this.recentIds.delete(this.recentIds.values().next().value as string);
  }
}

function safeCall(fn: () => void, log: (m: string) => void): void {
  try {
    fn();
  } catch (err) {
    log(`A journal listener failed: ${(err as Error).message}`);
  }
}
