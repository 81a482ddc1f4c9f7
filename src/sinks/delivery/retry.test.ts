import { describe, expect, it } from 'vitest';
import { backoffDelayMs, classifyError, errorForHttpStatus, parseRetryAfter, PermanentError, RetryableError, sleep, type Sleep } from './retry.js';
import { sendWithRetry, type SendWithRetryOptions } from './send-with-retry.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['1', 1000],
    [' 120 ', 120_000],
    ['0', 0],
    ['Sun, 01 Jun 2025 12:00:30 GMT', 30_000],
    ['Sun, 01 Jun 2025 11:00:00 GMT', 0],
    ['99999999', 15 * 60_000],
    ['soon', undefined],
    ['-5', undefined],
    ['', undefined],
    [null, undefined],
  ])('parses %j as %j ms', (header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });
});

describe('backoffDelayMs', () => {
  const policy = { baseMs: 100, capMs: 5000 };

  it('draws the delay from the whole range 0..min(cap, base·2^attempt) (full jitter)', () => {
    expect(backoffDelayMs(0, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(400);
  });

  it('never exceeds the cap, however many attempts failed', () => {
    for (const attempt of [6, 10, 60, 5000]) expect(backoffDelayMs(attempt, policy, () => 0.999999)).toBeLessThan(5000);
  });

  it('never waits less than Retry-After, even above the cap', () => {
    expect(backoffDelayMs(0, policy, () => 0, 1000)).toBe(1000);
    expect(backoffDelayMs(10, policy, () => 0.1, 30_000)).toBe(30_000);
  });
});

describe('errorForHttpStatus', () => {
  it.each([
    [200, 'ok'],
    [204, 'ok'],
    [408, 'retryable'],
    [429, 'retryable'],
    [500, 'retryable'],
    [503, 'retryable'],
    [301, 'retryable'],
    [400, 'permanent'],
    [401, 'retryable'],
    [404, 'retryable'],
    [413, 'permanent'],
  ])('maps HTTP %i to %s', (status, kind) => {
    const err = errorForHttpStatus(status, null, NOW);
    expect(err === undefined ? 'ok' : classifyError(err).kind).toBe(kind);
  });

  it('carries Retry-After on a 429 and the status as the drop reason on a 4xx', () => {
    expect((errorForHttpStatus(429, '2', NOW) as RetryableError).retryAfterMs).toBe(2000);
    expect(classifyError(errorForHttpStatus(400, null, NOW))).toEqual({ kind: 'permanent', reason: 'http_400' });
  });

  it('treats errors it does not know (network failures) as retryable', () => {
    expect(classifyError(new TypeError('fetch failed')).kind).toBe('retryable');
  });
});

/** A sleep that records requested delays and returns at once (a fake clock that jumps). */
function fakeSleep(): { sleep: Sleep; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

function options(over: Partial<SendWithRetryOptions> = {}): SendWithRetryOptions {
  return { policy: { baseMs: 100, capMs: 1000 }, signal: new AbortController().signal, sleep: fakeSleep().sleep, random: () => 0.5, classify: classifyError, ...over };
}

/** A send that fails with the given errors in turn, then succeeds. */
function failing(...errors: Error[]): { send: () => Promise<void>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    send: async () => {
      const err = errors[calls++];
      if (err) throw err;
    },
  };
}

describe('sendWithRetry', () => {
  it('retries retryable errors with growing, capped delays until the send succeeds', async () => {
    const { sleep: s, delays } = fakeSleep();
    const f = failing(...Array.from({ length: 6 }, () => new RetryableError('503')));
    const outcome = await sendWithRetry(f.send, options({ sleep: s }));
    expect(outcome).toEqual({ kind: 'sent', retries: 6 });
    expect(delays).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('honours Retry-After', async () => {
    const { sleep: s, delays } = fakeSleep();
    const f = failing(new RetryableError('429', 1000));
    await sendWithRetry(f.send, options({ sleep: s, random: () => 0 }));
    expect(delays).toEqual([1000]);
  });

  it('does not retry a permanent error', async () => {
    const f = failing(new PermanentError('400', 'http_400'));
    const outcome = await sendWithRetry(f.send, options());
    expect(outcome).toMatchObject({ kind: 'dropped', reason: 'http_400', retries: 0 });
    expect(f.calls()).toBe(1);
  });

  it('drops after maxAttempts', async () => {
    const f = failing(new RetryableError('a'), new RetryableError('b'), new RetryableError('c'));
    const outcome = await sendWithRetry(f.send, options({ policy: { baseMs: 1, capMs: 1, maxAttempts: 2 } }));
    expect(outcome).toMatchObject({ kind: 'dropped', reason: 'retries_exhausted', retries: 1 });
    expect(f.calls()).toBe(2);
  });

  it('stops waiting and gives up when the signal aborts during a backoff', async () => {
    const ctl = new AbortController();
    const f = failing(new RetryableError('503'), new RetryableError('503'));
    const started = Date.now();
    const pending = sendWithRetry(f.send, options({ signal: ctl.signal, sleep, policy: { baseMs: 60_000, capMs: 60_000 }, random: () => 0.99 }));
    setTimeout(() => ctl.abort(), 20);
    expect(await pending).toMatchObject({ kind: 'aborted', retries: 0 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(f.calls()).toBe(1);
  });
});

describe('sleep', () => {
  it('resolves early, without rejecting, when its signal aborts', async () => {
    const ctl = new AbortController();
    const started = Date.now();
    setTimeout(() => ctl.abort(), 10);
    await sleep(60_000, ctl.signal);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('resolves at once for an already aborted signal', async () => {
    await expect(sleep(60_000, AbortSignal.abort())).resolves.toBeUndefined();
  });
});
