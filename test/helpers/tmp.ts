import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

/** Makes a temporary directory that is removed after the current test. */
export function tmpDir(prefix = 'agenttrail-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) if (!process.env.KEEP_TMP) rmSync(dir, { recursive: true, force: true });
});
