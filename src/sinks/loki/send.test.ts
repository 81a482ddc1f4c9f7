import { describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../delivery/index.js';
import { errorForAnswer } from './send.js';

const answer = (status: number, body = '', retryAfter: string | null = null) => errorForAnswer({ status, body, retryAfter }, 0, 'Loki push');

describe('errorForAnswer', () => {
  it('treats 204 and other 2xx as delivered', () => {
    expect(answer(204)).toBeUndefined();
    expect(answer(200)).toBeUndefined();
  });

  it('retries 429 after its Retry-After, and 5xx and 408', () => {
    const e = answer(429, 'ingestion rate limit exceeded', '7');
    expect(e).toBeInstanceOf(RetryableError);
    expect((e as RetryableError).retryAfterMs).toBe(7000);
    for (const s of [408, 500, 502, 503, 504]) expect(answer(s)).toBeInstanceOf(RetryableError);
  });

  it('never retries other 4xx and keeps Loki’s message on one line', () => {
    const e = answer(400, "2 errors like: max entry size '1' bytes exceeded\nfor stream '{a=\"b\"}'\n");
    expect(e).toBeInstanceOf(PermanentError);
    expect((e as PermanentError).reason).toBe('http_400');
    expect(e!.message).toContain("HTTP 400: 2 errors like: max entry size '1' bytes exceeded for stream '{a=\"b\"}' (Loki stored the valid entries");
    expect((answer(422) as PermanentError).reason).toBe('http_422');
  });

  it('retries answers that mean misconfiguration (auth, wrong URL, redirects) instead of dropping data', () => {
    for (const status of [401, 403, 404, 301]) expect(answer(status, 'no org id')).toBeInstanceOf(RetryableError);
  });

  it('counts 260 (a 2xx meaning ingestion blocked) as a drop', () => {
    expect((answer(260, "ingestion blocked for user 'fake'") as PermanentError).reason).toBe('ingestion_blocked');
  });
});
