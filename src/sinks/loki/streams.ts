import type { JournalEntry } from '../../core/chain/entry.js';
import { renderLabels, streamLabels, structuredMetadata, type LabelSettings, type Pairs } from './labels.js';
import { checkWindow, entryTime, eventLine, type RejectReason, type TimeWindow } from './validate.js';

/** One log entry as Loki stores it. */
export interface PushEntry {
  readonly seconds: number;
  readonly nanos: number;
  readonly line: string;
  readonly metadata: Pairs;
}

/** One stream of a push request: sorted labels, their rendered form, entries in time order. */
export interface PushStream {
  readonly labels: Pairs;
  /** `{a="x", b="y"}`: the protobuf `labels` field, and the key entries are grouped by. */
  readonly key: string;
  readonly entries: PushEntry[];
}

/** Everything that shapes a push from journal entries. */
export interface PushSettings extends LabelSettings, TimeWindow {
  /** Loki's max_line_size (0 = no limit). */
  readonly maxLineBytes: number;
}

/** A push request's streams, plus what was left out or shortened. */
export interface BuiltPush {
  readonly streams: PushStream[];
  readonly entries: number;
  readonly rejected: Partial<Record<RejectReason, number>>;
  readonly truncated: number;
}

/**
 * Turns journal entries into push streams: entries grouped by stream in order of first appearance,
 * each stream sorted by timestamp (stably, so equal timestamps keep journal order), entries outside
 * Loki's time window or unencodable left out and counted. `nowMs` only decides the window.
 */
export function buildPush(batch: readonly JournalEntry[], s: PushSettings, nowMs: number): BuiltPush {
  const byKey = new Map<string, PushStream>();
  const rejected: Partial<Record<RejectReason, number>> = {};
  let truncated = 0;
  let entries = 0;
  const reject = (reason: RejectReason): void => void (rejected[reason] = (rejected[reason] ?? 0) + 1);
  for (const entry of batch) {
    const time = entryTime(entry);
    if (!time) {
      reject('invalid_timestamp');
      continue;
    }
    const outside = checkWindow(time.ms, nowMs, s);
    if (outside) {
      reject(outside);
      continue;
    }
    const line = eventLine(entry.event, s.maxLineBytes);
    if (!line) {
      reject('line_too_long');
      continue;
    }
    if (line.truncated) truncated++;
    const labels = streamLabels(entry, s);
    const key = renderLabels(labels);
    let stream = byKey.get(key);
    if (!stream) byKey.set(key, (stream = { labels, key, entries: [] }));
    stream.entries.push({ seconds: time.seconds, nanos: time.nanos, line: line.line, metadata: structuredMetadata(entry, s) });
    entries++;
  }
  const streams = [...byKey.values()];
  for (const stream of streams) stream.entries.sort((a, b) => a.seconds - b.seconds || a.nanos - b.nanos);
  return { streams, entries, rejected, truncated };
}

/** Splits streams into two halves of about equal entry count (to retry a push a server found too large). */
export function splitStreams(streams: readonly PushStream[]): [PushStream[], PushStream[]] {
  const total = countEntries(streams);
  const first: PushStream[] = [];
  const second: PushStream[] = [];
  let taken = 0;
  for (const stream of streams) {
    const room = Math.max(0, Math.ceil(total / 2) - taken);
    if (room >= stream.entries.length) first.push(stream);
    else if (room === 0) second.push(stream);
    else {
      first.push({ ...stream, entries: stream.entries.slice(0, room) });
      second.push({ ...stream, entries: stream.entries.slice(room) });
    }
    taken += Math.min(room, stream.entries.length);
  }
  return [first, second];
}

/** Counts the entries of some streams. */
export function countEntries(streams: readonly PushStream[]): number {
  return streams.reduce((n, s) => n + s.entries.length, 0);
}
