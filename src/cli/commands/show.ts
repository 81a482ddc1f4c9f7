import { ExitError } from '../../errors.js';
import { renderTimeline } from '../output/timeline.js';
import type { CliIo } from '../io.js';
import { withQuery } from '../store-client.js';

/** `agenttrail show SESSION`: a session's readable timeline (or its events as JSON). */
export async function showCommand(session: string, o: { json: boolean }, io: CliIo): Promise<void> {
  const events = await withQuery(io.paths, io.env, (q) => q.session(session));
  if (events.length === 0) {
    io.stderr(`No single session matches "${session}". List them with \`agenttrail sessions\`.\n`);
    throw new ExitError(2);
  }
  if (o.json) io.stdout(`${JSON.stringify({ session_id: events[0]!.session_id, events }, null, 2)}\n`);
  else io.stdout(`${renderTimeline(events, io.color, process.stdout.columns || 160)}\n`);
}
