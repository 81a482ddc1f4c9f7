import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { installedEvents } from '../install/settings.js';
import { readJsonIfExists, writeFileAtomic } from '../platform/fs.js';

/** What AgentTrail notes about one Claude settings file. */
export interface SettingsSummary {
  readonly exists: boolean;
  readonly size_bytes: number;
  readonly sha256: string;
  readonly disable_all_hooks: boolean;
  readonly agenttrail_hook_events: number;
}

const POLL_MS = 1000;
const MAX_FILES = 400;

/** The settings files Claude Code reads for a project (and the user's own). */
export function settingsFilesFor(home: string, projects: Iterable<string>): string[] {
  const files = [join(home, '.claude', 'settings.json'), '/etc/claude-code/managed-settings.json'];
  for (const p of projects) files.push(join(p, '.claude', 'settings.json'), join(p, '.claude', 'settings.local.json'));
  return [...new Set(files)].slice(0, MAX_FILES);
}

/** Reads and summarises a settings file (never throws). */
export function summarizeSettings(path: string): SettingsSummary {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return { exists: false, size_bytes: 0, sha256: '', disable_all_hooks: false, agenttrail_hook_events: 0 };
  }
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value as Record<string, unknown>;
  } catch {
    // An unparsable settings file is itself worth recording; its hash says what it was.
  }
  return {
    exists: true,
    size_bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    disable_all_hooks: parsed.disableAllHooks === true,
    agenttrail_hook_events: installedEvents(parsed).length,
  };
}

/**
 * Watches Claude settings files independently of Claude Code's hooks, because the most important
 * edit — `"disableAllHooks": true` — switches every hook off, ours included. Polls (a rename-based
 * atomic write defeats fs.watch on a file) and remembers what it saw across restarts.
 */
export class SettingsWatcher {
  private known: Record<string, SettingsSummary>;
  private timer: NodeJS.Timeout | undefined;
  private stamps = new Map<string, string>();

  constructor(
    private readonly stateFile: string,
    private readonly files: () => string[],
    private readonly onChange: (file: string, now: SettingsSummary, before: SettingsSummary | undefined) => void,
  ) {
    this.known = readJsonIfExists<Record<string, SettingsSummary>>(stateFile) ?? {};
  }

  start(): void {
    this.check();
    this.timer = setInterval(() => this.check(), POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Compares every watched file with what was last seen; reports changes. */
  check(): void {
    let changed = false;
    for (const file of this.files()) {
      const stamp = statStamp(file);
      if (this.stamps.get(file) === stamp) continue;
      this.stamps.set(file, stamp);
      const now = summarizeSettings(file);
      const before = this.known[file];
      if (before && before.sha256 === now.sha256 && before.exists === now.exists) continue;
      this.known[file] = now;
      changed = true;
      // The first sighting of a file (present or missing) is a baseline, not a change.
      if (before) this.onChange(file, now, before);
    }
    if (changed) writeFileAtomic(this.stateFile, JSON.stringify(this.known));
  }
}

function statStamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}
