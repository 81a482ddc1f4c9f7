import { randomUUID } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSpoolRecord } from './format.js';
import { ensurePrivateDir } from '../platform/fs.js';

/** Writes one complete record into the spool atomically (temp name, then rename), as a hook would. */
export function writeSpoolRecord(dir: string, event: string, transport: string, projectDir: string, payload: Buffer, agent = '-'): string {
  const id = randomUUID();
  const tmp = join(dir, `.${id}.tmp`);
  const bytes = encodeSpoolRecord({ event, transport, pid: 0, ppid: 0, id, projectDir, agent }, payload);
  try {
    writeFileSync(tmp, bytes, { mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    ensurePrivateDir(dir);
    writeFileSync(tmp, bytes, { mode: 0o600 });
  }
  renameSync(tmp, join(dir, `${id}.rec`));
  return id;
}
