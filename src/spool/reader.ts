import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { parseSpoolRecord, type SpoolHeader, type SpoolRecord } from './format.js';

/** A complete record, ready to be journaled. */
export interface ReadyRecord {
  readonly name: string;
  readonly path: string;
  readonly record: SpoolRecord;
  readonly capturedAtMs: number;
}

/** A record that can never be journaled as an event; it goes to quarantine with its bytes. */
export interface BadRecord {
  readonly name: string;
  readonly path: string;
  readonly reason: string;
  readonly capturedAtMs: number;
  readonly sizeBytes: number;
  readonly header?: SpoolHeader;
}

export interface ScanOptions {
  /** Records larger than this are quarantined unread. */
  readonly maxRecordBytes: number;
  /** At most this many ready records per scan, oldest first. */
  readonly maxRecords: number;
  /** An incomplete record whose writer is gone (or unknown) and that has not changed for this long is truncated. */
  readonly deadWriterGraceMs: number;
  /** A record still incomplete after this long is abandoned even if its pid is alive (pid reuse). */
  readonly abandonAfterMs: number;
  readonly nowMs: number;
  readonly isAlive: (pid: number) => boolean;
}

export interface ScanResult {
  readonly ready: ReadyRecord[];
  readonly bad: BadRecord[];
  /** Records still being written. */
  readonly pending: number;
  /** Records left for the next scan because of maxRecords. */
  readonly deferred: number;
}

/** Lists record files, oldest capture first. */
export function listRecords(dir: string): { name: string; path: string; stats: Stats }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: { name: string; path: string; stats: Stats }[] = [];
  for (const name of names) {
    if (!name.endsWith('.rec')) continue;
    const path = join(dir, name);
    try {
      out.push({ name, path, stats: statSync(path) });
    } catch {
      // Consumed by another pass between readdir and stat.
    }
  }
  return out.sort((a, b) => captureTimeMs(a.stats) - captureTimeMs(b.stats) || a.name.localeCompare(b.name));
}

/** Capture time of a record: its creation (birth) time where the filesystem keeps one. */
export function captureTimeMs(stats: Stats): number {
  return stats.birthtimeMs > 0 ? stats.birthtimeMs : stats.mtimeMs;
}

/** Reads the spool directory and sorts its records into ready, bad and still-being-written. */
export function scanSpool(dir: string, options: ScanOptions): ScanResult {
  const ready: ReadyRecord[] = [];
  const bad: BadRecord[] = [];
  let pending = 0;
  let deferred = 0;
  for (const { name, path, stats } of listRecords(dir)) {
    if (ready.length + bad.length >= options.maxRecords) {
      deferred++;
      continue;
    }
    const capturedAtMs = captureTimeMs(stats);
    const base = { name, path, capturedAtMs, sizeBytes: stats.size };
    if (stats.size > options.maxRecordBytes) {
      bad.push({ ...base, reason: 'too_large' });
      continue;
    }
    const outcome = classify(path, stats, options);
    if (outcome === undefined) continue;
    if (outcome === 'pending') pending++;
    else if ('record' in outcome) ready.push({ ...base, record: outcome.record });
    else bad.push({ ...base, ...outcome });
  }
  return { ready, bad, pending, deferred };
}

type Outcome = 'pending' | { record: SpoolRecord } | { reason: string; header?: SpoolHeader } | undefined;

function classify(path: string, stats: Stats, options: ScanOptions): Outcome {
  const first = readOrUndefined(path);
  if (first === undefined) return undefined;
  const parsed = parseSpoolRecord(first);
  if (parsed.status === 'complete') return { record: parsed.record };
  if (parsed.status === 'invalid') return { reason: parsed.reason };
  // Age since the last write. A dead writer is only believed once the file has been still for the
  // grace period: hooks in another pid namespace (sandboxes) look dead while they write.
  const ageMs = options.nowMs - stats.mtimeMs;
  const writerGone = parsed.header ? !options.isAlive(parsed.header.pid) : true;
  if (ageMs < (writerGone ? options.deadWriterGraceMs : options.abandonAfterMs)) return 'pending';
  // The writer may have finished between the read and the liveness check: read once more.
  const again = readOrUndefined(path);
  if (again === undefined) return undefined;
  const reparsed = parseSpoolRecord(again);
  if (reparsed.status === 'complete') return { record: reparsed.record };
  if (reparsed.status === 'invalid') return { reason: reparsed.reason };
  return { reason: 'truncated', ...(reparsed.header ? { header: reparsed.header } : {}) };
}

function readOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Returns whether a process is running (EPERM means it exists under another user). A zombie —
 * exited, not yet reaped by its parent — answers kill(0) but has finished: it counts as gone.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}
