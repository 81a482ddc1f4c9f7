/** A push request as decoded from the wire, before Loki's label handling and validation (logproto.PushRequest). */

/** One entry: its timestamp in nanoseconds, its line and the line's size in bytes, its structured metadata. */
export interface RawEntry {
  readonly tsNs: bigint;
  readonly line: string;
  readonly lineBytes: number;
  readonly metadata: readonly (readonly [string, string])[];
}

/** One stream: its label string (`{a="b"}`) and entries. */
export interface RawStream {
  readonly labels: string;
  readonly entries: readonly RawEntry[];
}

/** A decoded push request. */
export interface RawPush {
  readonly streams: readonly RawStream[];
}

/** What went wrong, as Loki would answer it: an HTTP status and the error text. */
export interface PushFailure {
  readonly status: number;
  readonly message: string;
}

/** A decoded push or the failure to answer with. */
export type Decoded = { readonly push: RawPush } | { readonly failure: PushFailure };

/** A 400 failure with Loki's text. */
export const badRequest = (message: string): { readonly failure: PushFailure } => ({ failure: { status: 400, message } });

/** Go's zero time.Time (0001-01-01T00:00:00Z) in nanoseconds: the timestamp of an entry that carries none. */
export const ZERO_TIME_NS = -62_135_596_800n * 1_000_000_000n;
