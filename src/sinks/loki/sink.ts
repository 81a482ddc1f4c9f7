import type { JournalEntry } from '../../core/chain/entry.js';
import type { Sink } from '../delivery/index.js';
import type { Pusher } from './send.js';
import { buildPush, type PushSettings } from './streams.js';

/** Entries a Loki sink consumed without sending, by reason, and lines it shortened. */
export interface LokiEntryStats {
  /** invalid_timestamp, too_old, too_new, line_too_long, request_too_large. */
  readonly rejected: Readonly<Record<string, number>>;
  readonly truncated: number;
}

/** A delivery Sink for one Loki endpoint, plus its own counters. */
export interface LokiSink extends Sink {
  entryStats(): LokiEntryStats;
}

// One log line per rejection reason per minute, as the runner does for drops.
const LOG_INTERVAL_MS = 60_000;

/**
 * Creates the sink: each attempt builds the push afresh from the batch (the time window is checked
 * at send time, so a long outage ages entries out instead of earning a 400) and pushes it. The
 * per-entry bytes never change between attempts, so Loki deduplicates what a retry repeats.
 * Rejections are counted only once an attempt ends for good, so retries do not count twice.
 */
export function createLokiSink(id: string, pusher: Pusher, settings: PushSettings, now: () => number, log: (m: string) => void): LokiSink {
  const rejected = new Map<string, { count: number; loggedAtMs: number }>();
  let truncated = 0;
  const count = (reason: string, n: number): void => {
    if (n <= 0) return;
    const r = rejected.get(reason) ?? { count: 0, loggedAtMs: -Infinity };
    r.count += n;
    rejected.set(reason, r);
    if (now() - r.loggedAtMs < LOG_INTERVAL_MS) return;
    r.loggedAtMs = now();
    log(`Sink ${id} did not send ${n} entries (${reason}${HINTS[reason] ?? ''}); ${r.count} so far.`);
  };
  return {
    async send(batch: readonly JournalEntry[], signal: AbortSignal): Promise<void> {
      const built = buildPush(batch, settings, now());
      const { tooLarge } = built.entries > 0 ? await pusher.push(built.streams, signal) : { tooLarge: 0 };
      for (const [reason, n] of Object.entries(built.rejected)) count(reason, n);
      count('request_too_large', tooLarge);
      truncated += built.truncated;
    },
    async close(): Promise<void> {
      pusher.close();
    },
    entryStats: () => ({ rejected: Object.fromEntries([...rejected].map(([reason, r]) => [reason, r.count])), truncated }),
  };
}

const HINTS: Record<string, string> = {
  too_old: `: older than Loki's reject_old_samples_max_age (maxAgeMs)`,
  too_new: `: further in the future than Loki's creation_grace_period (maxFutureMs); check the clock`,
  invalid_timestamp: ': the event has no ISO 8601 timestamp',
  line_too_long: ': even shortened, the line exceeds maxLineBytes',
  request_too_large: ': Loki answered 413 to a push of this entry alone',
};
