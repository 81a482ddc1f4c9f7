import { messageOf } from '../../errors.js';
import { START_CURSOR, type Cursor } from './cursor.js';

/** A runner's counters, as reported by stats(). */
export interface DeliveryStats {
  readonly id: string;
  readonly state: 'new' | 'running' | 'retrying' | 'stopped';
  /** Entries the sink accepted. */
  readonly delivered: number;
  readonly batches: number;
  /** Entries the filter skipped. */
  readonly filtered: number;
  /** Entries given up on, by reason (`http_400`, `retries_exhausted`, `encode`, `pruned_before_delivery`…). */
  readonly dropped: Readonly<Record<string, number>>;
  /** Sends repeated after a retryable error. */
  readonly retries: number;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  /** Times the cursor was reset because it did not belong to the journal's chain. */
  readonly chainResets: number;
  readonly cursor: Cursor;
  /** Entries known to be committed past the cursor (from wake(headSeq) and reads). */
  readonly lag: number;
}

// A sink that rejects every batch must not flood the log: one line per drop reason per minute.
const DROP_LOG_INTERVAL_MS = 60_000;

/** Counts what a runner does and logs only state changes (failing → recovered, drops, resets). */
export class DeliveryCounters {
  state: DeliveryStats['state'] = 'new';
  cursor: Cursor = START_CURSOR;
  filtered = 0;
  private delivered = 0;
  private batches = 0;
  private retries = 0;
  private chainResets = 0;
  private headSeq = 0;
  private readonly drops = new Map<string, { count: number; loggedAtMs: number }>();
  private lastError: { message: string; atMs: number } | undefined;
  private failing = false;
  private readFailing = false;

  constructor(private readonly id: string, private readonly log: (message: string) => void, private readonly now: () => number) {}

  /** Notes that the journal holds at least `seq`. */
  seen(seq: number): void {
    if (seq > this.headSeq) this.headSeq = seq;
  }

  sent(entries: number, retries: number): void {
    this.delivered += entries;
    this.batches++;
    if (this.state === 'retrying') this.state = 'running';
    if (this.failing && retries > 0) this.log(`Sink ${this.id} is delivering again after ${retries} retries.`);
    this.failing = false;
  }

  retrying(err: unknown, entries: number, delayMs: number): void {
    this.retries++;
    this.noteError(err);
    if (this.state === 'running') this.state = 'retrying';
    if (!this.failing) this.log(`Sink ${this.id} could not deliver ${entries} entries and will retry in ${delayMs} ms: ${messageOf(err)}`);
    this.failing = true;
  }

  dropped(reason: string, entries: number, why: string): void {
    const d = this.drops.get(reason) ?? { count: 0, loggedAtMs: -Infinity };
    d.count += entries;
    this.drops.set(reason, d);
    if (reason !== 'pruned_before_delivery') this.noteError(why);
    if (this.state === 'retrying') this.state = 'running';
    this.failing = false;
    if (this.now() - d.loggedAtMs < DROP_LOG_INTERVAL_MS) return;
    d.loggedAtMs = this.now();
    this.log(`Sink ${this.id} dropped ${entries} entries (${reason}: ${why}); ${d.count} dropped for this reason so far.`);
  }

  chainReset(problem: string, cursor: Cursor): void {
    this.chainResets++;
    this.noteError(problem);
    this.log(`Sink ${this.id}: ${problem}; it restarts after entry ${cursor.seq}.`);
  }

  readFailed(err: unknown): void {
    if (!this.readFailing) this.log(`Sink ${this.id} could not read the journal and will retry: ${messageOf(err)}`);
    this.readFailing = true;
    this.noteError(err);
  }

  readOk(): void {
    if (this.readFailing) this.log(`Sink ${this.id} can read the journal again.`);
    this.readFailing = false;
  }

  persistFailed(err: unknown): void {
    if (this.lastError?.message !== messageOf(err)) this.log(`Sink ${this.id} could not save its cursor: ${messageOf(err)}`);
    this.noteError(err);
  }

  snapshot(): DeliveryStats {
    return {
      id: this.id,
      state: this.state,
      delivered: this.delivered,
      batches: this.batches,
      filtered: this.filtered,
      dropped: Object.fromEntries([...this.drops].map(([reason, d]) => [reason, d.count])),
      retries: this.retries,
      lastError: this.lastError?.message ?? null,
      lastErrorAt: this.lastError ? new Date(this.lastError.atMs).toISOString() : null,
      chainResets: this.chainResets,
      cursor: this.cursor,
      lag: Math.max(0, this.headSeq - this.cursor.seq),
    };
  }

  private noteError(err: unknown): void {
    this.lastError = { message: messageOf(err), atMs: this.now() };
  }
}
