import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { UserError } from '../errors.js';
import { isProcessAlive } from '../spool/reader.js';

/** Reads the pid stored in a lock or pid file, or 0. */
export function readPid(path: string): number {
  try {
    return Number.parseInt(readFileSync(path, 'utf8').trim(), 10) || 0;
  } catch {
    return 0;
  }
}

/**
 * Takes the single-daemon lock (O_EXCL file holding our pid). A lock whose pid is dead is broken
 * under a second O_EXCL "breaker" file, so two daemons starting at once cannot both break it.
 */
export function acquireLock(lockPath: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(lockPath)) return () => releaseLock(lockPath);
    const holder = readPid(lockPath);
    if (holder && isProcessAlive(holder)) {
      throw new UserError(`AgentTrail is already running (pid ${holder}). Run \`agenttrail status\` or \`agenttrail down\`.`, 'ALREADY_RUNNING');
    }
    breakStaleLock(lockPath, holder);
  }
  throw new UserError(`Could not take the daemon lock ${lockPath}; another daemon is starting. Try again.`, 'LOCK_BUSY');
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, 'wx', 0o600);
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

function breakStaleLock(lockPath: string, stalePid: number): void {
  const breaker = `${lockPath}.break`;
  try {
    if (Date.now() - statSync(breaker).mtimeMs > 10_000) unlinkSync(breaker);
  } catch {
    // No breaker, or someone else removed it.
  }
  if (!tryCreate(breaker)) return;
  try {
    if (readPid(lockPath) === stalePid) unlinkSync(lockPath);
  } catch {
    // Gone already.
  } finally {
    unlinkSync(breaker);
  }
}

function releaseLock(lockPath: string): void {
  try {
    if (readPid(lockPath) === process.pid) unlinkSync(lockPath);
  } catch {
    // Already released.
  }
}
