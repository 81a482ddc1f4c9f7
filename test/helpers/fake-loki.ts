/**
 * A fake Loki push endpoint on a real local HTTP(S) server. It decodes pushes the way Loki does
 * (loki.md §1.1–1.3: JSON, gzip/deflate JSON, snappy-block protobuf; Content-Type decides), checks
 * them against Loki's rules (label syntax, line size, structured metadata names, time window, empty
 * requests), stores the valid entries and answers like Loki (204; 400 with grouped messages after a
 * partial write; 401; 422; 500). Replies can be scripted: 429 with Retry-After, 5xx, slow answers, a
 * request that hangs (optionally after storing, like a response lost on the way back), and after
 * close() the port refuses connections until reopen().
 *
 * The protobuf schema is parsed here from push.proto's text, independently of the sink's encoder.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync, inflateSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { uncompress } from 'snappyjs';

const PUSH_PROTO = `
syntax = "proto3";
package logproto;
message PushRequest { repeated StreamAdapter streams = 1; string format = 2; }
message StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
message LabelPairAdapter { string name = 1; string value = 2; }
message EntryAdapter { Timestamp timestamp = 1; string line = 2; repeated LabelPairAdapter structuredMetadata = 3; repeated LabelPairAdapter parsed = 4; }
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
`;
const PushRequest = protobuf.parse(PUSH_PROTO).root.lookupType('logproto.PushRequest');

/** One stored entry. `stream` is the canonical label string (sorted, Go-quoted); `ts` nanoseconds as a decimal string. */
export interface FakeLokiEntry {
  readonly stream: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ts: string;
  readonly line: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** Index into `requests` of the push that carried it. */
  readonly request: number;
}

/** One received push. */
export interface FakeLokiRequest {
  readonly atMs: number;
  readonly headers: IncomingHttpHeaders;
  /** Body bytes as sent (compressed), and their SHA-256. */
  readonly bytes: number;
  readonly digest: string;
  readonly entries: number;
  readonly status: number;
  /** Streams whose entries were not in timestamp order within this push. */
  readonly unordered: readonly string[];
  readonly error?: string;
}

/** A scripted answer; fields left out fall back to Loki's behaviour. */
export interface FakeLokiReply {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Answer after this long. */
  readonly delayMs?: number;
  /** Never answer (until the client gives up or the fake closes). */
  readonly hang?: boolean;
  /** Store the valid entries (default: for 2xx and hang, not for other statuses). */
  readonly store?: boolean;
}

/** How the fake behaves; defaults are Loki's. */
export interface FakeLokiOptions {
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** When set, pushes must carry exactly this X-Scope-OrgID (401 `no org id` otherwise). */
  readonly tenant?: string;
  /** When set, pushes must carry exactly this Authorization header (401 otherwise). */
  readonly authorization?: string;
  readonly maxLineBytes?: number;
  /** Enables Loki's time window checks relative to this clock. */
  readonly now?: () => number;
  /** false: only drain and count bodies, answer 204 (benchmarks measure the sender, not this fake). */
  readonly decode?: boolean;
}

/** A running fake Loki. */
export interface FakeLoki {
  /** The push URL (`http(s)://127.0.0.1:<port>/loki/api/v1/push`). */
  readonly url: string;
  readonly entries: FakeLokiEntry[];
  readonly requests: FakeLokiRequest[];
  /** Queues answers for the next pushes, in order. */
  script(...replies: FakeLokiReply[]): void;
  /** Decides every answer while set (before the queue); undefined means Loki's own answer. */
  respond(fn: ((n: number) => FakeLokiReply | undefined) | undefined): void;
  /** Distinct entries by identity (stream, ts, line, metadata), as Loki would return them. */
  unique(): FakeLokiEntry[];
  /** Stops listening and drops open connections: the port now refuses. */
  close(): Promise<void>;
  /** Listens again on the same port. */
  reopen(): Promise<void>;
}

/** Identity of an entry as Loki deduplicates it. */
export const entryIdentity = (e: Pick<FakeLokiEntry, 'stream' | 'ts' | 'line' | 'metadata'>): string =>
  JSON.stringify([e.stream, e.ts, e.line, Object.entries(e.metadata).sort()]);

/** Starts a fake Loki on 127.0.0.1 and an ephemeral port. */
export async function startFakeLoki(options: FakeLokiOptions = {}): Promise<FakeLoki> {
  const entries: FakeLokiEntry[] = [];
  const requests: FakeLokiRequest[] = [];
  const queue: FakeLokiReply[] = [];
  let decide: ((n: number) => FakeLokiReply | undefined) | undefined;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = requests.length;
      const reply = decide?.(n) ?? queue.shift() ?? {};
      const body = Buffer.concat(chunks);
      const outcome: Outcome = options.decode === false ? { status: 204, valid: [], unordered: [] } : handlePush(req, body, options);
      const status = reply.status ?? outcome.status;
      const store = reply.store ?? (reply.hang || (status >= 200 && status < 300) || (status === 400 && reply.status === undefined));
      if (store) for (const e of outcome.valid) entries.push({ ...e, request: n });
      requests.push({ atMs: Date.now(), headers: req.headers, bytes: body.length, digest: createHash('sha256').update(body).digest('hex'), entries: outcome.valid.length, status, unordered: outcome.unordered, ...(outcome.message ? { error: outcome.message } : {}) });
      if (reply.hang) return;
      const send = (): void => {
        if (res.destroyed) return;
        const text = reply.body ?? (status === 204 ? '' : `${outcome.message ?? 'error'}\n`);
        res.writeHead(status, { ...(text ? { 'content-type': 'text/plain; charset=utf-8' } : {}), ...reply.headers }).end(status === 204 ? undefined : text);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  };
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/loki/api/v1/push`,
    entries,
    requests,
    script: (...replies) => void queue.push(...replies),
    respond: (fn) => void (decide = fn),
    unique: () => [...new Map(entries.map((e) => [entryIdentity(e), e])).values()],
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
    reopen: () => new Promise<void>((r) => server.listen(port, '127.0.0.1', r)),
  };
}

interface Outcome {
  readonly status: number;
  readonly message?: string;
  readonly valid: Omit<FakeLokiEntry, 'request'>[];
  readonly unordered: string[];
}

interface DecodedStream {
  readonly labels: string;
  readonly entries: { ts: bigint; line: string; metadata: [string, string][] }[];
}

/** Decodes and validates one push as Loki's distributor would. */
function handlePush(req: IncomingMessage, body: Buffer, o: FakeLokiOptions): Outcome {
  const fail = (status: number, message: string): Outcome => ({ status, message, valid: [], unordered: [] });
  if (req.url !== '/loki/api/v1/push' || req.method !== 'POST') return fail(404, '404 page not found');
  if (o.tenant !== undefined && req.headers['x-scope-orgid'] !== o.tenant) return fail(401, 'no org id');
  if (o.authorization !== undefined && req.headers.authorization !== o.authorization) return fail(401, 'Unauthorized');
  let streams: DecodedStream[];
  try {
    streams = decodeBody(req.headers, body);
  } catch (err) {
    return fail(400, (err as Error).message);
  }
  if (streams.length === 0) return fail(422, 'error at least one valid stream is required for ingestion');
  const errors: string[] = [];
  const valid: Omit<FakeLokiEntry, 'request'>[] = [];
  const unordered: string[] = [];
  for (const s of streams) {
    let labels: Record<string, string>;
    try {
      labels = parseLabels(s.labels);
    } catch (err) {
      errors.push(`error parsing labels '${s.labels}' with error: ${(err as Error).message}`);
      continue;
    }
    const names = Object.keys(labels).filter((k) => k !== 'service_name');
    const stream = renderStream(labels);
    if (names.length > 15) {
      errors.push(`entry for stream '${stream}' has ${names.length} label names; limit 15`);
      continue;
    }
    for (let i = 1; i < s.entries.length; i++) if (s.entries[i]!.ts < s.entries[i - 1]!.ts && !unordered.includes(stream)) unordered.push(stream);
    for (const e of s.entries) {
      const problem = entryProblem(e, stream, o);
      if (problem === 'sm500') return fail(500, 'structured metadata name is empty or only underscores');
      if (problem) errors.push(problem);
      else valid.push({ stream, labels, ts: e.ts.toString(), line: e.line, metadata: Object.fromEntries(e.metadata) });
    }
  }
  if (errors.length === 0) return { status: 204, valid, unordered };
  return { status: 400, message: groupErrors(errors), valid, unordered };
}

function entryProblem(e: DecodedStream['entries'][number], stream: string, o: FakeLokiOptions): string | undefined {
  const maxLine = o.maxLineBytes ?? 262_144;
  const length = Buffer.byteLength(e.line);
  if (maxLine > 0 && length > maxLine) return `max entry size '${maxLine}' bytes exceeded for stream '${stream}' while adding an entry with length '${length}' bytes`;
  if (e.metadata.some(([name]) => /^_*$/.test(name))) return 'sm500';
  const smBytes = e.metadata.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (smBytes > 65_536) return `stream '${stream}' has structured metadata too large: '${smBytes}' bytes, limit: '65536' bytes`;
  if (o.now) {
    const ms = Number(e.ts / 1_000_000n);
    const now = o.now();
    if (ms < now - 7 * 86_400_000) return `entry for stream '${stream}' has timestamp too old: ${new Date(ms).toISOString()}, oldest acceptable timestamp is: ${new Date(now - 7 * 86_400_000).toISOString()}`;
    if (ms > now + 600_000) return `entry for stream '${stream}' has timestamp too new: ${new Date(ms).toISOString()}`;
  }
  return undefined;
}

/** pkg/util/errors GroupedErrors: one distinct message plain, else `N errors like: msg; …`. */
function groupErrors(errors: string[]): string {
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e, (counts.get(e) ?? 0) + 1);
  if (counts.size === 1 && errors.length === 1) return errors[0]!;
  return [...counts].map(([m, n]) => `${n} errors like: ${m}`).join('; ');
}

function decodeBody(headers: IncomingHttpHeaders, raw: Buffer): DecodedStream[] {
  const type = headers['content-type'];
  if (!type) throw new Error('mime: no media type');
  const media = type.split(';')[0]!.trim().toLowerCase();
  const encoding = headers['content-encoding'] ?? '';
  let body: Buffer;
  if (encoding === '' || encoding === 'snappy') body = raw;
  else if (encoding === 'gzip') body = gunzipSync(raw);
  else if (encoding === 'deflate') body = inflateSync(raw);
  else throw new Error(`Content-Encoding "${encoding}" not supported`);
  return media === 'application/json' ? decodeJson(body) : decodeProtobuf(body);
}

function decodeProtobuf(body: Buffer): DecodedStream[] {
  const message = PushRequest.toObject(PushRequest.decode(uncompress(body)), { longs: String, defaults: true }) as {
    streams: { labels: string; entries: { timestamp?: { seconds: string; nanos: number }; line: string; structuredMetadata: { name: string; value: string }[] }[] }[];
  };
  return message.streams.map((s) => ({
    labels: s.labels,
    entries: s.entries.map((e) => ({
      ts: BigInt(e.timestamp?.seconds ?? '0') * 1_000_000_000n + BigInt(e.timestamp?.nanos ?? 0),
      line: e.line,
      metadata: e.structuredMetadata.map((p) => [p.name, p.value] as [string, string]),
    })),
  }));
}

function decodeJson(body: Buffer): DecodedStream[] {
  const parsed = JSON.parse(body.toString('utf8')) as { streams?: { stream?: Record<string, unknown>; values?: unknown[][] }[] };
  return (parsed.streams ?? []).map((s) => {
    const labels = Object.entries(s.stream ?? {}).filter(([, v]) => v !== '');
    return {
      labels: `{${labels.map(([k, v]) => `${k}=${JSON.stringify(String(v))}`).join(', ')}}`,
      entries: (s.values ?? []).filter((v) => v !== null).map((v) => {
        if (typeof v[0] !== 'string' || !/^-?\d+$/.test(v[0])) throw new Error('loghttp.PushRequest.Streams: the timestamp must be a string of nanoseconds');
        if (typeof v[1] !== 'string') throw new Error('loghttp.PushRequest.Streams: the line must be a string');
        const sm = v[2] ?? {};
        if (typeof sm !== 'object' || Array.isArray(sm) || Object.values(sm).some((x) => typeof x !== 'string')) throw new Error('MalformedStringError: structured metadata values must be strings');
        return { ts: BigInt(v[0]), line: v[1], metadata: Object.entries(sm as Record<string, string>) };
      }),
    };
  });
}

/** Parses `{name="value", …}` (Prometheus series notation with Go-quoted values). */
export function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const skip = (): void => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  const expect = (ch: string): void => {
    skip();
    if (text[i] !== ch) throw new Error(`1:${i + 1}: parse error: expected ${ch}`);
    i++;
  };
  expect('{');
  skip();
  while (text[i] !== '}') {
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i))?.[0];
    if (!name) throw new Error(`1:${i + 1}: parse error: invalid label name`);
    i += name.length;
    expect('=');
    skip();
    const [value, end] = readGoString(text, i);
    if (name in out) throw new Error(`duplicate label name: ${name}`);
    if (value !== '') out[name] = value;
    i = end;
    skip();
    if (text[i] === ',') i++;
    skip();
    if (i >= text.length) throw new Error(`1:${i + 1}: parse error: unexpected end of input`);
  }
  if (i !== text.length - 1) throw new Error(`1:${i + 2}: parse error: unexpected characters after }`);
  return out;
}

function readGoString(text: string, start: number): [string, number] {
  if (text[start] !== '"') throw new Error(`1:${start + 1}: parse error: expected a quoted string`);
  let out = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') return [out, i + 1];
    if (ch === '\n') throw new Error(`1:${i + 1}: parse error: newline in string`);
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const esc = text[++i];
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };
    if (esc !== undefined && esc in simple) out += simple[esc];
    else if (esc === 'x' || esc === 'u' || esc === 'U') {
      const len = esc === 'x' ? 2 : esc === 'u' ? 4 : 8;
      const hex = text.slice(i + 1, i + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw new Error(`1:${i + 1}: parse error: invalid escape`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += len;
    } else throw new Error(`1:${i + 1}: parse error: unknown escape sequence`);
  }
  throw new Error(`1:${text.length + 1}: parse error: unterminated quoted string`);
}

/** The canonical form of a label set: sorted, `{k="v", …}` with JSON-compatible quoting. */
function renderStream(labels: Record<string, string>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(', ')}}`;
}

/** Makes a self-signed certificate for 127.0.0.1/localhost with openssl; undefined when openssl is not available. */
export function selfSignedCert(dir: string): { key: Buffer; cert: Buffer; certPath: string } | undefined {
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath,
      '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return { key: readFileSync(keyPath), cert: readFileSync(certPath), certPath };
}
