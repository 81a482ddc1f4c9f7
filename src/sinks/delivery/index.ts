/** Shared delivery for every sink: cursors, batching, retries with backoff, drop accounting. */
export { createDeliveryRunner, type DeliveryRunner, type DeliveryRunnerOptions } from './runner.js';
export type { DeliveryStats } from './stats.js';
export type { BatchConfig, Sink } from './sink.js';
export { readCursor, writeCursor, START_CURSOR, type Cursor, type StartPosition } from './cursor.js';
export {
  PermanentError,
  RetryableError,
  backoffDelayMs,
  classifyError,
  errorForHttpStatus,
  parseRetryAfter,
  sleep,
  type Classification,
  type RetryPolicy,
  type Sleep,
} from './retry.js';
export { httpPost, type FetchLike, type HttpPostOptions } from './http.js';
