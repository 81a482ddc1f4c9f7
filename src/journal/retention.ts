/**
 * Retention for sealed journal segments: by age and by total size, oldest first, never the active
 * (newest) segment. Segments are archived (moved) or deleted, as the user chose; either way the last
 * entry of what left is written to `anchor.json`, so `verify` still proves the remaining chain.
 *
 *   anchor.json {seq, hash}  →  seg-<seq+1>.jsonl (first remaining entry's prev === anchor.hash)
 */
import { copyFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ensurePrivateDir, readJsonIfExists, writeFileAtomic } from '../platform/fs.js';
import { lastEntryOf } from './reader.js';
import { listSegments } from './segments.js';

export interface RetentionPolicy {
  /** Segments whose newest entry is older than this are removed. */
  readonly maxAgeDays?: number;
  /** While the journal is larger than this, its oldest sealed segments are removed. */
  readonly maxBytes?: number;
  readonly action: 'archive' | 'delete';
  readonly archiveDir: string;
}

export interface ChainAnchor {
  readonly seq: number;
  readonly hash: string;
}

/** Reads the anchor left by retention (the last removed entry), if any. */
export function readAnchor(journalDir: string): ChainAnchor | undefined {
  return readJsonIfExists<ChainAnchor>(join(journalDir, 'anchor.json'));
}

export interface RetentionResult {
  readonly removed: string[];
  /** Highest seq no longer in the journal (0 when nothing was removed). */
  readonly removedThroughSeq: number;
}

/** Applies a policy to the journal's sealed segments. */
export function applyRetention(journalDir: string, policy: RetentionPolicy, nowMs: number): RetentionResult {
  const segments = listSegments(journalDir).map((s) => ({ ...s, bytes: statSync(s.path).size }));
  const sealed = segments.slice(0, -1);
  let total = segments.reduce((n, s) => n + s.bytes, 0);
  const removed: string[] = [];
  let anchor: ChainAnchor | undefined;
  for (const seg of sealed) {
    const last = lastEntryOf(seg.path);
    const tooOld = policy.maxAgeDays !== undefined && last !== undefined && nowMs - Date.parse(last.event.timestamp) > policy.maxAgeDays * 86_400_000;
    const tooBig = policy.maxBytes !== undefined && total > policy.maxBytes;
    if (!tooOld && !tooBig) break;
    if (last) anchor = { seq: last.seq, hash: last.hash };
    // The anchor goes first: a crash after it but before the move only leaves an extra segment.
    if (anchor) writeFileAtomic(join(journalDir, 'anchor.json'), `${JSON.stringify(anchor)}\n`);
    if (policy.action === 'archive') moveToArchive(seg.path, policy.archiveDir);
    else unlinkSync(seg.path);
    total -= seg.bytes;
    removed.push(seg.path);
  }
  return { removed, removedThroughSeq: anchor?.seq ?? 0 };
}

function moveToArchive(path: string, archiveDir: string): void {
  ensurePrivateDir(archiveDir);
  const target = join(archiveDir, basename(path));
  try {
    renameSync(path, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(path, target);
    unlinkSync(path);
  }
}
