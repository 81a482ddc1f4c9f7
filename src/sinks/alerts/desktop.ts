/**
 * Desktop notifications: `notify-send` on Linux, `osascript` on macOS, nothing elsewhere. Programs run
 * through execFile (never a shell) and alert text only ever travels as argv: osascript gets a fixed
 * `on run argv` script, so hostile evidence is data, never AppleScript source.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PermanentError } from '../delivery/index.js';
import type { Alert } from './alert.js';
import type { AlertSender } from './destination.js';
import { notificationText } from './encode.js';

/** Runs a program without a shell; rejects when it fails or times out. */
export type ExecFile = (file: string, args: readonly string[], options: { timeoutMs: number; signal: AbortSignal }) => Promise<void>;

/** How desktop notifications would be shown here, or why they cannot be. */
export interface DesktopAvailability {
  readonly available: boolean;
  readonly method: 'notify-send' | 'osascript' | null;
  /** Why notifications are unavailable. */
  readonly reason?: string;
}

/** What the desktop sender needs from the machine (injectable for tests). */
export interface DesktopSettings {
  readonly platform?: NodeJS.Platform;
  readonly env?: NodeJS.ProcessEnv;
  readonly exec?: ExecFile;
  readonly timeoutMs?: number;
}

/** Finds how to show notifications on this platform. */
export function detectDesktop(settings: DesktopSettings = {}): DesktopAvailability {
  const platform = settings.platform ?? process.platform;
  const env = settings.env ?? process.env;
  if (platform === 'darwin') {
    return onPath('osascript', env) ? { available: true, method: 'osascript' } : unavailable('osascript is not on PATH');
  }
  if (platform !== 'linux') return unavailable(`no desktop notifier is supported on ${platform}`);
  if (!onPath('notify-send', env)) return unavailable('notify-send is not on PATH (install libnotify-bin or libnotify)');
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY && !env.DBUS_SESSION_BUS_ADDRESS) return unavailable('no graphical session (DISPLAY, WAYLAND_DISPLAY and DBUS_SESSION_BUS_ADDRESS are unset)');
  return { available: true, method: 'notify-send' };
}

/** Returns the program and argv that show one notification; the texts are arguments, never code. */
export function notifyCommand(method: 'notify-send' | 'osascript', title: string, body: string, urgent: boolean): { file: string; args: string[] } {
  if (method === 'osascript') {
    // The title always starts with "AgentTrail", so no argument can be taken for an osascript option.
    const script = ['on run argv', 'display notification (item 2 of argv) with title (item 1 of argv)', 'end run'];
    return { file: 'osascript', args: [...script.flatMap((line) => ['-e', line]), title, body] };
  }
  // notify-send bodies may be rendered as markup: escape it. `--` ends option parsing for hostile text.
  const markup = body.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return { file: 'notify-send', args: ['--app-name=AgentTrail', `--urgency=${urgent ? 'critical' : 'normal'}`, '--', title, markup] };
}

/** Creates a sender that shows one notification per batch; throws PermanentError when the notifier fails. */
export function createDesktopSender(availability: DesktopAvailability, settings: DesktopSettings = {}): AlertSender {
  const exec = settings.exec ?? execFileAsync;
  return {
    async send(alerts: readonly Alert[], signal: AbortSignal): Promise<void> {
      if (!availability.method) return;
      const { title, body } = notificationText(alerts);
      const urgent = alerts.some((a) => a.severity === 'critical');
      const { file, args } = notifyCommand(availability.method, title, body, urgent);
      try {
        await exec(file, args, { timeoutMs: settings.timeoutMs ?? 10_000, signal });
      } catch (err) {
        throw new PermanentError(`${file} failed: ${(err as Error).message}`, 'notifier_failed', { cause: err });
      }
    },
  };
}

const execFileAsync: ExecFile = (file, args, options) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: options.timeoutMs, signal: options.signal, windowsHide: true }, (err) => (err ? reject(err) : resolve()));
  });

function onPath(program: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      // Not in this directory.
    }
  }
  return false;
}

function unavailable(reason: string): DesktopAvailability {
  return { available: false, method: null, reason };
}
