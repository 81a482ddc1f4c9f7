import { closeSync, openSync, readSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Follows symlinks as far as the path exists; a missing tail is kept as written. */
export function realpathLoose(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return join(realpathLoose(parent), basename(path));
  }
}

const VERSION_PATTERN = /"version":"(\d+\.\d+\.\d+[^"]{0,40})"/;
const RETRY_MS = 2000;

/**
 * Finds the Claude Code version of a session in the head of its transcript (hook payloads do not
 * carry it). The transcript can lag the first hooks, so a miss is retried, at most every 2 s.
 */
export function createVersionLookup(now: () => number): (sessionId: string | null, transcriptPath: string | null) => string | undefined {
  const found = new Map<string, string>();
  const lastTry = new Map<string, number>();
  return function claudeVersion(sessionId, transcriptPath) {
    const key = sessionId ?? transcriptPath ?? '';
    const known = found.get(key);
    if (known || !transcriptPath) return known;
    const t = now();
    if (t - (lastTry.get(key) ?? -Infinity) < RETRY_MS) return undefined;
    lastTry.set(key, t);
    const version = VERSION_PATTERN.exec(readHead(transcriptPath, 64 * 1024))?.[1];
    if (version) {
      found.set(key, version);
      lastTry.delete(key);
    }
    return version;
  };
}

function readHead(path: string, maxBytes: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(maxBytes);
    const n = readSync(fd, buf, 0, maxBytes, 0);
    return buf.toString('utf8', 0, n);
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
