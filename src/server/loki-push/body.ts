/**
 * Loki's ParseLokiRequest (loki.md §1.1): Content-Encoding, then Content-Type routing (exactly
 * `application/json` → JSON, anything else → snappy protobuf), decompression within the size
 * limits (413), then every stream's labels parsed (400 `couldn't parse labels: ...`), given a
 * discovered `service_name` and re-rendered in canonical form.
 */
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { decodeJsonPush } from './decode-json.js';
import { decodeProtobufPush } from './decode-protobuf.js';
import { goQuote, humanizeBytes } from './go-format.js';
import { compareBytes, parseLabels, renderLabels } from './labels.js';
import { parseMediaType } from './media-type.js';
import { badRequest, type Decoded, type RawPush, type RawStream } from './raw-push.js';

/** Loki's default discover_service_name list (loki.md §2). */
export const DISCOVER_SERVICE_NAME = [
  'service', 'app', 'application', 'app_name', 'name', 'app_kubernetes_io_name', 'container', 'container_name',
  'k8s_container_name', 'component', 'workload', 'job', 'k8s_job_name',
] as const;

/** What the body decoding needs to know. */
export interface BodySettings {
  /** Cap on the decompressed body (Loki: max_decompressed_size). */
  readonly maxDecompressedBytes: number;
  /** Labels tried in turn for a missing `service_name`; empty turns discovery off. */
  readonly discoverServiceName: readonly string[];
}

// pkg/loghttp/push/push.go maxStreamLabelsSize.
const MAX_STREAM_LABELS_BYTES = 1 << 24;
const INTERNAL_LABELS = ['__aggregated_metric__', '__pattern__'];

/** Decodes a push body as Loki does, up to (not including) the distributor's validation. */
export function decodePushBody(contentType: string, contentEncoding: string, body: Buffer, s: BodySettings): Decoded {
  if (!['', 'snappy', 'gzip', 'deflate'].includes(contentEncoding)) return badRequest(`Content-Encoding ${goQuote(contentEncoding)} not supported`);
  if (contentEncoding === 'gzip' && !(body[0] === 0x1f && body[1] === 0x8b)) return badRequest(body.length === 0 ? 'EOF' : 'gzip: invalid header');
  const media = parseMediaType(contentType);
  if ('error' in media) return badRequest(media.error);
  let plain = body;
  if (contentEncoding === 'gzip' || contentEncoding === 'deflate') {
    try {
      const inflate = contentEncoding === 'gzip' ? gunzipSync : inflateRawSync;
      plain = inflate(body, { maxOutputLength: s.maxDecompressedBytes });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        return { failure: { status: 413, message: `request body too large: decompressed message size too large than max (${s.maxDecompressedBytes + 1} vs ${s.maxDecompressedBytes})` } };
      }
      return badRequest(`${contentEncoding === 'gzip' ? 'gzip' : 'flate'}: ${(err as Error).message}`);
    }
  }
  const decoded = media.mediaType === 'application/json' ? decodeJsonPush(plain) : decodeProtobufPush(plain, s.maxDecompressedBytes);
  return 'push' in decoded ? normalizeStreams(decoded.push, s.discoverServiceName) : decoded;
}

/** Parses each stream's labels, adds the discovered service_name, and re-renders them canonically. */
export function normalizeStreams(push: RawPush, discover: readonly string[]): Decoded {
  const streams: RawStream[] = [];
  for (const stream of push.streams) {
    const size = Buffer.byteLength(stream.labels);
    if (size > MAX_STREAM_LABELS_BYTES) {
      const message = `request body too large: stream labels size ${humanizeBytes(size)} exceeds limit of ${humanizeBytes(MAX_STREAM_LABELS_BYTES)}`;
      return { failure: { status: 413, message } };
    }
    const parsed = parseLabels(stream.labels);
    if ('error' in parsed) return badRequest(`couldn't parse labels: ${parsed.error}`);
    let labels = [...parsed.labels];
    const has = (name: string): boolean => labels.some(([n]) => n === name);
    if (!has('service_name') && discover.length > 0 && !INTERNAL_LABELS.some(has)) {
      const found = discover.map((name) => labels.find(([n]) => n === name)?.[1] ?? '').find((v) => v !== '');
      labels = [...labels, ['service_name', found ?? 'unknown_service'] as const].sort((a, b) => compareBytes(a[0], b[0]));
    }
    streams.push({ labels: renderLabels(labels), entries: stream.entries });
  }
  return { push: { streams } };
}
