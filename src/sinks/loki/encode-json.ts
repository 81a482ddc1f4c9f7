import type { PushEntry, PushStream } from './streams.js';

/** Returns a timestamp as Loki's JSON push wants it: a string of nanoseconds since the epoch (loki.md §1.2). */
export function nanosString(e: Pick<PushEntry, 'seconds' | 'nanos'>): string {
  return e.seconds === 0 ? String(e.nanos) : `${e.seconds}${String(e.nanos).padStart(9, '0')}`;
}

/**
 * Encodes streams as the JSON push body: `{"streams":[{"stream":{…},"values":[["<ns>","<line>",{…sm}]]}]}`.
 * Key order is fixed (labels sorted, metadata in configured order), so equal input gives equal bytes.
 */
export function encodeJson(streams: readonly PushStream[]): string {
  return JSON.stringify({
    streams: streams.map((s) => ({
      stream: Object.fromEntries(s.labels),
      values: s.entries.map((e) => (e.metadata.length > 0 ? [nanosString(e), e.line, Object.fromEntries(e.metadata)] : [nanosString(e), e.line])),
    })),
  });
}
