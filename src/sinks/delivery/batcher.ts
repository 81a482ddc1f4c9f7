import type { JournalEntry } from '../../core/chain/entry.js';
import type { Cursor } from './cursor.js';
import type { BatchConfig } from './sink.js';
import type { JournalTail } from './tail.js';

/** What collectBatch needs from its runner. */
export interface CollectContext {
  readonly tail: JournalTail;
  readonly batch: BatchConfig;
  /** Decides whether a consumed entry goes into the batch (the filter); called once per entry. */
  accepts(entry: JournalEntry): boolean;
  /** Sees every entry offered, consumed or not (for lag). */
  seen(seq: number): void;
  now(): number;
  stopped(): boolean;
  /** Called before each pass over the journal (clears a pending wake). */
  beforePull(): void;
  /** Waits up to `ms` for a wake(); resolves early on wake or stop. */
  waitForWake(ms: number): Promise<void>;
}

/** A collected batch (possibly empty), with the position it was read through and entries found missing. */
export type Collected =
  | { readonly kind: 'batch'; readonly entries: JournalEntry[]; readonly through: Cursor; readonly missing: number }
  | { readonly kind: 'mismatch'; readonly why: string };

/** Collects up to maxEntries/maxBytes of accepted entries, waiting up to maxWaitMs after the first for the batch to fill. */
export async function collectBatch(ctx: CollectContext): Promise<Collected> {
  const { maxEntries, maxBytes, maxWaitMs } = ctx.batch;
  const entries: JournalEntry[] = [];
  let bytes = 0;
  let full = false;
  let missing = 0;
  let firstAtMs: number | undefined;
  const take = (entry: JournalEntry, size: number): boolean => {
    ctx.seen(entry.seq);
    if (entries.length >= maxEntries || (entries.length > 0 && bytes + size > maxBytes)) return !(full = true);
    if (ctx.accepts(entry)) {
      entries.push(entry);
      bytes += size;
    }
    return true;
  };
  for (;;) {
    ctx.beforePull();
    const result = ctx.tail.pull(take);
    if (result.kind === 'mismatch') return result;
    missing += result.missing;
    if (full || entries.length === 0 || ctx.stopped()) break;
    firstAtMs ??= ctx.now();
    const remainingMs = firstAtMs + maxWaitMs - ctx.now();
    if (remainingMs <= 0) break;
    await ctx.waitForWake(remainingMs);
  }
  return { kind: 'batch', entries, through: ctx.tail.position, missing };
}
