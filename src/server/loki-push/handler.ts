import { isFromBrowser } from '../browser.js';
/**
 * `POST /loki/api/v1/push` on plain node:http, so that an AgentTrail daemon can collect for a team and
 * any Loki client can write to it. Answers as Loki does (loki.md §1.5): 204 empty on success, else
 * `text/plain; charset=utf-8` with the message and a newline. Auth: when a token is configured,
 * `Authorization: Bearer <token>` or basic auth with the token as password (see auth.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LokiPush } from '../../core/event/from-loki.js';
import { isAuthorized, resolveTenant } from './auth.js';
import { DEFAULT_INGEST_SETTINGS, ingestPush, type IngestSettings } from './ingest.js';
import type { LokiLimits } from './validate.js';

/** The push path Loki clients post to. */
export const LOKI_PUSH_PATH = '/loki/api/v1/push';
/** Default cap on a request body as received (Loki's max_recv_msg_size is 100 MiB; a collector needs less). */
export const DEFAULT_MAX_LOKI_BODY_BYTES = 32 * 1024 * 1024;

/** What the endpoint needs from the daemon. */
export interface LokiPushDeps {
  readonly token?: string;
  /** Called once per request with everything that validated (only then); a throw is answered 503. */
  readonly accept: (push: LokiPush) => void;
  readonly maxBodyBytes?: number;
  readonly now?: () => number;
  /** Overrides of Loki's limits and of our decompression cap and service_name discovery. */
  readonly limits?: Partial<LokiLimits>;
  readonly maxDecompressedBytes?: number;
  readonly discoverServiceName?: readonly string[];
}

/**
 * Serves a Loki push; returns false when the request is not for this endpoint.
 * @example server = createServer((req, res) => void (handleLokiPush(req, res, deps) || fallback(req, res)))
 */
export function handleLokiPush(req: IncomingMessage, res: ServerResponse, deps: LokiPushDeps): boolean {
  if (req.url?.split('?')[0] !== LOKI_PUSH_PATH) return false;
  if (req.method !== 'POST') return reply(res, 405, 'method not allowed, use POST', { allow: 'POST' });
  // Loki clients are not browsers: a request a web page sent (it carries Origin / Sec-Fetch-Site) must not
  // be able to write events, or fake findings, into the journal.
  if (isFromBrowser(req)) return reply(res, 403, 'cross-site requests are not accepted');
  const authorization = req.headers.authorization;
  if (deps.token && !isAuthorized(authorization, deps.token)) {
    return reply(res, 401, 'unauthorized: send "Authorization: Bearer <token>" or basic auth with the token as password', {
      'www-authenticate': 'Basic realm="agenttrail"',
    });
  }
  const orgId = req.headers['x-scope-orgid'];
  const tenant = resolveTenant(Array.isArray(orgId) ? orgId[0] : orgId, authorization);
  if ('error' in tenant) return reply(res, 400, tenant.error);
  const maxBody = deps.maxBodyBytes ?? DEFAULT_MAX_LOKI_BODY_BYTES;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBody) return tooLarge(res, declared, maxBody);
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= maxBody) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > maxBody) return void tooLarge(res, size, maxBody);
    const now = deps.now?.() ?? Date.now();
    const outcome = ingestPush(
      {
        contentType: header(req, 'content-type'),
        contentEncoding: header(req, 'content-encoding'),
        body: Buffer.concat(chunks),
        tenant: tenant.tenant,
        remote: req.socket.remoteAddress ?? '',
        nowMs: now,
      },
      settingsOf(deps),
    );
    const entries = outcome.push?.streams.reduce((n, s) => n + s.entries.length, 0) ?? 0;
    if (entries > MAX_ENTRIES_PER_PUSH) {
      return void reply(res, 413, `push of ${entries} entries exceeds the limit of ${MAX_ENTRIES_PER_PUSH} entries per request; send smaller batches`);
    }
    if (outcome.push) {
      try {
        deps.accept(outcome.push);
      } catch (err) {
        return void reply(res, 503, `could not store the push: ${(err as Error).message}`);
      }
    }
    if (outcome.status === 204) return void res.writeHead(204).end();
    reply(res, outcome.status, outcome.message ?? '');
  });
  req.on('error', () => res.destroy());
  return true;
}

/**
 * Entries one push may carry: each becomes a journal event in one ingest pass, and the collector's replay
 * protection covers its last 25,000 entries (1 MiB client batches of short lines stay well below this).
 */
export const MAX_ENTRIES_PER_PUSH = 16_384;

function settingsOf(deps: LokiPushDeps): IngestSettings {
  if (!deps.limits && deps.maxDecompressedBytes === undefined && !deps.discoverServiceName) return DEFAULT_INGEST_SETTINGS;
  return {
    limits: { ...DEFAULT_INGEST_SETTINGS.limits, ...deps.limits },
    maxDecompressedBytes: deps.maxDecompressedBytes ?? DEFAULT_INGEST_SETTINGS.maxDecompressedBytes,
    discoverServiceName: deps.discoverServiceName ?? DEFAULT_INGEST_SETTINGS.discoverServiceName,
  };
}

/** Go's Header.Get: the first value, '' when absent. */
function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function tooLarge(res: ServerResponse, size: number, max: number): true {
  return reply(res, 413, `request body too large: message size too large than max (${size} vs ${max})`);
}

/** Loki's http.Error: text/plain, the message and a newline. */
function reply(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): true {
  const body = `${message}\n`;
  res
    .writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'content-length': Buffer.byteLength(body),
      ...extra,
    })
    .end(body);
  return true;
}
