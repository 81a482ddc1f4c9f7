/**
 * Local checks against Loki's limits (loki.md §2), so that a push is never partially rejected with a
 * 400 that cannot say which entries were lost. Everything here is pure and deterministic: the same
 * journal entry always yields the same timestamp and line bytes, which is what lets Loki drop a
 * retried entry as a duplicate (loki.md §1.7).
 *
 * Entries outside Loki's time window (reject_old_samples_max_age 7 d, creation_grace_period 10 min)
 * are dropped and counted, never re-stamped: a new timestamp would make a retry a different entry to
 * Loki (no deduplication) and would falsify the audit time, which is the capture time.
 */
import type { JournalEntry } from '../../core/chain/entry.js';
import { canonicalJson } from '../../core/chain/entry.js';
import type { AgentEvent } from '../../core/event/schema.js';

/** Why an entry is not sent. */
export type RejectReason = 'invalid_timestamp' | 'too_old' | 'too_new' | 'line_too_long';

/** A Loki timestamp: seconds since the epoch plus nanoseconds (protobuf Timestamp). */
export interface EntryTime {
  readonly ms: number;
  readonly seconds: number;
  readonly nanos: number;
}

// The event schema promises ISO 8601 UTC with milliseconds; anything Date.parse would read in local time is refused.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Returns an entry's Loki timestamp: the event's millisecond time plus `seq mod 1e6` as sub-millisecond
 * nanoseconds. Events carry ms precision, so those digits are free: filling them from the journal seq
 * gives two events of the same millisecond distinct timestamps in journal order, and a retry (or a
 * restart) the very same value, since it depends on nothing but the entry. The value stays inside
 * the event's millisecond, so order across milliseconds is untouched. Within one millisecond, two
 * seqs that straddle a multiple of 1e6 come out in reverse order; that only affects display order.
 */
export function entryTime(entry: JournalEntry): EntryTime | undefined {
  const ts = entry.event.timestamp;
  if (typeof ts !== 'string' || !ISO.test(ts)) return undefined;
  const ms = Date.parse(ts);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  const seconds = Math.floor(ms / 1000);
  return { ms, seconds, nanos: (ms - seconds * 1000) * 1_000_000 + (entry.seq % 1_000_000) };
}

/** Loki's accepted timestamp window: reject_old_samples_max_age and creation_grace_period (0 = no limit). */
export interface TimeWindow {
  readonly maxAgeMs: number;
  readonly maxFutureMs: number;
}

/** Returns why a timestamp falls outside the window Loki accepts at `nowMs`, or undefined. */
export function checkWindow(ms: number, nowMs: number, w: TimeWindow): 'too_old' | 'too_new' | undefined {
  if (w.maxAgeMs > 0 && ms < nowMs - w.maxAgeMs) return 'too_old';
  if (ms > nowMs + w.maxFutureMs) return 'too_new';
  return undefined;
}

/** A log line, and whether it had to be shortened. */
export interface EventLine {
  readonly line: string;
  readonly truncated: boolean;
}

// Tried in turn once `raw` alone was not enough.
const CLIP_STEPS = [8192, 2048, 512, 128];

/**
 * Returns the log line for an event: its canonical JSON (the same text the journal hashed). Over
 * `maxBytes` (0 = no limit) it is shortened step by step, staying valid JSON with a `_truncated`
 * note: first `raw` is removed, then long strings are clipped, finally only the core fields remain.
 * Undefined when even that does not fit.
 */
export function eventLine(event: AgentEvent, maxBytes: number): EventLine | undefined {
  const full = canonicalJson(event);
  if (maxBytes === 0 || full.length <= maxBytes / 3 || Buffer.byteLength(full) <= maxBytes) return { line: full, truncated: false };
  const note = { reason: 'max_line_bytes', original_bytes: Buffer.byteLength(full), raw_removed: true };
  const fits = (value: unknown): string | undefined => {
    const line = canonicalJson(value);
    return Buffer.byteLength(line) <= maxBytes ? line : undefined;
  };
  let line = fits({ ...event, raw: null, _truncated: note });
  for (const limit of CLIP_STEPS) {
    line ??= fits({ ...(clipStrings({ ...event, raw: null }, limit) as object), _truncated: { ...note, strings_clipped_to: limit } });
  }
  line ??= fits({ ...(clipStrings(coreOf(event), 128) as object), _truncated: { ...note, strings_clipped_to: 128, core_fields_only: true } });
  return line === undefined ? undefined : { line, truncated: true };
}

function coreOf(e: AgentEvent): Partial<AgentEvent> {
  const { timestamp, level, event_type, hook_event, session_id, prompt_id, agent_id, tool_name, tool_use_id, project_name, metadata } = e;
  return { timestamp, level, event_type, hook_event, session_id, prompt_id, agent_id, tool_name, tool_use_id, project_name, metadata };
}

/** Returns a copy of a JSON value with every string longer than `maxChars` clipped and marked. */
export function clipStrings(value: unknown, maxChars: number): unknown {
  if (typeof value === 'string') {
    if (value.length <= maxChars) return value;
    const cut = /[\ud800-\udbff]/.test(value[maxChars - 1] ?? '') ? maxChars - 1 : maxChars;
    return `${value.slice(0, cut)}…[clipped ${value.length - cut} chars]`;
  }
  if (Array.isArray(value)) return value.map((v) => clipStrings(v, maxChars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clipStrings(v, maxChars)]));
  }
  return value;
}

/** Clips a string to at most `maxBytes` of UTF-8 without splitting a character. */
export function clipUtf8(value: string, maxBytes: number): string {
  if (value.length * 3 <= maxBytes || Buffer.byteLength(value) <= maxBytes) return value;
  const bytes = Buffer.from(value).subarray(0, maxBytes);
  let end = bytes.length;
  // Back off over continuation bytes to the start of the last character, and drop it if incomplete.
  let start = end - 1;
  while (start > 0 && (bytes[start]! & 0xc0) === 0x80) start--;
  const lead = bytes[start]!;
  const need = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  if (end - start < need) end = start;
  return bytes.subarray(0, end).toString('utf8');
}

/** Replaces lone surrogates (which UTF-8 cannot carry) with U+FFFD. */
export function wellFormed(value: string): string {
  return /\p{Cs}/u.test(value) ? value.replace(/\p{Cs}/gu, '\ufffd') : value;
}
