import type { JournalEntry } from '../../core/chain/entry.js';
import type { Classification } from './retry.js';

/**
 * A sink only knows how to send one batch (style.md 8.3); batching, retries, timeouts and cursors
 * belong to the delivery runner. `send` throws PermanentError or RetryableError (anything else counts
 * as retryable); `close` must be safe without start and safe twice.
 */
export interface Sink {
  send(batch: readonly JournalEntry[], signal: AbortSignal): Promise<void>;
  /** Overrides the default classification of what `send` throws. */
  classify?(err: unknown): Classification;
  close?(): Promise<void>;
}

/** Batch limits: a batch is sent when it holds maxEntries or maxBytes, or maxWaitMs after its first entry. */
export interface BatchConfig {
  readonly maxEntries: number;
  /** Measured on the journal lines; a single larger entry is still sent, alone. */
  readonly maxBytes: number;
  readonly maxWaitMs: number;
}
