import { loadConfig } from '../../config/config.js';
import { countQuarantined } from '../../daemon/quarantine.js';
import { hooksInstalledIn, settingsPathFor } from '../../install/install.js';
import { journalHead } from '../../journal/reader.js';
import { listRecords } from '../../spool/reader.js';
import { daemonState } from '../daemon-control.js';
import type { CliIo } from '../io.js';
import pc from 'picocolors';

/** `agenttrail status`: daemon, spool backlog, stored events, quarantine and installed hooks. */
export async function statusCommand(o: { json: boolean }, io: CliIo): Promise<void> {
  const config = loadConfig(io.paths, io.env);
  const state = await daemonState(io.paths, config.token);
  const last = state.stats ? undefined : journalHead(io.paths.journal);
  const head = state.stats
    ? { seq: state.stats.eventsStored, timestamp: state.stats.lastEventTime }
    : { seq: last?.seq ?? 0, timestamp: last?.event.timestamp ?? '' };
  const stats = (state.stats ?? {}) as Record<string, unknown>;
  const userSettings = settingsPathFor(io.env.HOME ?? '');
  const projectSettings = settingsPathFor(io.env.HOME ?? '', io.cwd);
  const hooks = [userSettings, projectSettings]
    .filter((f, i, all) => all.indexOf(f) === i)
    .map((file) => ({ settings_file: file, events: hooksInstalledIn(file) }));
  const status = {
    daemon: state.running ? 'running' : 'stopped',
    pid: state.running ? state.pid : null,
    url: state.info?.url ?? null,
    started_at: state.info?.startedAt ?? null,
    home: io.paths.home,
    spool_backlog: listRecords(io.paths.spoolNew).length,
    events_stored: head.seq,
    indexed_seq: state.stats && 'indexedSeq' in state.stats ? (state.stats as { indexedSeq: number }).indexedSeq : null,
    last_event_time: head.timestamp || null,
    quarantined: countQuarantined(io.paths.quarantine),
    chain_break: (stats.indexChainBreak as object | null | undefined) ?? null,
    detection: (stats.detection as { evaluated: number; findings: number; ruleErrors: number } | null | undefined) ?? null,
    alerts: (stats.alerts as unknown) ?? null,
    installed_hooks: hooks,
  };
  if (o.json) {
    io.stdout(`${JSON.stringify(status, null, 2)}\n`);
    return;
  }
  const c = io.color ? pc : { green: String, red: String, yellow: String, bold: String };
  const lines = [
    `daemon        ${state.running ? c.green('running') : c.red('stopped')}${state.running ? `  pid ${state.pid}  ${status.url ?? ''}` : '  (start with `agenttrail up --detach`)'}`,
    `data          ${status.home}`,
    `spool backlog ${status.spool_backlog}`,
    `events stored ${status.events_stored}${status.last_event_time ? `  last at ${status.last_event_time}` : ''}`,
    ...(status.indexed_seq !== null ? [`indexed       through seq ${status.indexed_seq}`] : []),
    `quarantined   ${status.quarantined ? c.yellow(String(status.quarantined)) : '0'}`,
    ...(status.chain_break ? [`chain         ${c.red(`broken: ${JSON.stringify(status.chain_break)} (run \`agenttrail verify\`)`)}`] : []),
    ...(status.detection ? [`detection     ${status.detection.findings} findings from ${status.detection.evaluated} events since start${status.detection.ruleErrors ? c.yellow(`, ${status.detection.ruleErrors} rule errors (see daemon.log)`) : ''}`] : []),
    ...hooks.map((h) => `hooks         ${h.events.length ? `${h.events.length} events` : 'none'} in ${h.settings_file}`),
  ];
  io.stdout(`${lines.join('\n')}\n`);
}
