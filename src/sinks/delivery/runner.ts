/**
 * The delivery runner: moves journal entries to one sink (style.md 8.1 points 3–4, 8.3, 8.8).
 *
 *   journal ──tail.pull──▶ filter ──▶ batch ──sink.send──▶ ok ─────────────▶ cursor := last entry read
 *                                               ├─ RetryableError ▶ backoff, same batch again
 *                                               └─ PermanentError ▶ dropped{reason} += n, cursor moves on
 *
 * Invariants: the cursor only moves past an entry once it was delivered, dropped with a reason, or
 * filtered out, so delivery is at least once (a crash resends from the cursor; the entry hash is the
 * idempotency key). A filter is called once per entry, in seq order. Nothing thrown escapes the loop.
 */
import type { JournalEntry } from '../../core/chain/entry.js';
import { messageOf } from '../../errors.js';
import { openCursor, positionCursor, writeCursor, type Cursor, type StartPosition } from './cursor.js';
import { classifyError, sleep as realSleep, type RetryPolicy, type Sleep } from './retry.js';
import { sendWithRetry } from './send-with-retry.js';
import type { BatchConfig, Sink } from './sink.js';
import { JournalTail } from './tail.js';
import { collectBatch } from './batcher.js';
import { DeliveryCounters, type DeliveryStats } from './stats.js';

/** Everything a runner needs; clock, sleep and random are injectable for tests. */
export interface DeliveryRunnerOptions {
  /** Names the sink in logs and its cursor file (`<stateDir>/cursors/<id>.json`). */
  readonly id: string;
  readonly journalDir: string;
  readonly stateDir: string;
  readonly sink: Sink;
  /** Called once per entry in seq order; false skips the entry (the cursor still moves past it). */
  readonly filter?: (entry: JournalEntry) => boolean;
  readonly batch: BatchConfig;
  readonly retry: RetryPolicy;
  readonly log: (message: string) => void;
  /** Where a sink without a cursor starts (default `start`). */
  readonly startAt?: StartPosition;
  /** Where to restart when the cursor belongs to another chain (default `start`). */
  readonly onChainMismatch?: StartPosition;
  /** Fallback poll when no wake() arrives (default 2000). */
  readonly pollMs?: number;
  readonly clock?: () => number;
  readonly sleep?: Sleep;
  readonly random?: () => number;
}

/** A running delivery loop for one sink. */
export interface DeliveryRunner {
  /** Opens the cursor (throws on an unreadable journal: call it at startup) and starts delivering. */
  start(): void;
  /** Tells the runner that entries were committed, up to `headSeq` when given. */
  wake(headSeq?: number): void;
  /** Stops retry waits, lets an in-flight send finish within drainTimeoutMs, persists the cursor and closes the sink. */
  stop(drainTimeoutMs: number): Promise<void>;
  stats(): DeliveryStats;
}

// Progress made only by filtering is persisted at most this often: losing it re-reads, never resends.
const PERSIST_FILTERED_MS = 5000;

interface Batch {
  readonly entries: JournalEntry[];
  readonly through: Cursor;
}

/** Creates a delivery runner for one sink. */
export function createDeliveryRunner(options: DeliveryRunnerOptions): DeliveryRunner {
  return new Runner(options);
}

class Runner implements DeliveryRunner {
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly counters: DeliveryCounters;
  private readonly stopCtl = new AbortController();
  private readonly sendCtl = new AbortController();
  private tail: JournalTail | undefined;
  private wakeCtl: AbortController | undefined;
  private woken = false;
  private loop: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private persistedAtMs = 0;
  private dirty = false;

  constructor(private readonly o: DeliveryRunnerOptions) {
    this.now = o.clock ?? Date.now;
    this.sleep = o.sleep ?? realSleep;
    this.counters = new DeliveryCounters(o.id, o.log, this.now);
  }

  start(): void {
    if (this.loop || this.stopCtl.signal.aborted) return;
    const opened = openCursor({ ...this.paths(), startAt: this.o.startAt ?? 'start', onMismatch: this.o.onChainMismatch ?? 'start' });
    if (opened.problem) this.counters.chainReset(opened.problem, opened.cursor);
    if (opened.pruned) this.o.log(`Sink ${this.o.id}: retention removed journal entries before they were delivered.`);
    this.counters.cursor = opened.cursor;
    this.persistedAtMs = this.now();
    this.tail = new JournalTail(this.o.journalDir, opened.cursor);
    this.counters.state = 'running';
    this.loop = this.run();
  }

  wake(headSeq?: number): void {
    if (headSeq !== undefined) this.counters.seen(headSeq);
    this.woken = true;
    this.wakeCtl?.abort();
  }

  stop(drainTimeoutMs: number): Promise<void> {
    this.stopping ??= this.shutdown(drainTimeoutMs);
    return this.stopping;
  }

  stats(): DeliveryStats {
    return this.counters.snapshot();
  }

  private async shutdown(drainTimeoutMs: number): Promise<void> {
    this.stopCtl.abort();
    this.wakeCtl?.abort();
    // A real timer even with an injected sleep: a fake sleep must not cut the drain short.
    const drainTimer = setTimeout(() => this.sendCtl.abort(), drainTimeoutMs);
    await this.loop;
    clearTimeout(drainTimer);
    if (this.dirty) this.persist();
    try {
      await this.o.sink.close?.();
    } catch (err) {
      this.o.log(`Sink ${this.o.id} did not close cleanly: ${messageOf(err)}`);
    }
    this.counters.state = 'stopped';
  }

  private async run(): Promise<void> {
    while (!this.stopCtl.signal.aborted) {
      let batch: Batch;
      try {
        batch = await this.fill();
        this.counters.readOk();
      } catch (err) {
        this.counters.readFailed(err);
        await this.waitForWake(this.o.pollMs ?? 2000);
        continue;
      }
      if (batch.entries.length > 0) await this.deliver(batch);
      else {
        this.advance(batch.through, false);
        await this.waitForWake(this.o.pollMs ?? 2000);
      }
    }
  }

  private async fill(): Promise<Batch> {
    const tail = this.tail!;
    const collected = await collectBatch({
      tail,
      batch: this.o.batch,
      accepts: (entry) => this.accepts(entry),
      seen: (seq) => this.counters.seen(seq),
      now: this.now,
      stopped: () => this.stopCtl.signal.aborted,
      beforePull: () => void (this.woken = false),
      waitForWake: (ms) => this.waitForWake(ms),
    });
    if (collected.kind === 'mismatch') return this.resetChain(collected.why);
    if (collected.missing > 0) this.counters.dropped('pruned_before_delivery', collected.missing, 'retention removed them first');
    return collected;
  }

  private accepts(entry: JournalEntry): boolean {
    try {
      if (!this.o.filter || this.o.filter(entry)) return true;
      this.counters.filtered++;
    } catch (err) {
      this.counters.dropped('filter_error', 1, messageOf(err));
    }
    return false;
  }

  private async deliver(batch: Batch): Promise<void> {
    const { sink } = this.o;
    const outcome = await sendWithRetry(() => sink.send(batch.entries, this.sendCtl.signal), {
      policy: this.o.retry,
      signal: this.stopCtl.signal,
      sleep: this.sleep,
      random: this.o.random ?? Math.random,
      classify: (err) => (sink.classify ?? classifyError)(err),
      onRetry: (err, _attempt, delayMs) => this.counters.retrying(err, batch.entries.length, delayMs),
    });
    if (outcome.kind === 'aborted') return;
    if (outcome.kind === 'sent') this.counters.sent(batch.entries.length, outcome.retries);
    else this.counters.dropped(outcome.reason, batch.entries.length, messageOf(outcome.error));
    this.advance(batch.through, true);
  }

  private resetChain(why: string): Batch {
    const cursor = positionCursor(this.o.journalDir, this.o.onChainMismatch ?? 'start');
    this.counters.chainReset(`the journal no longer continues its cursor (${why})`, cursor);
    this.tail!.reset(cursor);
    this.persist();
    return { entries: [], through: cursor };
  }

  private advance(through: Cursor, important: boolean): void {
    if (through.seq === this.counters.cursor.seq && through.hash === this.counters.cursor.hash) return;
    this.counters.cursor = through;
    this.dirty = true;
    if (important || this.now() - this.persistedAtMs >= PERSIST_FILTERED_MS) this.persist();
  }

  private persist(): void {
    try {
      writeCursor(this.o.stateDir, this.o.id, this.counters.cursor, this.now());
      this.dirty = false;
      this.persistedAtMs = this.now();
    } catch (err) {
      this.counters.persistFailed(err);
    }
  }

  /** Waits until wake(), stop() or `ms` passes; returns at once when a wake arrived since the last pull. */
  private async waitForWake(ms: number): Promise<void> {
    if (this.woken || this.stopCtl.signal.aborted) return;
    const ctl = new AbortController();
    this.wakeCtl = ctl;
    await this.sleep(ms, ctl.signal);
    if (this.wakeCtl === ctl) this.wakeCtl = undefined;
  }

  private paths(): { stateDir: string; sinkId: string; journalDir: string } {
    return { stateDir: this.o.stateDir, sinkId: this.o.id, journalDir: this.o.journalDir };
  }
}
