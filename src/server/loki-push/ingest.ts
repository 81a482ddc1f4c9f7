/**
 * One push request from body bytes to Loki's answer and the LokiPush to keep: decode (body.ts),
 * validate (validate.ts), then Loki's partial semantics — whatever validated is kept even when the
 * answer is 400; a request with no streams at all is 422; nothing is kept on 4xx decode errors or 500.
 */
import type { LokiPush, LokiPushStream } from '../../core/event/from-loki.js';
import { decodePushBody, DISCOVER_SERVICE_NAME } from './body.js';
import type { PushFailure } from './raw-push.js';
import { DEFAULT_LOKI_LIMITS, groupErrors, validatePush, type LokiLimits, type ValidStream } from './validate.js';

/** Limits and knobs of the endpoint; every field defaults to Loki's (or, for sizes, our safer) value. */
export interface IngestSettings {
  readonly limits: LokiLimits;
  readonly maxDecompressedBytes: number;
  readonly discoverServiceName: readonly string[];
}

/** Defaults: Loki's limits and service_name discovery; 32 MiB decompressed (Loki allows 5000 MiB; a spool record must stay under 256 MiB even when JSON escaping inflates lines 6x). */
export const DEFAULT_INGEST_SETTINGS: IngestSettings = {
  limits: DEFAULT_LOKI_LIMITS,
  maxDecompressedBytes: 32 * 1024 * 1024,
  discoverServiceName: DISCOVER_SERVICE_NAME,
};

/** A request as the ingest step sees it. */
export interface PushRequestInput {
  readonly contentType: string;
  readonly contentEncoding: string;
  readonly body: Buffer;
  readonly tenant: string;
  readonly remote: string;
  readonly nowMs: number;
}

/** The answer (204, or an error status and Loki's text) and what to keep, if anything. */
export interface PushOutcome {
  readonly status: number;
  readonly message?: string;
  readonly push?: LokiPush;
}

const MISSING_STREAMS: PushFailure = { status: 422, message: 'error at least one valid stream is required for ingestion' };

/** Decodes and validates one push request; pure apart from the decompression it does in memory. */
export function ingestPush(input: PushRequestInput, s: IngestSettings = DEFAULT_INGEST_SETTINGS): PushOutcome {
  const decoded = decodePushBody(input.contentType, input.contentEncoding, input.body, s);
  if ('failure' in decoded) return decoded.failure;
  if (decoded.push.streams.length === 0) return MISSING_STREAMS;
  const checked = validatePush(decoded.push, input.nowMs, s.limits);
  if (checked.fatal) return checked.fatal;
  const push: LokiPush | undefined =
    checked.streams.length === 0
      ? undefined
      : { tenant: input.tenant, receivedAtMs: input.nowMs, remote: input.remote, streams: checked.streams.map(toPushStream) };
  if (checked.errors.length > 0) return { status: 400, message: groupErrors(checked.errors), push };
  return { status: 204, push };
}

function toPushStream(stream: ValidStream): LokiPushStream {
  return {
    labels: Object.fromEntries(stream.labels),
    entries: stream.entries.map((e) => ({ tsNs: e.tsNs.toString(), line: e.line, metadata: Object.fromEntries(e.metadata) })),
  };
}
