/**
 * A scripted stand-in for the Anthropic Messages API, good enough to drive the real
 * Claude Code CLI offline in end-to-end tests.
 *
 * - `POST /v1/messages` (with or without `?beta=true`): streaming SSE when `stream` is true,
 *   a plain JSON message otherwise.
 * - `POST /v1/messages/count_tokens`: a token estimate.
 * - Anything else: a harmless 200/404 JSON answer, recorded in `unknown` for debugging.
 *
 * Requests that carry a `tools` array belong to a scripted conversation, picked by matching
 * `Conversation.match` against all text of the request's FIRST user message. The scripted turn
 * to answer is the number of assistant messages already in `messages`; past the last turn the
 * answer is a short end_turn text. Conversations are tried in array order, first match wins.
 * Requests without tools (session titles, summaries, quota probes) and auto-compaction requests
 * (tools attached, last user message "Respond with TEXT ONLY") get a short text answer.
 * After an auto-compaction the first user message is the summary, so the scripted conversation no
 * longer matches: such requests are answered end_turn and logged as `unmatched`.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface ScriptedToolCall {
  name: string;
  input: Record<string, unknown>;
  id?: string;
}

/** `tools` present (non-empty) → stop_reason "tool_use", else "end_turn". */
export interface ScriptedTurn {
  text?: string;
  tools?: ScriptedToolCall[];
}

/**
 * `match` is tested against all text blocks of the FIRST user message of a request (string =
 * substring; Claude Code prepends <system-reminder> blocks, the prompt comes last). Conversations
 * are tried in array order and the first match wins, so a subagent's conversation (matched on a
 * piece of the Agent tool's `prompt`) must come before any conversation whose match also occurs
 * in that prompt.
 */
export interface Conversation {
  match: string | RegExp;
  turns: ScriptedTurn[];
}

/** One request the server answered, kept for debugging. */
export interface RequestLogEntry {
  method: string;
  url: string;
  /** `conversation:<i>:turn:<n>`, `past-end`, `unmatched`, `compact`, `no-tools`, `count_tokens`, `unknown`, `bad-json` */
  kind: string;
  stream?: boolean;
  model?: string;
  firstUserText?: string;
  bodyBytes: number;
}

export interface ModelServer {
  url: string;
  /** Number of HTTP requests received so far (all endpoints). */
  requests: number;
  /** Every request, in arrival order (first user text abbreviated to ~300 chars, head and tail). */
  log: RequestLogEntry[];
  /** Requests the script did not foresee: other endpoints, bad JSON, tool requests matching no conversation. */
  unknown: RequestLogEntry[];
  close(): Promise<void>;
}

export const PAST_END_TEXT = 'Done.';
export const NO_TOOLS_TEXT = 'Scripted session';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** All text of one message's content (string, or the `text` of every text block). */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content) {
    if (typeof block === 'string') parts.push(block);
    else if (isObject(block) && typeof block['text'] === 'string') parts.push(block['text']);
  }
  return parts.join('\n');
}

function firstUserText(messages: unknown[]): string {
  for (const m of messages) {
    if (isObject(m) && m['role'] === 'user') return messageText(m['content']);
  }
  return '';
}

function lastUserText(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (isObject(m) && m['role'] === 'user') return messageText(m['content']);
  }
  return '';
}

/** Claude Code's auto-compaction asks, with the tools still attached, for a text-only summary. */
function isCompactionRequest(messages: unknown[]): boolean {
  const text = lastUserText(messages);
  return text.includes('Respond with TEXT ONLY') && text.includes('Do NOT call any tools');
}

export const COMPACT_SUMMARY_TEXT =
  '<analysis>Scripted compaction.</analysis>\n<summary>Scripted summary of the session so far.</summary>';

/** Head and tail of a long text, for the debug log (the prompt is usually at the end). */
function abbreviate(text: string, max = 300): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  return `${text.slice(0, half)} … ${text.slice(-half)}`;
}

function matches(match: string | RegExp, text: string): boolean {
  if (typeof match === 'string') return text.includes(match);
  match.lastIndex = 0; // a /g or /y regex is stateful
  return match.test(text);
}

let idCounter = 0;
function uniqueId(prefix: string): string {
  idCounter += 1;
  return `${prefix}${randomBytes(8).toString('hex')}${idCounter.toString(36)}`;
}

type Block =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

interface Reply {
  blocks: Block[];
  stopReason: 'end_turn' | 'tool_use';
}

function replyFor(turn: ScriptedTurn | undefined, fallbackText: string): Reply {
  if (!turn) return { blocks: [{ type: 'text', text: fallbackText }], stopReason: 'end_turn' };
  const blocks: Block[] = [];
  if (turn.text !== undefined && turn.text !== '') blocks.push({ type: 'text', text: turn.text });
  const tools = turn.tools ?? [];
  for (const t of tools) {
    blocks.push({ type: 'tool_use', id: t.id ?? uniqueId('toolu_'), name: t.name, input: t.input });
  }
  if (blocks.length === 0) blocks.push({ type: 'text', text: fallbackText });
  return { blocks, stopReason: tools.length > 0 ? 'tool_use' : 'end_turn' };
}

function usage(inputTokens: number, outputTokens: number): Json {
  return {
    input_tokens: inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(data),
    'request-id': uniqueId('req_'),
  });
  res.end(data);
}

function sendMessage(res: ServerResponse, reply: Reply, model: string, stream: boolean, inputTokens: number): void {
  if (res.destroyed) return;
  const id = uniqueId('msg_');
  const outputTokens = 20;
  if (!stream) {
    sendJson(res, 200, {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: reply.blocks,
      stop_reason: reply.stopReason,
      stop_sequence: null,
      usage: usage(inputTokens, outputTokens),
    });
    return;
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': uniqueId('req_'),
  });
  const chunks: string[] = [];
  const event = (type: string, data: Json): void => {
    chunks.push(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  };
  event('message_start', {
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usage(inputTokens, 1),
    },
  });
  event('ping', {});
  reply.blocks.forEach((block, index) => {
    if (block.type === 'text') {
      event('content_block_start', { index, content_block: { type: 'text', text: '' } });
      event('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } });
    } else {
      event('content_block_start', {
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      const json = JSON.stringify(block.input);
      // Split the JSON in two to exercise the client's partial-JSON accumulation.
      const cut = Math.floor(json.length / 2);
      for (const part of [json.slice(0, cut), json.slice(cut)]) {
        if (part) event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
      }
    }
    event('content_block_stop', { index });
  });
  event('message_delta', {
    delta: { stop_reason: reply.stopReason, stop_sequence: null },
    usage: { output_tokens: outputTokens },
  });
  event('message_stop', {});
  res.end(chunks.join(''));
}

export interface ModelServerOptions {
  /**
   * Answer of `count_tokens`, from the request body's size. Default: always 1000. Claude Code asks
   * it before putting a large Read result into the context; a realistic estimate (bytes / 4) makes
   * it truncate a 5 MB Read to ~80 KB (`truncatedByTokenCap`), the default lets the whole file through.
   */
  countTokens?: (bodyBytes: number) => number;
  /**
   * `usage.input_tokens` reported on every message, from the request body's size. Default: always
   * 100. Large values make Claude Code auto-compact (extra requests, PreCompact/PostCompact hooks).
   */
  inputTokens?: (bodyBytes: number) => number;
}

export function startModelServer(
  conversations: Conversation[],
  options: ModelServerOptions = {},
): Promise<ModelServer> {
  const countTokens = options.countTokens ?? (() => 1000);
  const reportedInputTokens = options.inputTokens ?? (() => 100);
  const log: RequestLogEntry[] = [];
  const unknown: RequestLogEntry[] = [];
  const state = { requests: 0 };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer): void => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const entry: RequestLogEntry = { method, url, kind: 'unknown', bodyBytes: raw.length };
    log.push(entry);

    if (method === 'POST' && (path === '/v1/messages' || path === '/v1/messages/count_tokens')) {
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = undefined;
      }
      if (!isObject(body)) {
        entry.kind = 'bad-json';
        unknown.push(entry);
        sendJson(res, 400, {
          type: 'error',
          error: { type: 'invalid_request_error', message: 'scripted model server: body is not a JSON object' },
        });
        return;
      }
      const messages = Array.isArray(body['messages']) ? (body['messages'] as unknown[]) : [];
      const model = typeof body['model'] === 'string' ? body['model'] : 'claude-sonnet-4-5';
      entry.model = model;
      entry.firstUserText = abbreviate(firstUserText(messages));
      const inputTokens = Math.max(1, Math.round(reportedInputTokens(raw.length)));

      if (path === '/v1/messages/count_tokens') {
        entry.kind = 'count_tokens';
        sendJson(res, 200, { input_tokens: Math.max(1, Math.round(countTokens(raw.length))) });
        return;
      }

      const stream = body['stream'] === true;
      entry.stream = stream;
      const tools = body['tools'];
      if (!Array.isArray(tools) || tools.length === 0) {
        entry.kind = 'no-tools';
        sendMessage(res, replyFor(undefined, NO_TOOLS_TEXT), model, stream, inputTokens);
        return;
      }
      if (isCompactionRequest(messages)) {
        entry.kind = 'compact';
        sendMessage(res, replyFor(undefined, COMPACT_SUMMARY_TEXT), model, stream, inputTokens);
        return;
      }
      const text = firstUserText(messages);
      const ci = conversations.findIndex((c) => matches(c.match, text));
      if (ci < 0) {
        entry.kind = 'unmatched';
        unknown.push(entry);
        sendMessage(res, replyFor(undefined, PAST_END_TEXT), model, stream, inputTokens);
        return;
      }
      const conv = conversations[ci]!;
      const turnIndex = messages.filter((m) => isObject(m) && m['role'] === 'assistant').length;
      const turn = conv.turns[turnIndex];
      entry.kind = turn ? `conversation:${ci}:turn:${turnIndex}` : 'past-end';
      sendMessage(res, replyFor(turn, PAST_END_TEXT), model, stream, inputTokens);
      return;
    }

    // Anything else: answer at once so the client never waits on us.
    unknown.push(entry);
    if (method === 'HEAD' || method === 'OPTIONS') {
      if (!res.headersSent) res.writeHead(200);
      res.end();
      return;
    }
    if (method === 'GET' || path.startsWith('/api/')) {
      sendJson(res, 200, {});
      return;
    }
    sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `scripted model server: ${method} ${path}` } });
  };

  const server = createServer((req, res) => {
    state.requests += 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => {
      if (!res.headersSent) res.destroy();
    });
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks));
      } catch (err) {
        const entry: RequestLogEntry = {
          method: req.method ?? '?',
          url: req.url ?? '?',
          kind: `error: ${err instanceof Error ? err.message : String(err)}`,
          bodyBytes: 0,
        };
        unknown.push(entry);
        sendJson(res, 500, { type: 'error', error: { type: 'api_error', message: 'scripted model server error' } });
      }
    });
    res.on('error', () => undefined);
  });
  server.on('clientError', (_err, socket) => {
    socket.destroy();
  });
  server.keepAliveTimeout = 1000;
  server.requestTimeout = 0; // a 5 MB tool result may take a while to arrive

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const api: ModelServer = {
        url: `http://127.0.0.1:${port}`,
        get requests() {
          return state.requests;
        },
        log,
        unknown,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      };
      resolve(api);
    });
  });
}
