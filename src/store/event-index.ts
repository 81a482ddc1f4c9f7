/**
 * The embedded index: a DuckDB file rebuilt from, and following, the journal.
 *
 *   journal seq:  1 ........................ N          (source of truth)
 *   index rows:   1 ............ max(seq)                (cursor = max(seq) in the index itself,
 *                                                         so rows and cursor can never disagree)
 *
 * Only one process may open the file (DuckDB locks it): the daemon when it runs, else the CLI.
 */
import { DuckDBInstance, timestampValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { readEntriesAt, readJournalLocated, type LocatedEntry } from '../journal/reader.js';
import { COLUMNS, CREATE_TABLES, INDEX_VERSION, rowOf } from './schema.js';
import { checkLink, GENESIS_HASH, type ChainBreak } from '../core/chain/entry.js';
import { readAnchor } from '../journal/retention.js';

export interface IndexOptions {
  /** DuckDB memory_limit, e.g. '96MB'. */
  readonly memoryLimit: string;
  readonly threads: number;
}

/** Keeps the daemon light (target: < 150 MB RSS); queries spill to disk instead of growing. */
export const DEFAULT_INDEX_OPTIONS: IndexOptions = { memoryLimit: '96MB', threads: 2 };

const BATCH = 5000;

export class EventIndex {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    /** The journal this index follows; rows point into its segments. */
    readonly journalDir: string,
    private cursor: number,
    private brokenAt: ChainBreak | undefined,
  ) {}

  /** Opens (or creates) the index file; an index of another layout version is emptied for a rebuild. */
  static async open(path: string, journalDir: string, options: IndexOptions = DEFAULT_INDEX_OPTIONS): Promise<EventIndex> {
    const instance = await DuckDBInstance.create(path, {
      memory_limit: options.memoryLimit,
      threads: String(options.threads),
      preserve_insertion_order: 'false',
    });
    const connection = await instance.connect();
    await connection.run(CREATE_TABLES);
    const version = await scalar(connection, `SELECT value FROM meta WHERE key = 'version'`);
    if (version !== null && Number(version) !== INDEX_VERSION) {
      // Another layout: start over (the journal rebuilds it).
      await connection.run('DROP TABLE IF EXISTS events; DROP TABLE IF EXISTS sessions;');
      await connection.run(CREATE_TABLES);
    }
    await connection.run(`INSERT OR REPLACE INTO meta VALUES ('version', '${INDEX_VERSION}')`);
    const max = await scalar(connection, 'SELECT max(seq) FROM events');
    const broken = await scalar(connection, `SELECT value FROM meta WHERE key = 'chain_break'`);
    return new EventIndex(instance, connection, journalDir, max === null ? 0 : Number(max), broken === null ? undefined : (JSON.parse(String(broken)) as ChainBreak));
  }

  /** The highest journal seq in the index. */
  get lastSeq(): number {
    return this.cursor;
  }

  /** The first broken link the index saw while reading the journal, if any. */
  get chainBreak(): ChainBreak | undefined {
    return this.brokenAt;
  }

  /**
   * Indexes journal entries after the cursor, verifying the hash chain as it reads (each line's
   * hash on its own bytes, and its link to the previous entry); returns how many were added. A
   * broken link is recorded (meta `chain_break`, `status`) and indexing goes on: the index serves
   * forensics, and `agenttrail verify` names the break.
   */
  async catchUp(onProgress?: (seq: number) => void): Promise<number> {
    let added = 0;
    let batch: LocatedEntry[] = [];
    let link = await this.linkBefore(this.cursor);
    for (const entry of readJournalLocated(this.journalDir, this.cursor + 1)) {
      if (!this.brokenAt) {
        const { seq, prev, hash } = entry.entry;
        const problem = checkLink(entry.entry, link?.hash ?? prev, link ? link.seq + 1 : seq, entry.line);
        if (problem) await this.recordBreak(problem);
        link = { seq, hash };
      }
      batch.push(entry);
      if (batch.length >= BATCH) {
        added += await this.append(batch);
        batch = [];
        onProgress?.(this.cursor);
      }
    }
    if (batch.length) added += await this.append(batch);
    onProgress?.(this.cursor);
    return added;
  }

  /** The entry the next one must link to: the indexed row at `seq`, or the retention anchor, or genesis. */
  private async linkBefore(seq: number): Promise<{ seq: number; hash: string } | undefined> {
    if (seq === 0) {
      const anchor = readAnchor(this.journalDir);
      return anchor ? { seq: anchor.seq, hash: anchor.hash } : { seq: 0, hash: GENESIS_HASH };
    }
    const hash = await scalar(this.connection, `SELECT hash FROM events WHERE seq = ${Math.floor(seq)}`);
    return hash === null ? undefined : { seq, hash: String(hash) };
  }

  private async recordBreak(problem: ChainBreak): Promise<void> {
    this.brokenAt = problem;
    await this.connection.run(`INSERT OR REPLACE INTO meta VALUES ('chain_break', $1)`, [JSON.stringify(problem)]);
  }

  /** Drops rows of journal entries that retention removed (seq ≤ throughSeq). */
  async forget(throughSeq: number): Promise<void> {
    const seq = Math.floor(throughSeq);
    await this.connection.run(`DELETE FROM events WHERE seq <= ${seq}; DELETE FROM sessions WHERE last_seq <= ${seq}; UPDATE sessions SET first_seq = ${seq + 1} WHERE first_seq <= ${seq};`);
  }

  /** Empties the index so the next catchUp rebuilds it from the start of the journal. */
  async reset(): Promise<void> {
    await this.connection.run(`DELETE FROM events; DELETE FROM sessions; DELETE FROM meta WHERE key = 'chain_break'; CHECKPOINT;`);
    this.cursor = 0;
    this.brokenAt = undefined;
  }

  /** Indexes freshly committed entries; if they do not continue the cursor, reads the gap from the journal. */
  async follow(entries: readonly LocatedEntry[]): Promise<number> {
    let expected = this.cursor + 1;
    for (const { entry } of entries) {
      if (entry.seq < expected) continue;
      if (entry.seq !== expected) return this.catchUp();
      expected++;
    }
    return this.append(entries);
  }

  /** Appends entries that follow the cursor (older ones are skipped: appends are idempotent). */
  async append(entries: readonly LocatedEntry[]): Promise<number> {
    const fresh = entries.filter((e) => e.entry.seq > this.cursor);
    if (fresh.length === 0) return 0;
    const appender = await this.connection.createAppender('events');
    try {
      for (const entry of fresh) appendRow(appender, entry);
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await this.connection.run(
      `INSERT INTO sessions SELECT session_id, min(seq), max(seq) FROM events WHERE seq > ${this.cursor} AND session_id IS NOT NULL GROUP BY session_id
       ON CONFLICT DO UPDATE SET first_seq = least(sessions.first_seq, excluded.first_seq), last_seq = greatest(sessions.last_seq, excluded.last_seq)`,
    );
    this.cursor = fresh.at(-1)!.entry.seq;
    return fresh.length;
  }

  /** Reads the full entries (with `raw`) for index rows, from the journal. */
  readRaw(locations: readonly { segment: string; offset: number; length: number }[]): unknown[] {
    return readEntriesAt(this.journalDir, locations).map((e) => e?.event.raw ?? null);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function appendRow(appender: DuckDBAppender, { entry, location }: LocatedEntry): void {
  const row = rowOf(entry, location);
  for (const column of COLUMNS) {
    const value = row[column];
    if (value === null || value === undefined) appender.appendNull();
    else if (column === 'seq' || column === 'line_offset') appender.appendBigInt(BigInt(value as number));
    else if (column === 'line_length') appender.appendInteger(value as number);
    else if (column === 'ts') appender.appendTimestamp(timestampValue(BigInt(Date.parse(value as string)) * 1000n));
    else if (typeof value === 'boolean') appender.appendBoolean(value);
    else if (typeof value === 'number') appender.appendDouble(value);
    else appender.appendVarchar(value);
  }
  appender.endRow();
}

async function scalar(connection: DuckDBConnection, sql: string): Promise<unknown> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowsJS()[0]?.[0] ?? null;
}
