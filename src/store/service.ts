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
  readonly lastSeq: number;
  /** Drops rows of entries retention removed from the journal. */
  forget(throughSeq: number): Promise<void>;
  /** Empties the index and rebuilds it from the journal. */
  rebuild(onProgress?: (seq: number) => void): Promise<number>;
  close(): Promise<void>;
}

/** Wraps an open index into a LocalStore. */
export function createLocalStore(index: EventIndex): LocalStore {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  const c = index.connection;
  const readRaw = (locations: Parameters<EventIndex['readRaw']>[0]) => index.readRaw(locations);
  return {
    events: (f, p) => serial(() => listEvents(c, readRaw, f, p)),
    sessions: (f, limit) => serial(() => listSessions(c, f, limit)),
    session: (id) => serial(() => sessionEvents(c, readRaw, id)),
    aggregate: (f, by, interval) => serial(() => aggregate(c, f, by, interval)),
    follow: (entries) => serial(() => index.follow(entries)),
    catchUp: (onProgress) => serial(() => index.catchUp(onProgress)),
    get lastSeq() {
      return index.lastSeq;
    },
    forget: (seq) => serial(() => index.forget(seq)),
    rebuild: (onProgress) =>
      serial(async () => {
        await index.reset();
        return index.catchUp(onProgress);
      }),
    close: () => serial(async () => index.close()),
  };
}
