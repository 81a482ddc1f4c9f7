import { isFromBrowser } from './browser.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

const HOOK_PATH = /^\/api\/v1\/hook\/([A-Za-z][A-Za-z0-9]{0,63})$/;
/** Above this, a payload is refused (the spool's own limit for records). */
export const MAX_HOOK_BYTES = 256 * 1024 * 1024;

export interface HookIntakeDeps {
  readonly token?: string;
  readonly acceptHook: (event: string, body: Buffer, projectDir: string) => void;
}

/**
 * The `http` transport's endpoint, on plain node:http: every hook event of a session passes
 * through here while Claude Code waits, and the general router measurably added to that wait.
 * Returns false when the request is not for this endpoint.
 */
export function handleHookIntake(req: IncomingMessage, res: ServerResponse, deps: HookIntakeDeps): boolean {
  if (req.method !== 'POST' || !req.url?.startsWith('/api/v1/hook/')) return false;
  const event = HOOK_PATH.exec(req.url)?.[1];
  if (!event) return reply(res, 400, 'event must be a hook event name such as PreToolUse');
  if (deps.token && !bearerMatches(req.headers.authorization, deps.token)) return reply(res, 401, 'missing or wrong bearer token');
  // Claude Code is not a browser: a web page must not be able to write hook events.
  if (isFromBrowser(req)) return reply(res, 403, 'cross-site requests are not accepted');
  if (Number(req.headers['content-length'] ?? 0) > MAX_HOOK_BYTES) return reply(res, 413, `payload larger than ${MAX_HOOK_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_HOOK_BYTES) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > MAX_HOOK_BYTES) return void reply(res, 413, `payload larger than ${MAX_HOOK_BYTES} bytes`);
    try {
      const project = req.headers['x-agenttrail-project-dir'];
      deps.acceptHook(event, Buffer.concat(chunks), typeof project === 'string' ? project : '');
    } catch (err) {
      return void reply(res, 503, `could not spool the event: ${(err as Error).message}`);
    }
    // An empty body: Claude Code reads a hook's response as a decision, and we make none.
    res.writeHead(200, { 'content-length': '0' }).end();
  });
  req.on('error', () => res.destroy());
  return true;
}

function reply(res: ServerResponse, status: number, error: string): true {
  const body = JSON.stringify({ error });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  return true;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
