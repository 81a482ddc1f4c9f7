/**
 * The JSON push body (loki.md §1.2): `{"streams":[{"stream":{...},"values":[[ts, line, {sm}?], ...]}]}`.
 * Follows Loki's decoder: timestamps are strings of int64 nanoseconds, lines are strings, structured
 * metadata is an object of strings, `null` entries are skipped, extra entry elements are ignored,
 * non-string label values are kept as their JSON text. The stream object becomes a label string the
 * way Loki's LabelSet.String() renders it, so a bad label name fails later, in label parsing, as in Loki.
 */
import { renderLabelSet } from './labels.js';
import { badRequest, ZERO_TIME_NS, type Decoded, type RawEntry, type RawStream } from './raw-push.js';

// jsonparser's error texts, which Loki returns for malformed entries.
const NOT_A_STRING = 'Value is string, but can\'t find closing \'"\' symbol';
const NOT_AN_OBJECT = "Value looks like object, but can't find closing '}' symbol";
const NOT_A_NUMBER = "Value looks like Number/Boolean/None, but can't find its end: ',' or '}' symbol";
const OVERFLOW = 'Value is number, but overflowed while parsing';
const INT64_MAX = 9223372036854775807n;

class DecodeError extends Error {}
const fail = (message: string): never => {
  throw new DecodeError(message);
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Decodes a JSON push body (already decompressed). */
export function decodeJsonPush(body: Buffer): Decoded {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch (err) {
    return badRequest(`loghttp.PushRequest: ${(err as Error).message}`);
  }
  try {
    if (doc !== null && !isObject(doc)) fail('loghttp.PushRequest: readObjectStart: expect { or n');
    const streams = (doc as Record<string, unknown> | null)?.streams ?? null;
    if (streams !== null && !Array.isArray(streams)) fail('loghttp.PushRequest.Streams: decode slice: expect [ or n');
    return { push: { streams: ((streams ?? []) as unknown[]).map(decodeStream) } };
  } catch (err) {
    if (err instanceof DecodeError) return badRequest(err.message);
    throw err;
  }
}

function decodeStream(value: unknown): RawStream {
  if (!isObject(value)) return fail('loghttp.Stream: expect { for object');
  const set = new Map<string, string>();
  const labels = value.stream ?? null;
  if (labels !== null && !isObject(labels)) fail(NOT_AN_OBJECT);
  for (const [name, v] of Object.entries((labels ?? {}) as Record<string, unknown>)) {
    set.set(name, typeof v === 'string' ? v : JSON.stringify(v));
  }
  const values = value.values ?? null;
  if (values !== null && !Array.isArray(values)) fail('Value is array, but can\'t find closing \']\' symbol');
  const entries: RawEntry[] = [];
  for (const item of (values ?? []) as unknown[]) {
    if (item === null) continue;
    entries.push(decodeEntry(item));
  }
  return { labels: renderLabelSet(set), entries };
}

function decodeEntry(item: unknown): RawEntry {
  if (!Array.isArray(item)) return fail('Value is array, but can\'t find closing \']\' symbol');
  const [ts, line, metadata] = item as unknown[];
  if (ts !== undefined && typeof ts !== 'string') fail(NOT_A_STRING);
  if (line !== undefined && typeof line !== 'string') fail(NOT_A_STRING);
  const pairs: [string, string][] = [];
  if (metadata !== undefined) {
    if (!isObject(metadata)) fail(NOT_AN_OBJECT);
    for (const [name, v] of Object.entries(metadata as Record<string, unknown>)) {
      if (typeof v !== 'string') fail(NOT_A_STRING);
      pairs.push([name, v as string]);
    }
  }
  const text = (line as string | undefined) ?? '';
  return { tsNs: ts === undefined ? ZERO_TIME_NS : parseNanos(ts as string), line: text, lineBytes: Buffer.byteLength(text), metadata: pairs };
}

/** jsonparser.ParseInt: an optional `-` and decimal digits, within int64. */
function parseNanos(text: string): bigint {
  if (!/^-?\d*$/.test(text) || text === '') return fail(NOT_A_NUMBER);
  const negative = text.startsWith('-');
  const magnitude = BigInt(negative ? text.slice(1) || '0' : text);
  if (magnitude > INT64_MAX) return fail(OVERFLOW);
  return negative ? -magnitude : magnitude;
}
