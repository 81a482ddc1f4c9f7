import { copyFileSync, linkSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../platform/fs.js';

export interface QuarantineNote {
  readonly reason: string;
  readonly size_bytes: number;
  readonly sha256: string;
  readonly captured_at: string;
  readonly quarantined_at: string;
}

/** Keeps a bad record's bytes (hard link, else copy) with a reason file beside it; returns its path. */
export function quarantineRecord(dir: string, name: string, sourcePath: string, note: QuarantineNote): string {
  ensurePrivateDir(dir);
  const target = join(dir, name);
  try {
    linkSync(sourcePath, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') copyFileSync(sourcePath, target);
  }
  writeFileAtomic(`${target}.reason.json`, `${JSON.stringify(note, null, 2)}\n`);
  return target;
}

/** Counts quarantined records. */
export function countQuarantined(dir: string): number {
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.reason.json')).length;
  } catch {
    return 0;
  }
}
