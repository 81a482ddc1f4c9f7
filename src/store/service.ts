import type { ChainBreak } from '../core/chain/entry.js';
import type { LocatedEntry } from '../journal/reader.js';
import type { EventIndex } from './event-index.js';
import { aggregate, listEvents, listSessions, sessionEvents, type AggregateKey, type AggregateRow, type EventFilter, type EventPage, type Interval, type PageOptions, type SessionSummary, type StoredEvent } from './queries.js';

/** The questions people ask of the store; served locally (DuckDB) or through the daemon's API. */
export interface QueryService {
  events(filter: EventFilter, page: PageOptions): Promise<EventPage>;
  sessions(filter: EventFilter, limit: number): Promise<SessionSummary[]>;
  /** Every event of one session in time order; empty when the id (or prefix) matches none or several. */
  session(id: string): Promise<StoredEvent[]>;
  aggregate(filter: EventFilter, by: AggregateKey, interval: Interval): Promise<AggregateRow[]>;
}

/** An open index behind a queue: a DuckDB connection runs one statement at a time. */
export interface LocalStore extends QueryService {
  /** Indexes entries the journal just committed (reading any gap from the journal). */
  follow(entries: readonly LocatedEntry[]): Promise<number>;
  /** Indexes whatever the journal holds past the index's cursor. */
  catchUp(onProgress?: (seq: number) => void): Promise<number>;
  /** The highest seq in the index (entries still buffered by follow() are not counted). */
  readonly lastSeq: number;
  /** The first broken hash-chain link seen while indexing the journal, if any. */
  readonly chainBreak: ChainBreak | undefined;
  /** Appends whatever follow() has buffered. */
  sync(): Promise<void>;
  /** Drops rows of entries retention removed from the journal. */
  forget(throughSeq: number): Promise<void>;
  /** Empties the index and rebuilds it from the journal. */
  rebuild(onProgress?: (seq: number) => void): Promise<number>;
  close(): Promise<void>;
}

/** Committed entries are indexed in batches of up to this many, or after FOLLOW_DELAY_MS (well inside the 1 s hook-to-queryable budget). */
const FOLLOW_BATCH = 5000;
const FOLLOW_DELAY_MS = 500;

/**
 * Wraps an open index into a LocalStore. Entries the journal commits are buffered and appended in
 * batches: one DuckDB append per journal batch (often a single event) cost more than the append
 * itself (bench/store.ts). Every query first appends what is buffered, so answers are never stale.
 */
export function createLocalStore(index: EventIndex): LocalStore {
  let queue: Promise<unknown> = Promise.resolve();
  let buffered: LocatedEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  const run = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  const flush = (): Promise<number> => {
    clearTimeout(timer);
    timer = undefined;
    const batch = buffered;
    buffered = [];
    return batch.length ? run(() => index.follow(batch)) : Promise.resolve(0);
  };
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    if (buffered.length) void flush().catch(() => undefined);
    return run(fn);
  };
  const c = index.connection;
  const readRaw = (locations: Parameters<EventIndex['readRaw']>[0]) => index.readRaw(locations);
  return {
    events: (f, p) => serial(() => listEvents(c, readRaw, f, p)),
    sessions: (f, limit) => serial(() => listSessions(c, f, limit)),
    session: (id) => serial(() => sessionEvents(c, readRaw, id)),
    aggregate: (f, by, interval) => serial(() => aggregate(c, f, by, interval)),
    follow: (entries) => {
      buffered.push(...entries);
      if (buffered.length >= FOLLOW_BATCH) return flush();
      timer ??= setTimeout(() => void flush().catch(() => undefined), FOLLOW_DELAY_MS);
      return Promise.resolve(0);
    },
    catchUp: (onProgress) => serial(() => index.catchUp(onProgress)),
    get lastSeq() {
      return index.lastSeq;
    },
    get chainBreak() {
      return index.chainBreak;
    },
    sync: () => flush().then(() => run(async () => undefined)),
    forget: (seq) => serial(() => index.forget(seq)),
    rebuild: (onProgress) =>
      serial(async () => {
        await index.reset();
        return index.catchUp(onProgress);
      }),
    close: () => serial(async () => index.close()),
  };
}
