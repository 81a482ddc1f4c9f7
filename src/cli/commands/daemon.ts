import { loadConfig } from '../../config/config.js';
import { startDaemon } from '../../daemon/run.js';
import { ExitError } from '../../errors.js';
import { daemonState, startDetached, stopDaemon } from '../daemon-control.js';
import type { CliIo } from '../io.js';

/** `agenttrail up`: runs the daemon in the foreground until SIGINT/SIGTERM, or starts it detached. */
export async function upCommand(o: { detach: boolean; quiet: boolean }, io: CliIo): Promise<void> {
  const config = loadConfig(io.paths, io.env);
  if (o.detach) {
    const state = await daemonState(io.paths, config.token);
    if (state.running) {
      if (!o.quiet) io.stdout(`AgentTrail is already running: pid ${state.pid}${state.info ? `, ${state.info.url}` : ''}\n`);
      return;
    }
    const info = await startDetached(io.paths, io.env);
    if (!o.quiet) io.stdout(`AgentTrail started: pid ${info.pid}, ${info.url}\n`);
    return;
  }
  const log = (m: string) => io.stderr(`${new Date().toISOString()} ${m}\n`);
  const daemon = await startDaemon(io.paths, config, log);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      log(`Received ${signal}; shutting down.`);
      void daemon.stop().then(resolve);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

/** `agenttrail down`: stops the daemon. */
export async function downCommand(o: { timeout: number }, io: CliIo): Promise<void> {
  const pid = await stopDaemon(io.paths, o.timeout * 1000);
  io.stdout(pid ? `AgentTrail stopped (pid ${pid}).\n` : 'AgentTrail was not running.\n');
}

/** Fails with a hint when the daemon is not running. */
export async function requireDaemon(io: CliIo): Promise<void> {
  const state = await daemonState(io.paths);
  if (!state.running) {
    io.stderr('AgentTrail is not running. Start it with `agenttrail up --detach`.\n');
    throw new ExitError(3);
  }
}
