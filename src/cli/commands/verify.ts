import { ExitError } from '../../errors.js';
import { verifyJournal } from '../../journal/reader.js';
import type { CliIo } from '../io.js';

/** `agenttrail verify`: walks the hash chain and reports the first broken link. */
export function verifyCommand(o: { json: boolean }, io: CliIo): void {
  const result = verifyJournal(io.paths.journal);
  if (o.json) io.stdout(`${JSON.stringify({ ok: !result.firstBreak, ...result })}\n`);
  else if (!result.firstBreak) io.stdout(`Journal intact: ${result.entries} entries, head seq ${result.lastSeq}, hash ${result.lastHash}\n`);
  else io.stdout(`Journal BROKEN at seq ${result.firstBreak.seq} (${result.firstBreak.kind}) in ${result.firstBreak.segment}; ${result.entries} entries before it verify.\n`);
  if (result.firstBreak) throw new ExitError(1);
}
