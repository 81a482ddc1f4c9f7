import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/config.js';
import type { Paths } from '../config/paths.js';
import { UserError } from '../errors.js';
import { ensurePrivateDir, writeFileAtomic } from '../platform/fs.js';
import { addOurHooks, installedEvents, removeOurHooks, shellQuote, type Transport } from './settings.js';

/** The shipped capture script (hook/agenttrail-capture.sh in the package). */
export const SHIPPED_SCRIPT = fileURLToPath(new URL('../../hook/agenttrail-capture.sh', import.meta.url));
/** The CLI entry point, used by the hook to start the daemon. */
export const CLI_ENTRY = fileURLToPath(new URL('../bin/cli.js', import.meta.url));

/** Returns the Claude settings file for the user (default) or for a project directory. */
export function settingsPathFor(home: string, project?: string): string {
  return project ? join(resolve(project), '.claude', 'settings.json') : join(home, '.claude', 'settings.json');
}

/** Writes the capture script into $AGENTTRAIL_HOME/bin with this installation's paths baked in. */
export function installScript(paths: Paths, autostart: boolean, cliEntry = CLI_ENTRY): void {
  ensurePrivateDir(paths.bin);
  ensurePrivateDir(dirname(paths.spoolNew));
  ensurePrivateDir(paths.spoolNew);
  const start = `AGENTTRAIL_HOME=${shellQuote(paths.home)} ${shellQuote(process.execPath)} ${shellQuote(cliEntry)} up --detach --quiet`;
  const text = readFileSync(SHIPPED_SCRIPT, 'utf8')
    .replaceAll("'@HOME@'", shellQuote(paths.home))
    .replaceAll('@AUTOSTART@', autostart ? '1' : '0')
    .replaceAll('@START@', start);
  writeFileAtomic(paths.hookScript, text, 0o700);
}

function readSettings(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file} is not valid JSON (${(err as Error).message}); fix it by hand, nothing was changed.`, 'SETTINGS_INVALID');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`${file} does not hold a JSON object; nothing was changed.`, 'SETTINGS_INVALID');
  }
  return value as Record<string, unknown>;
}

function writeSettings(file: string, before: Record<string, unknown>, after: Record<string, unknown>): { changed: boolean; backup?: string } {
  if (JSON.stringify(before) === JSON.stringify(after)) return { changed: false };
  // Create ~/.claude if needed, but never change the mode of a directory the user already has.
  if (!existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let backup: string | undefined;
  let mode = 0o600;
  if (existsSync(file)) {
    mode = statSync(file).mode & 0o777;
    backup = `${file}.agenttrail-backup-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    copyFileSync(file, backup);
  }
  writeFileAtomic(file, `${JSON.stringify(after, null, 2)}\n`, mode);
  return { changed: true, ...(backup ? { backup } : {}) };
}

export interface InstallResult {
  readonly settingsFile: string;
  readonly changed: boolean;
  readonly backup?: string;
  readonly events: string[];
  readonly warnings: string[];
}

/** Merges AgentTrail's hooks into a Claude settings file (idempotent, atomic, with a backup). */
export function installHooks(paths: Paths, config: Config, settingsFile: string, transport: Transport): InstallResult {
  installScript(paths, config.autostart);
  const before = readSettings(settingsFile);
  const daemonUrl = `http://${config.bind.includes(':') ? `[${config.bind}]` : config.bind}:${config.port}`;
  if (transport === 'http' && config.port === 0) {
    throw new UserError('The http transport needs a fixed port; set "port" in config.json.', 'HTTP_NEEDS_PORT');
  }
  const after = addOurHooks(before, { transport, scriptPath: paths.hookScript, daemonUrl });
  const warnings: string[] = [];
  if (after.disableAllHooks === true) warnings.push(`${settingsFile} sets "disableAllHooks": true, so no hook (ours included) runs.`);
  return { settingsFile, ...writeSettings(settingsFile, before, after), events: installedEvents(after), warnings };
}

/** Removes only AgentTrail's hooks from a Claude settings file. */
export function uninstallHooks(settingsFile: string): { settingsFile: string; changed: boolean; backup?: string } {
  const before = readSettings(settingsFile);
  return { settingsFile, ...writeSettings(settingsFile, before, removeOurHooks(before)) };
}

/** Lists events with AgentTrail hooks in a settings file (empty if the file is missing or unreadable). */
export function hooksInstalledIn(settingsFile: string): string[] {
  try {
    return installedEvents(readSettings(settingsFile));
  } catch {
    return [];
  }
}
