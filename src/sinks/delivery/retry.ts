/**
 * Retry classification and backoff for sinks (style.md 8.8): 429, 5xx, connection errors and
 * timeouts are retried with capped exponential backoff and full jitter, never sooner than the
 * server's Retry-After; other 4xx and encode errors are permanent and end in a counted drop.
 */

/** A failure that will not go away by retrying (other 4xx, an unencodable batch); the batch is dropped. */
export class PermanentError extends Error {
  readonly code = 'SINK_PERMANENT';
  /** Short drop reason used for accounting, e.g. `http_400` or `encode`. */
  readonly reason: string;

  constructor(message: string, reason = 'permanent', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentError';
    this.reason = reason;
  }
}

/** A failure worth retrying (429, 5xx, connection error, timeout), optionally not before `retryAfterMs`. */
export class RetryableError extends Error {
  readonly code = 'SINK_RETRYABLE';

  constructor(message: string, readonly retryAfterMs?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryableError';
  }
}

/** How the runner treats a failed send. */
export type Classification =
  | { readonly kind: 'permanent'; readonly reason: string }
  | { readonly kind: 'retryable'; readonly retryAfterMs?: number };

/** Classifies a thrown value; anything that is not a PermanentError (fetch's network errors included) is retryable. */
export function classifyError(err: unknown): Classification {
  if (err instanceof PermanentError) return { kind: 'permanent', reason: err.reason };
  if (err instanceof RetryableError && err.retryAfterMs !== undefined) return { kind: 'retryable', retryAfterMs: err.retryAfterMs };
  return { kind: 'retryable' };
}

/** Backoff settings: `maxAttempts` undefined means retryable errors are retried forever. */
export interface RetryPolicy {
  readonly baseMs: number;
  readonly capMs: number;
  readonly maxAttempts?: number;
}

// A hostile or broken server must not park a sink for days with `Retry-After: 99999999`.
const MAX_RETRY_AFTER_MS = 15 * 60_000;

/** Parses a Retry-After header (delta-seconds or HTTP-date) into milliseconds from `nowMs`, or undefined. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  // An HTTP-date always names a weekday and month; this keeps Date.parse from reading '-5' as a year.
  const at = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - nowMs), MAX_RETRY_AFTER_MS);
}

/** Returns the wait before retry number `attempt` (0-based): random(0, min(cap, base·2^attempt)), never below Retry-After. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 52));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}

/** Waits `ms`, or less when `signal` aborts; it never rejects. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real Sleep, on setTimeout. */
export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Statuses that mean "the destination is misconfigured or refusing us" rather than "this batch is bad":
 * an expired token, a moved URL, a proxy redirect. Dropping batches on them would silently lose every
 * alert until someone noticed; the journal is the buffer, so they are retried (with the capped backoff).
 */
const FIXABLE_STATUSES = new Set([401, 403, 404, 407, 421]);

/** Returns the error for an HTTP status: undefined for 2xx, RetryableError for 408/429/5xx, auth and 3xx, PermanentError otherwise. */
export function errorForHttpStatus(status: number, retryAfter: string | null, nowMs: number, what = 'Request'): Error | undefined {
  if (status >= 200 && status < 300) return undefined;
  const message = `${what} failed with HTTP ${status}.`;
  if (status === 408 || status === 429 || status >= 500) return new RetryableError(message, parseRetryAfter(retryAfter, nowMs));
  if (FIXABLE_STATUSES.has(status) || (status >= 300 && status < 400)) return new RetryableError(`${message} Check the destination's URL and credentials; retrying.`);
  return new PermanentError(message, `http_${status}`);
}
