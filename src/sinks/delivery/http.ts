import { PermanentError, RetryableError, errorForHttpStatus } from './retry.js';

/** The subset of the global fetch that sinks use (injectable for tests). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** One HTTP POST. */
export interface HttpPostOptions {
  readonly url: string;
  readonly body: string | Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** The runner's signal: aborted when a shutdown's drain time is over. */
  readonly signal: AbortSignal;
  readonly fetch?: FetchLike;
  readonly now?: () => number;
  /** Names the request in error messages, e.g. `Webhook POST`. */
  readonly what?: string;
}

/** Sends a POST and maps the outcome: 2xx resolves; 408/429/5xx, network errors and timeouts throw RetryableError; the rest PermanentError. */
export async function httpPost(o: HttpPostOptions): Promise<void> {
  // Only the origin goes into messages: webhook URLs (Slack's among them) carry their secret in the path.
  const where = `${o.what ?? 'POST'} to ${originOf(o.url)}`;
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(o.url, {
      method: 'POST',
      headers: o.headers,
      body: o.body,
      signal: AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)]),
      // A redirect is a configuration problem; following it could also carry credentials elsewhere.
      redirect: 'manual',
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    throw new RetryableError(`${where} ${timedOut ? 'timed out or was aborted' : `failed: ${causeOf(err)}`}.`, undefined, { cause: err });
  }
  await res.body?.cancel().catch(() => undefined);
  const error = errorForHttpStatus(res.status, res.headers.get('retry-after'), (o.now ?? Date.now)(), where);
  if (error) throw error;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    throw new PermanentError('The URL is not valid.', 'invalid_url');
  }
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
