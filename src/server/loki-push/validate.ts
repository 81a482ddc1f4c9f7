/**
 * The distributor's per-stream and per-entry validation (pkg/distributor/validator.go, loki.md §1.5,
 * §2, §10.3), with Loki's exact messages. Loki's semantics are partial: invalid streams and entries
 * are dropped, the valid rest is written, and the request is answered 400 with the grouped messages.
 * A structured-metadata name that is empty fails the whole request with 500, as in Loki.
 */
import { rfc3339 } from './go-format.js';
import { parseLabels, type LabelPairs } from './labels.js';
import type { PushFailure, RawEntry, RawPush } from './raw-push.js';

/** Loki's per-tenant limits that a push is checked against (limits_config defaults in loki.md §2). */
export interface LokiLimits {
  /** max_line_size; 0 = unlimited. */
  readonly maxLineBytes: number;
  /** max_label_names_per_series (a service_name label is not counted). */
  readonly maxLabelNames: number;
  readonly maxLabelNameBytes: number;
  readonly maxLabelValueBytes: number;
  /** reject_old_samples_max_age; 0 = old samples are accepted. */
  readonly maxAgeMs: number;
  /** creation_grace_period. */
  readonly creationGracePeriodMs: number;
  /** max_structured_metadata_size; 0 = unlimited. */
  readonly maxStructuredMetadataBytes: number;
  /** max_structured_metadata_entries_count; 0 = unlimited. */
  readonly maxStructuredMetadataEntries: number;
}

/** Loki's defaults. */
export const DEFAULT_LOKI_LIMITS: LokiLimits = {
  maxLineBytes: 256 * 1024,
  maxLabelNames: 15,
  maxLabelNameBytes: 1024,
  maxLabelValueBytes: 2048,
  maxAgeMs: 7 * 24 * 3600 * 1000,
  creationGracePeriodMs: 10 * 60 * 1000,
  maxStructuredMetadataBytes: 64 * 1024,
  maxStructuredMetadataEntries: 128,
};

/** A stream that passed validation, with the entries that did. */
export interface ValidStream {
  readonly labels: LabelPairs;
  readonly entries: readonly RawEntry[];
}

/** What validation kept and why it dropped the rest; `fatal` means nothing may be kept. */
export interface Validation {
  readonly streams: readonly ValidStream[];
  readonly errors: readonly string[];
  readonly fatal?: PushFailure;
}

const INTERNAL_LABELS = ['__aggregated_metric__', '__pattern__'];

/** Validates a decoded push at `nowMs`, stream by stream and entry by entry. */
export function validatePush(push: RawPush, nowMs: number, limits: LokiLimits = DEFAULT_LOKI_LIMITS): Validation {
  const streams: ValidStream[] = [];
  const errors: string[] = [];
  const nowNs = BigInt(Math.trunc(nowMs)) * 1_000_000n;
  for (const stream of push.streams) {
    if (stream.entries.length === 0) continue;
    const parsed = parseLabels(stream.labels);
    if ('error' in parsed) {
      errors.push(`error parsing labels '${stream.labels}' with error: ${parsed.error}`);
      continue;
    }
    const labelError = validateLabels(stream.labels, parsed.labels, limits);
    if (labelError) {
      errors.push(labelError);
      continue;
    }
    const entries: RawEntry[] = [];
    for (const entry of stream.entries) {
      const entryError = validateEntry(stream.labels, entry, nowNs, limits);
      if (entryError) {
        errors.push(entryError);
        continue;
      }
      if (entry.metadata.some(([name]) => name === '')) {
        return { streams: [], errors, fatal: { status: 500, message: 'normalization for label name "" resulted in empty name' } };
      }
      entries.push(entry);
    }
    if (entries.length > 0) streams.push({ labels: parsed.labels, entries });
  }
  return { streams, errors };
}

/** Validator.ValidateLabels: presence, count, name and value lengths, duplicates; the first problem or undefined. */
export function validateLabels(key: string, labels: LabelPairs, limits: LokiLimits): string | undefined {
  if (labels.length === 0) return 'error at least one label pair is required per stream';
  if (labels.some(([name]) => INTERNAL_LABELS.includes(name))) return undefined;
  const count = labels.length - (labels.some(([name]) => name === 'service_name') ? 1 : 0);
  if (count > limits.maxLabelNames) return `entry for stream '${key}' has ${count} label names; limit ${limits.maxLabelNames}`;
  let last = '';
  for (const [name, value] of labels) {
    if (Buffer.byteLength(name) > limits.maxLabelNameBytes) return `stream '${key}' has label name too long: '${name}'`;
    if (Buffer.byteLength(value) > limits.maxLabelValueBytes) return `stream '${key}' has label value too long: '${value}'`;
    if (name === last) return `stream '${key}' has duplicate label name: '${name}'`;
    last = name;
  }
  return undefined;
}

/** Validator.ValidateEntry: time window, line size, structured metadata; the problem or undefined. */
export function validateEntry(key: string, entry: RawEntry, nowNs: bigint, limits: LokiLimits): string | undefined {
  const oldest = nowNs - BigInt(limits.maxAgeMs) * 1_000_000n;
  if (limits.maxAgeMs > 0 && entry.tsNs < oldest) {
    return `entry for stream '${key}' has timestamp too old: ${rfc3339(entry.tsNs)}, oldest acceptable timestamp is: ${rfc3339(oldest)}`;
  }
  if (entry.tsNs > nowNs + BigInt(limits.creationGracePeriodMs) * 1_000_000n) {
    return `entry for stream '${key}' has timestamp too new: ${rfc3339(entry.tsNs)}`;
  }
  if (limits.maxLineBytes > 0 && entry.lineBytes > limits.maxLineBytes) {
    return `max entry size '${limits.maxLineBytes}' bytes exceeded for stream '${key}' while adding an entry with length '${entry.lineBytes}' bytes`;
  }
  if (entry.metadata.length === 0) return undefined;
  // util.StructuredMetadataSize leaves out the detected_level pair Loki adds itself.
  const size = entry.metadata.reduce((n, [name, value]) => (name === 'detected_level' ? n : n + Buffer.byteLength(name) + Buffer.byteLength(value)), 0);
  if (limits.maxStructuredMetadataBytes > 0 && size > limits.maxStructuredMetadataBytes) {
    return `stream '${key}' has structured metadata too large: '${size}' bytes, limit: '${limits.maxStructuredMetadataBytes}' bytes. Please see \`limits_config.max_structured_metadata_size\` or contact your Loki administrator to increase it.`;
  }
  const count = entry.metadata.length;
  if (limits.maxStructuredMetadataEntries > 0 && count > limits.maxStructuredMetadataEntries) {
    return `stream '${key}' has too many structured metadata labels: '${count}', limit: '${limits.maxStructuredMetadataEntries}'. Please see \`limits_config.max_structured_metadata_entries_count\` or contact your Loki administrator to increase it.`;
  }
  return undefined;
}

/** Loki's GroupedErrors text: one message as is; otherwise `N errors like: <msg>` per distinct message, joined by `; `. */
export function groupErrors(errors: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e, (counts.get(e) ?? 0) + 1);
  const grouped = counts.size > 1 || errors.length > 1;
  return [...counts].map(([message, n]) => (grouped ? `${n} errors like: ${message}` : message)).join('; ');
}
