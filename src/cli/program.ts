import { Command, Option } from 'commander';
import { AGENTTRAIL_VERSION } from '../version.js';
import { upCommand, downCommand } from './commands/daemon.js';
import { eventsCommand, searchCommand, sessionsCommand, type FilterOptions } from './commands/events.js';
import { flushCommand } from './commands/flush.js';
import { installCommand, uninstallCommand } from './commands/install.js';
import { statusCommand } from './commands/status.js';
import { verifyCommand } from './commands/verify.js';
import type { CliIo } from './io.js';
import { parsePositiveInt } from '../store/time.js';
import { reindexCommand } from './commands/reindex.js';
import { showCommand } from './commands/show.js';
import { findingsCommand, type FindingsOptions } from './commands/findings.js';
import { rulesCommand, rulesTestCommand, type RulesTestOptions } from './commands/rules.js';

/** Adds the filter options shared by events, search and sessions. */
function withFilters(command: Command): Command {
  return command
    .option('--session <id>', 'only this session (a prefix is enough)')
    .option('--since <when>', 'from: duration ago (30s, 15m, 2h, 7d) or ISO time')
    .option('--until <when>', 'to: duration ago or ISO time')
    .option('--project <name>', 'project name or path')
    .option('--tool <name>', 'tool name (e.g. Bash)')
    .option('--type <event_type>', 'event type (e.g. file_read)')
    .option('--path <glob>', 'file path glob; * matches across / (e.g. "*/.env")')
    .option('--user <name>', 'OS user')
    .option('--host <name>', 'host name')
    .option('--severity <level>', 'at least this level: debug, info, warn, error')
    .option('--limit <n>', 'only the newest N');
}

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

  withFilters(program.command('events').description('print events in time order (the newest N with --limit)'))
    .option('--json', 'JSON Lines output', false)
    .action((o: FilterOptions) => eventsCommand(o, io));

  withFilters(program.command('search').argument('<text>', 'case-insensitive text in the target (file, command, URL, prompt), error, tool or command').description('find events by text (newest 200 unless --limit)'))
    .option('--json', 'JSON Lines output', false)
    .action((text: string, o: FilterOptions) => searchCommand(text, o, io));

  withFilters(program.command('sessions').description('list sessions with project, start, end and counts (those with an event matching the filters)'))
    .option('--json', 'JSON output', false)
    .action((o: FilterOptions) => sessionsCommand(o, io));

  program
    .command('show')
    .argument('<session>', 'session id (a unique prefix is enough)')
    .description("a session's timeline: prompts, each tool call with its target, duration and result, subagents")
    .option('--json', 'JSON output', false)
    .action((session: string, o: { json: boolean }) => showCommand(session, o, io));

  program
    .command('findings')
    .description('security findings (rule hits, correlations, anomalies), oldest first')
    .option('--severity <level>', 'at least this severity: info, low, medium, high, critical')
    .option('--session <id>', 'only this session (a prefix is enough)')
    .option('--rule <id>', 'only this rule; * and ? are wildcards (AGT-CRED-*)')
    .option('--project <name>', 'project name or path')
    .option('--since <when>', 'from: duration ago (30s, 15m, 2h, 7d) or ISO time')
    .option('--until <when>', 'to: duration ago or ISO time')
    .option('--limit <n>', 'only the newest N (default 1000)')
    .option('--suppressed', 'include findings an allow entry suppressed', false)
    .option('--json', 'JSON Lines output', false)
    .action((o: FindingsOptions) => findingsCommand(o, io));

  const rules = program
    .command('rules')
    .description('list detection rules (built-in and custom) and their state')
    .option('--project <dir>', 'show the state of each rule for this project')
    .option('--json', 'JSON output', false)
    .action((o: { json: boolean; project?: string }) => rulesCommand(o, io));
  rules
    .command('test')
    .argument('<file>', 'a YAML rule file')
    .description('validate a rule file and run its rules over recorded events (the journal, or --payloads)')
    .option('--payloads <file>', 'JSON Lines of Claude Code hook payloads instead of the journal')
    .option('--journal <dir>', 'another journal directory')
    .option('--session <id>', 'only this session (a prefix is enough)')
    .option('--since <when>', 'only events since (30m, 7d or ISO time)')
    .option('--with-builtins', "also run the built-in rules, under the file's overrides and allow list", false)
    .option('--json', 'JSON output', false)
    // `--json` after the file is claimed by the parent `rules` command (it has one too).
    .action((file: string, o: RulesTestOptions) => rulesTestCommand(file, { ...o, json: o.json || rules.opts<{ json: boolean }>().json }, io));

  program
    .command('reindex')
    .description('rebuild the index from the journal')
    .action(() => reindexCommand({ tty: io.color }, io));

  program
    .command('verify')
    .description('verify the journal hash chain')
    .option('--json', 'JSON output', false)
    .action((o: { json: boolean }) => verifyCommand(o, io));

  return program;
}
