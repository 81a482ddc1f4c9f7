import type { JournalEntry } from '../../core/chain/entry.js';
import { atLeast, type Severity } from '../../core/detect/types.js';
import type { Sink } from '../delivery/index.js';
import { findingOf, toAlert, type Alert } from './alert.js';
import { AlertThrottle, type SuppressReason, type ThrottleOptions } from './throttle.js';

/** Sends one batch of alerts somewhere (a webhook, the desktop); throws PermanentError or RetryableError. */
export interface AlertSender {
  send(alerts: readonly Alert[], signal: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}

/** A destination's delivery filter and sink, sharing one throttle. */
export interface AlertDestination {
  /** Selects security_alert entries at or above minSeverity that the throttle lets through (call once per entry). */
  readonly filter: (entry: JournalEntry) => boolean;
  readonly sink: Sink;
  /** Alerts held back by the throttle, by reason. */
  suppressed(): Readonly<Record<SuppressReason, number>>;
  /** Alerts below the destination's minimum severity. */
  belowThreshold(): number;
}

/** Wraps an AlertSender as a delivery Sink, with severity threshold and throttling applied in the filter. */
export function createAlertDestination(
  sender: AlertSender,
  options: { readonly minSeverity: Severity; readonly throttle: ThrottleOptions; readonly clock?: () => number },
): AlertDestination {
  const throttle = new AlertThrottle(options.throttle);
  const now = options.clock ?? Date.now;
  // Suppressed counts by seq for entries that passed the filter; read when their batch is sent, kept across retries.
  const notes = new Map<number, number>();
  let below = 0;
  const filter = (entry: JournalEntry): boolean => {
    const finding = findingOf(entry);
    if (!finding) return false;
    if (!atLeast(finding.severity, options.minSeverity)) {
      below++;
      return false;
    }
    const key = { rule_id: finding.rule_id, session_id: entry.event.session_id ?? null, evidence: String(finding.evidence ?? '') };
    const decision = throttle.admit(key, now());
    if (decision.deliver && decision.suppressedBefore > 0) notes.set(entry.seq, decision.suppressedBefore);
    return decision.deliver;
  };
  const sink: Sink = {
    async send(batch, signal) {
      const first = batch[0]?.seq ?? 0;
      for (const seq of notes.keys()) if (seq < first) notes.delete(seq);
      const alerts = batch.map((e) => toAlert(e, notes.get(e.seq) ?? 0)).filter((a): a is Alert => a !== undefined);
      if (alerts.length > 0) await sender.send(alerts, signal);
    },
    close: async () => sender.close?.(),
  };
  return { filter, sink, suppressed: () => throttle.suppressed(), belowThreshold: () => below };
}
