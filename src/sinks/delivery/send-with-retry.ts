import { backoffDelayMs, type Classification, type RetryPolicy, type Sleep } from './retry.js';

/** What sendWithRetry needs besides the send itself; clock-free so tests can drive it with a fake sleep. */
export interface SendWithRetryOptions {
  readonly policy: RetryPolicy;
  /** Aborted on shutdown: ends the wait between attempts and prevents further attempts. */
  readonly signal: AbortSignal;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly classify: (err: unknown) => Classification;
  /** Called before each wait with the failure, the 0-based attempt that failed and the chosen delay. */
  readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** How a batch's delivery ended: sent, dropped (permanent or exhausted, with a reason), or aborted by shutdown. */
export type SendOutcome =
  | { readonly kind: 'sent'; readonly retries: number }
  | { readonly kind: 'dropped'; readonly reason: string; readonly error: unknown; readonly retries: number }
  | { readonly kind: 'aborted'; readonly error: unknown; readonly retries: number };

/** Calls `send` until it succeeds, fails permanently, runs out of attempts, or `signal` aborts. */
export async function sendWithRetry(send: () => Promise<void>, options: SendWithRetryOptions): Promise<SendOutcome> {
  const { policy, signal } = options;
  for (let attempt = 0; ; attempt++) {
    try {
      await send();
      return { kind: 'sent', retries: attempt };
    } catch (err) {
      const c = options.classify(err);
      if (c.kind === 'permanent') return { kind: 'dropped', reason: c.reason, error: err, retries: attempt };
      if (policy.maxAttempts !== undefined && attempt + 1 >= policy.maxAttempts) {
        return { kind: 'dropped', reason: 'retries_exhausted', error: err, retries: attempt };
      }
      if (signal.aborted) return { kind: 'aborted', error: err, retries: attempt };
      const delayMs = backoffDelayMs(attempt, policy, options.random, c.kind === 'retryable' ? c.retryAfterMs : undefined);
      options.onRetry?.(err, attempt, delayMs);
      await options.sleep(delayMs, signal);
      if (signal.aborted) return { kind: 'aborted', error: err, retries: attempt };
    }
  }
}
