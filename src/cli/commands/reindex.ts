import { loadConfig } from '../../config/config.js';
import { EventIndex } from '../../store/event-index.js';
import { createLocalStore } from '../../store/service.js';
import { journalHead } from '../../journal/reader.js';
import { UserError } from '../../errors.js';
import { daemonState } from '../daemon-control.js';
import { createProgress } from '../output/progress.js';
import type { CliIo } from '../io.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `agenttrail reindex`: rebuilds the index from the journal, in the daemon if it runs, else here. */
export async function reindexCommand(o: { tty: boolean }, io: CliIo): Promise<void> {
  const config = loadConfig(io.paths, io.env);
  const progress = createProgress(io.stderr, o.tty, 'reindex');
  const state = await daemonState(io.paths, config.token);
  const headers: Record<string, string> = config.token ? { authorization: `Bearer ${config.token}` } : {};
  if (state.running && state.info) {
    const res = await fetch(`${state.info.url}/api/v1/reindex`, { method: 'POST', headers });
    if (!res.ok) throw new UserError(`The daemon refused to reindex (${res.status}): ${await res.text()}`, 'REINDEX_REFUSED');
    const { target_seq: target } = (await res.json()) as { target_seq: number };
    for (;;) {
      const status = (await (await fetch(`${state.info.url}/api/v1/status`, { headers })).json()) as { indexedSeq: number; reindexing: boolean };
      progress.update(status.indexedSeq, target);
      if (!status.reindexing && status.indexedSeq >= target) break;
      await sleep(200);
    }
    progress.finish();
    io.stdout(`Reindexed ${target} events (in the daemon).\n`);
    return;
  }
  // The progress total only needs the newest seq, not a hash check of the whole chain.
  const total = journalHead(io.paths.journal)?.seq ?? 0;
  const store = createLocalStore(await EventIndex.open(io.paths.index, io.paths.journal, { memoryLimit: config.index.memoryLimit, threads: config.index.threads }));
  try {
    const added = await store.rebuild((seq) => progress.update(seq, total));
    progress.finish();
    io.stdout(`Reindexed ${added} events.\n`);
  } finally {
    await store.close();
  }
}
