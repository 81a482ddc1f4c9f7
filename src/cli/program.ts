import { Command, Option } from 'commander';
import { AGENTTRAIL_VERSION } from '../version.js';
import { upCommand, downCommand } from './commands/daemon.js';
import { eventsCommand, sessionsCommand } from './commands/events.js';
import { flushCommand } from './commands/flush.js';
import { installCommand, uninstallCommand } from './commands/install.js';
import { statusCommand } from './commands/status.js';
import { verifyCommand } from './commands/verify.js';
import type { CliIo } from './io.js';
import { parsePositiveInt } from './time.js';

/** Builds the command table; each action calls one command function with the injected io. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('agenttrail')
    .description('Tamper-evident audit trail for AI coding agents (Claude Code first).')
    .version(AGENTTRAIL_VERSION)
    .showHelpAfterError()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('install')
    .description('add capture hooks to Claude Code settings and start the daemon')
    .option('--project <dir>', 'install into DIR/.claude/settings.json instead of ~/.claude/settings.json')
    .addOption(new Option('--transport <kind>', 'how hooks deliver events').choices(['command', 'async', 'http']).default('command'))
    .option('--no-start', 'do not start the daemon')
    .action((o: { project?: string; transport: string; start: boolean }) => installCommand(o, io));

  program
    .command('uninstall')
    .description("remove AgentTrail's hooks (and only them) from Claude Code settings")
    .option('--project <dir>', 'uninstall from DIR/.claude/settings.json')
    .action((o: { project?: string }) => uninstallCommand(o, io));

  program
    .command('up')
    .description('run the collector daemon (foreground unless --detach)')
    .option('--detach', 'start in the background and return once it answers', false)
    .option('--quiet', 'print nothing on success', false)
    .action((o: { detach: boolean; quiet: boolean }) => upCommand(o, io));

  program
    .command('down')
    .description('stop the daemon')
    .option('--timeout <seconds>', 'wait this long before SIGKILL', '10')
    .action((o: { timeout: string }) => downCommand({ timeout: parsePositiveInt(o.timeout, '--timeout') }, io));

  program
    .command('status')
    .description('daemon, spool backlog, events stored, quarantine and installed hooks')
    .option('--json', 'machine-readable output', false)
    .action((o: { json: boolean }) => statusCommand(o, io));

  program
    .command('flush')
    .description('return once everything spooled so far is committed to the journal')
    .option('--timeout <seconds>', 'give up after this long', '30')
    .action((o: { timeout: string }) => flushCommand({ timeout: parsePositiveInt(o.timeout, '--timeout') }, io));

  program
    .command('events')
    .description('print events in time order')
    .option('--session <id>', 'only this session (a prefix is enough)')
    .option('--since <when>', 'duration (30s, 15m, 2h, 7d) or ISO time')
    .option('--until <when>', 'duration or ISO time')
    .option('--tool <name>', 'only this tool (e.g. Bash)')
    .option('--type <event_type>', 'only this event type (e.g. file_read)')
    .option('--limit <n>', 'only the newest N events')
    .option('--json', 'JSON Lines output', false)
    .action((o) => eventsCommand(o, io));

  program
    .command('sessions')
    .description('list sessions with project, start, end and counts')
    .option('--json', 'JSON output', false)
    .action((o: { json: boolean }) => sessionsCommand(o, io));

  program
    .command('verify')
    .description('verify the journal hash chain')
    .option('--json', 'JSON output', false)
    .action((o: { json: boolean }) => verifyCommand(o, io));

  return program;
}
