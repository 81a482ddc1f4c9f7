import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Segment files are named after the sequence number of their first entry. */
export function segmentName(firstSeq: number): string {
  return `seg-${String(firstSeq).padStart(12, '0')}.jsonl`;
}

/** Lists segment files in order, with the first sequence number each holds. */
export function listSegments(dir: string): { path: string; firstSeq: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, m: /^seg-(\d{12})\.jsonl$/.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map(({ name, m }) => ({ path: join(dir, name), firstSeq: Number(m[1]) }))
    .sort((a, b) => a.firstSeq - b.firstSeq);
}
