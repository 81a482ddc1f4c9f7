/**
 * The protobuf push body (loki.md §1.3): a snappy *block* compressed `logproto.PushRequest`. The
 * snappy header's declared length is checked against the limit before anything is allocated, and
 * strings are read as bytes so that a line's size is its wire size (what Loki's limits measure) and
 * invalid UTF-8 cannot slip through the decoder.
 */
import protobuf from 'protobufjs';
import snappy from 'snappyjs';
import { badRequest, ZERO_TIME_NS, type Decoded, type RawEntry, type RawStream } from './raw-push.js';

const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });
const ROOT = protobuf.Root.fromJSON({
  nested: {
    logproto: {
      nested: {
        PushRequest: { fields: { streams: repeated('StreamAdapter', 1), format: { type: 'string', id: 2 } } },
        StreamAdapter: { fields: { labels: { type: 'bytes', id: 1 }, entries: repeated('EntryAdapter', 2), hash: { type: 'uint64', id: 3 } } },
        EntryAdapter: {
          fields: {
            timestamp: { type: 'Timestamp', id: 1 },
            line: { type: 'bytes', id: 2 },
            structuredMetadata: repeated('LabelPairAdapter', 3),
            parsed: repeated('LabelPairAdapter', 4),
          },
        },
        LabelPairAdapter: { fields: { name: { type: 'bytes', id: 1 }, value: { type: 'bytes', id: 2 } } },
        Timestamp: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
      },
    },
  },
});
const PUSH_REQUEST = ROOT.lookupType('logproto.PushRequest');

interface WireTimestamp { seconds?: number | { toString(): string }; nanos?: number }
interface WirePair { name?: Uint8Array; value?: Uint8Array }
interface WireEntry { timestamp?: WireTimestamp; line?: Uint8Array; structuredMetadata?: WirePair[] }
interface WireStream { labels?: Uint8Array; entries?: WireEntry[] }

// gogo/protobuf's valid Timestamp range: [0001-01-01, 10000-01-01).
const MIN_SECONDS = -62_135_596_800n;
const MAX_SECONDS = 253_402_300_800n;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const text = (bytes: Uint8Array | undefined): string => (bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : '');

class DecodeError extends Error {}

/** Reads snappy's block header: the uncompressed length, or undefined when the varint is malformed. */
export function snappyDecodedLength(body: Buffer): number | undefined {
  let value = 0;
  for (let i = 0, shift = 0; i < 5 && i < body.length; i++, shift += 7) {
    const b = body[i]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return value <= 0xffffffff ? value : undefined;
  }
  return undefined;
}

/** Decodes a snappy-compressed protobuf push body, refusing a declared length above `maxDecompressedBytes` with 413. */
export function decodeProtobufPush(body: Buffer, maxDecompressedBytes: number): Decoded {
  const length = snappyDecodedLength(body);
  if (length === undefined) return badRequest('snappy: corrupt input');
  if (length > maxDecompressedBytes) {
    return { failure: { status: 413, message: `request body too large: decompressed message size too large than max (${length} vs ${maxDecompressedBytes})` } };
  }
  let raw: Uint8Array;
  try {
    raw = snappy.uncompress(body, maxDecompressedBytes);
  } catch {
    return badRequest('snappy: corrupt input');
  }
  let message: { streams?: WireStream[] };
  try {
    message = PUSH_REQUEST.decode(raw) as unknown as { streams?: WireStream[] };
  } catch (err) {
    return badRequest(`proto: logproto.PushRequest: ${(err as Error).message}`);
  }
  try {
    return { push: { streams: (message.streams ?? []).map(toStream) } };
  } catch (err) {
    if (err instanceof DecodeError) return badRequest(err.message);
    throw err;
  }
}

function toStream(stream: WireStream): RawStream {
  let labels = '';
  if (stream.labels?.length) {
    try {
      labels = STRICT_UTF8.decode(stream.labels);
    } catch {
      throw new DecodeError("couldn't parse labels: invalid UTF-8 rune");
    }
  }
  return { labels, entries: (stream.entries ?? []).map(toEntry) };
}

function toEntry(entry: WireEntry): RawEntry {
  const metadata = (entry.structuredMetadata ?? []).map((pair) => [text(pair.name), text(pair.value)] as const);
  return { tsNs: timestampNs(entry.timestamp), line: text(entry.line), lineBytes: entry.line?.length ?? 0, metadata };
}

/** A Timestamp in nanoseconds, checked as gogo's types.TimestampFromProto does (an absent one is Go's zero time). */
function timestampNs(ts: WireTimestamp | undefined): bigint {
  if (!ts) return ZERO_TIME_NS;
  const seconds = BigInt(typeof ts.seconds === 'number' ? ts.seconds : (ts.seconds?.toString() ?? '0'));
  const nanos = ts.nanos ?? 0;
  const shown = `&types.Timestamp{Seconds:${seconds}, Nanos:${nanos}}`;
  if (seconds < MIN_SECONDS) throw new DecodeError(`timestamp: ${shown} before 0001-01-01`);
  if (seconds >= MAX_SECONDS) throw new DecodeError(`timestamp: ${shown} after 10000-01-01`);
  if (nanos < 0 || nanos >= 1e9) throw new DecodeError(`timestamp: ${shown}: nanos not in range [0, 1e9)`);
  return seconds * 1_000_000_000n + BigInt(nanos);
}
