import { isAbsolute, posix } from 'node:path';

/** Resolves paths the way the agent's tools would see them, to judge project scope. */
export interface PathScope {
  /** The project root (CLAUDE_PROJECT_DIR, else the session's cwd). */
  readonly projectPath: string;
  /** The directory relative paths are resolved against. */
  readonly cwd: string;
  /** The user's home directory, for `~`. */
  readonly home: string;
  /** Follows symlinks; identity when the path does not exist (injected: core does no I/O). */
  readonly realpath: (path: string) => string;
}

/** Resolves `~`, `..` and relative paths against cwd, then symlinks. */
export function resolveAgentPath(path: string, scope: PathScope): string {
  let p = path;
  if (p === '~' || p.startsWith('~/')) p = posix.join(scope.home, p.slice(1));
  const absolute = isAbsolute(p) ? posix.normalize(p) : posix.resolve(scope.cwd || '/', p);
  return scope.realpath(absolute);
}

/** Returns whether `path` lies inside `root` (both absolute, normalised). */
export function isInside(path: string, root: string): boolean {
  if (!root) return true;
  const r = root.endsWith('/') ? root : `${root}/`;
  return path === root || path.startsWith(r);
}

/** Returns the resolved path and whether it lies outside the project. */
export function scopeOf(path: string, scope: PathScope): { resolved_path: string; outside_project_scope: boolean } {
  const resolved = resolveAgentPath(path, scope);
  const root = scope.realpath(posix.normalize(scope.projectPath || scope.cwd));
  return { resolved_path: resolved, outside_project_scope: !isInside(resolved, root) };
}
