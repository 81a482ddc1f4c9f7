import { AGENTTRAIL_VERSION } from '../../version.js';
import { httpPost, PermanentError, type FetchLike } from '../delivery/index.js';
import type { Alert } from './alert.js';
import type { AlertSender } from './destination.js';
import { encodeJson, encodeSlack } from './encode.js';

/** Where and how to POST alerts. */
export interface WebhookSettings {
  readonly url: string;
  readonly format: 'json' | 'slack';
  /** Extra request headers, e.g. Authorization. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly fetch?: FetchLike;
  readonly clock?: () => number;
}

/** Creates a sender that POSTs each batch of alerts as one JSON or Slack message. */
export function createWebhookSender(settings: WebhookSettings): AlertSender {
  const encode = settings.format === 'slack' ? encodeSlack : encodeJson;
  const headers = {
    'user-agent': `agenttrail/${AGENTTRAIL_VERSION}`,
    ...settings.headers,
    'content-type': 'application/json; charset=utf-8',
  };
  return {
    async send(alerts: readonly Alert[], signal: AbortSignal): Promise<void> {
      let body: string;
      try {
        body = encode(alerts);
      } catch (err) {
        throw new PermanentError(`Could not encode ${alerts.length} alerts: ${(err as Error).message}`, 'encode', { cause: err });
      }
      await httpPost({
        url: settings.url,
        body,
        headers,
        timeoutMs: settings.timeoutMs,
        signal,
        what: 'Webhook POST',
        fetch: settings.fetch,
        now: settings.clock,
      });
    },
  };
}
