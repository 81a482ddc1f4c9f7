import protobuf from 'protobufjs';
import { compress } from 'snappyjs';
import type { PushStream } from './streams.js';

/**
 * Loki's push.proto (package logproto, loki.md §1.3) as a protobufjs JSON descriptor, so nothing is
 * parsed at runtime. Internal fields (PushRequest.format, StreamAdapter.hash, EntryAdapter.parsed)
 * are declared but never set, so they are not written.
 */
const root = protobuf.Root.fromJSON({
  nested: {
    google: { nested: { protobuf: { nested: { Timestamp: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } } } } } },
    logproto: {
      nested: {
        PushRequest: { fields: { streams: { rule: 'repeated', type: 'StreamAdapter', id: 1 }, format: { type: 'string', id: 2 } } },
        StreamAdapter: {
          fields: { labels: { type: 'string', id: 1 }, entries: { rule: 'repeated', type: 'EntryAdapter', id: 2 }, hash: { type: 'uint64', id: 3 } },
        },
        EntryAdapter: {
          fields: {
            timestamp: { type: 'google.protobuf.Timestamp', id: 1 },
            line: { type: 'string', id: 2 },
            structuredMetadata: { rule: 'repeated', type: 'LabelPairAdapter', id: 3 },
            parsed: { rule: 'repeated', type: 'LabelPairAdapter', id: 4 },
          },
        },
        LabelPairAdapter: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
      },
    },
  },
});
const PushRequest = root.lookupType('logproto.PushRequest');

/** Encodes streams as a serialized logproto.PushRequest (uncompressed); zero-valued scalars are omitted as proto3 does. */
export function encodePushRequest(streams: readonly PushStream[]): Uint8Array {
  const message = {
    streams: streams.map((s) => ({
      labels: s.key,
      entries: s.entries.map((e) => {
        const timestamp: { seconds?: number; nanos?: number } = {};
        if (e.seconds !== 0) timestamp.seconds = e.seconds;
        if (e.nanos !== 0) timestamp.nanos = e.nanos;
        const entry: { timestamp: object; line?: string; structuredMetadata: { name: string; value: string }[] } = {
          timestamp,
          structuredMetadata: e.metadata.map(([name, value]) => ({ name, value })),
        };
        if (e.line !== '') entry.line = e.line;
        return entry;
      }),
    })),
  };
  return PushRequest.encode(message).finish();
}

/** Encodes streams as Loki's protobuf push body: the PushRequest in snappy block format (not framed). */
export function encodeProtobuf(streams: readonly PushStream[]): Uint8Array {
  return compress(encodePushRequest(streams));
}

/** Decodes a serialized PushRequest (for tests and tools). */
export function decodePushRequest(bytes: Uint8Array): unknown {
  return PushRequest.toObject(PushRequest.decode(bytes), { longs: Number, defaults: true });
}
