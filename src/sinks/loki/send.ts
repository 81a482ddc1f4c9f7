/**
 * One push to Loki over HTTP(S) and the mapping of its answer (loki.md §1.5, §1.7):
 *
 *   2xx (204) ......................... delivered
 *   260 (a 2xx: ingestion blocked) .... PermanentError `ingestion_blocked` (Loki dropped it by policy)
 *   413 ............................... split the push in halves and send each; a lone entry is rejected
 *   408, 429, 5xx, network, timeout ... RetryableError (Retry-After honoured by the runner)
 *   other 4xx (400 may be partial) .... PermanentError `http_<status>`, Loki's message kept
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { PermanentError, RetryableError, parseRetryAfter, type FetchLike } from '../delivery/index.js';
import { encodeJson } from './encode-json.js';
import { encodeProtobuf } from './encode-protobuf.js';
import { countEntries, splitStreams, type PushStream } from './streams.js';

const gzip = promisify(gzipCallback);

/** Where and how to push. */
export interface PusherSettings {
  readonly url: string;
  readonly encoding: 'protobuf' | 'json';
  readonly gzip: boolean;
  /** Request headers besides Content-Type/Content-Encoding (auth, tenant, user agent). */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** PEM CA certificate(s) for https URLs. */
  readonly ca?: Buffer;
  /** Replaces the built-in node:http(s) transport (no custom CA then). */
  readonly fetch?: FetchLike;
  readonly now: () => number;
}

/** A push endpoint with a kept-alive connection. */
export interface Pusher {
  /** Sends streams; resolves with the number of entries Loki refused as too large on their own (413). */
  push(streams: readonly PushStream[], signal: AbortSignal): Promise<{ tooLarge: number }>;
  close(): void;
}

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: string;
}

// Loki's error bodies are short; a proxy's HTML error page is not worth more than this in a log line.
const MAX_ERROR_BODY = 400;

/** Creates a pusher for one URL; reads nothing but the CA file, and throws if that is unreadable. */
export function createPusher(s: PusherSettings): Pusher {
  const https = s.url.startsWith('https:');
  const agent = https ? new HttpsAgent({ keepAlive: true, ...(s.ca ? { ca: s.ca } : {}) }) : new HttpAgent({ keepAlive: true });
  const where = `Loki push to ${new URL(s.url).origin}`;
  const contentType = s.encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json';
  const headers = { ...s.headers, 'content-type': contentType, ...(s.gzip ? { 'content-encoding': 'gzip' } : {}) };
  const post = (body: Uint8Array, signal: AbortSignal): Promise<Answer> =>
    s.fetch ? postWithFetch(s.fetch, s.url, headers, body, signal) : postWithNode(s.url, https, agent, headers, body, signal);

  const push = async (streams: readonly PushStream[], signal: AbortSignal): Promise<{ tooLarge: number }> => {
    const encoded = s.encoding === 'protobuf' ? encodeProtobuf(streams) : Buffer.from(encodeJson(streams));
    const body = s.gzip ? await gzip(encoded) : encoded;
    let answer: Answer;
    try {
      answer = await post(body, AbortSignal.any([signal, AbortSignal.timeout(s.timeoutMs)]));
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new RetryableError(`${where} ${timedOut ? 'timed out or was aborted' : `failed: ${causeOf(err)}`}.`, undefined, { cause: err });
    }
    if (answer.status === 413) {
      const n = countEntries(streams);
      if (n <= 1) return { tooLarge: n };
      const [first, second] = splitStreams(streams);
      return { tooLarge: (await push(first, signal)).tooLarge + (await push(second, signal)).tooLarge };
    }
    const error = errorForAnswer(answer, s.now(), where);
    if (error) throw error;
    return { tooLarge: 0 };
  };
  return { push, close: () => agent.destroy() };
}

/** Maps a push answer to undefined (delivered) or the error the runner acts on. */
export function errorForAnswer(a: Answer, nowMs: number, where: string): Error | undefined {
  const said = a.body.trim() ? `: ${a.body.trim().replace(/\s+/g, ' ').slice(0, MAX_ERROR_BODY)}` : '';
  if (a.status === 260) return new PermanentError(`${where}: Loki blocked ingestion and dropped the entries${said}`, 'ingestion_blocked');
  if (a.status >= 200 && a.status < 300) return undefined;
  const message = `${where} failed with HTTP ${a.status}${said}`;
  if (a.status === 408 || a.status === 429 || a.status >= 500) return new RetryableError(message, parseRetryAfter(a.retryAfter, nowMs));
  if (a.status === 400) return new PermanentError(`${message} (Loki stored the valid entries of this push, not retried)`, 'http_400');
  // An expired token, a wrong tenant or URL, a proxy redirect: fixable, so not a reason to drop data.
  if ([401, 403, 404, 407, 421].includes(a.status) || (a.status >= 300 && a.status < 400)) {
    return new RetryableError(`${message} (check the URL and credentials; retrying)`);
  }
  return new PermanentError(message, `http_${a.status}`);
}

/** Reads the CA file named in the configuration (at startup, so a wrong path fails fast). */
export function readCa(caFile: string | undefined): Buffer | undefined {
  return caFile === undefined ? undefined : readFileSync(caFile);
}

function postWithNode(url: string, https: boolean, agent: HttpAgent, headers: Record<string, string>, body: Uint8Array, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(url, { method: 'POST', agent, signal, headers: { ...headers, 'content-length': String(body.byteLength) } });
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_ERROR_BODY * 4) chunks.push(c);
        size += c.length;
      });
      res.on('error', reject);
      res.on('end', () => {
        const retryAfter = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(body);
  });
}

async function postWithFetch(fetch: FetchLike, url: string, headers: Record<string, string>, body: Uint8Array, signal: AbortSignal): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text.slice(0, MAX_ERROR_BODY * 4) };
}

function causeOf(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string; message?: string } };
  return e.code ?? e.cause?.code ?? e.cause?.message ?? (err instanceof Error ? err.message : String(err));
}
