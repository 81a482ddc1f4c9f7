import { existsSync } from 'node:fs';
import { listRecords } from '../../spool/reader.js';
import { ExitError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { requireDaemon } from './daemon.js';

/** `agenttrail flush`: returns once every record spooled before the call is committed to the journal. */
export async function flushCommand(o: { timeout: number }, io: CliIo): Promise<void> {
  await requireDaemon(io);
  const waiting = listRecords(io.paths.spoolNew).map((r) => r.path);
  const deadline = Date.now() + o.timeout * 1000;
  let left = waiting;
  while ((left = left.filter((p) => existsSync(p))).length > 0) {
    if (Date.now() > deadline) {
      io.stderr(`${left.length} of ${waiting.length} spooled records are not committed after ${o.timeout} s.\n`);
      throw new ExitError(4);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  io.stdout(`Flushed ${waiting.length} records.\n`);
}
