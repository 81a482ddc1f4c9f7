import { loadConfig } from '../../config/config.js';
import { UserError } from '../../errors.js';
import { installHooks, settingsPathFor, uninstallHooks } from '../../install/install.js';
import { TRANSPORTS, type Transport } from '../../install/settings.js';
import { daemonState, startDetached } from '../daemon-control.js';
import type { CliIo } from '../io.js';

export interface InstallOptions {
  readonly project?: string;
  readonly transport: string;
  readonly start: boolean;
}

/** `agenttrail install`: hooks into Claude Code settings, then the daemon. */
export async function installCommand(o: InstallOptions, io: CliIo): Promise<void> {
  if (!TRANSPORTS.includes(o.transport as Transport)) {
    throw new UserError(`--transport must be one of ${TRANSPORTS.join(', ')}, not "${o.transport}".`, 'BAD_TRANSPORT');
  }
  const config = loadConfig(io.paths, io.env);
  const file = settingsPathFor(io.env.HOME ?? '', o.project);
  const result = installHooks(io.paths, config, file, o.transport as Transport);
  io.stdout(
    `${result.changed ? 'Installed' : 'Already installed:'} AgentTrail hooks for ${result.events.length} events (${o.transport} transport) in ${file}` +
      `${result.backup ? `\nBackup of the previous file: ${result.backup}` : ''}\n`,
  );
  for (const w of result.warnings) io.stderr(`Warning: ${w}\n`);
  if (!o.start) return;
  const state = await daemonState(io.paths, config.token);
  const info = state.running && state.info ? state.info : await startDetached(io.paths, io.env);
  io.stdout(`Daemon ${state.running ? 'already running' : 'started'}: pid ${info.pid}, ${info.url}\nData: ${io.paths.home}\n`);
}

/** `agenttrail uninstall`: removes only AgentTrail's hooks. */
export function uninstallCommand(o: { project?: string }, io: CliIo): void {
  const result = uninstallHooks(settingsPathFor(io.env.HOME ?? '', o.project));
  io.stdout(result.changed ? `Removed AgentTrail hooks from ${result.settingsFile}\n` : `No AgentTrail hooks in ${result.settingsFile}\n`);
}
