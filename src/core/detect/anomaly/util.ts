/**
 * Small helpers shared by the anomaly detectors: the candidate shape they hand to the engine,
 * LRU-ordered maps (touch = delete + set, so the first key is the least recently seen), robust
 * statistics and number formatting for explanations.
 */
import { z } from 'zod';

export type Detector = 'first-seen' | 'markov' | 'robust-z';

/** What a detector proposes; the engine's budget decides whether it becomes an AnomalyHit. */
export interface Candidate {
  readonly detector: Detector;
  /** Entity key (`u:<user>`, `up:<user>\0<project>`); with `token` it keys budget suppression. */
  readonly entity: string;
  readonly token: string;
  readonly score: number;
  readonly evidence: string;
  readonly note: string;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Sets `key` and moves it to the most-recently-seen end of the map. */
export function touch<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
}

/** Drops least-recently-seen entries (the map's front) until at most `max` remain. */
export function trim<K, V>(map: Map<K, V>, max: number, onEvict?: (key: K, value: V) => void): void {
  for (const [key, value] of map) {
    if (map.size <= max) return;
    map.delete(key);
    onEvict?.(key, value);
  }
}

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

/** Linear-interpolation percentile (type 7); 0 for an empty list. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (rank - lo);
}

/** `4210` → `4,210`; non-integers get one decimal (`9.25` → `9.3`). */
export function fmt(n: number): string {
  const [int = '0', frac] = (Number.isInteger(n) ? String(n) : n.toFixed(1)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** Clips to `max` characters and replaces control characters (keys use \0 as a separator). */
export function clean(s: string, max = 120): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A finite number (snapshots must not smuggle NaN/Infinity back in). */
export const num = z.number();
export const count = z.number().int().nonnegative();
