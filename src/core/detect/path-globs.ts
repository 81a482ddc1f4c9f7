import picomatch from 'picomatch';

/** Tests absolute paths against a list of globs. */
export type PathMatcher = (absolutePath: string) => boolean;

/**
 * Compiles globs (picomatch syntax, dot files included) into one matcher for absolute paths.
 * `~/` at the start of a glob is the user's home. Globs without a leading `/` or `~` match at
 * any depth only when they start with `**`; both sides are compared without the leading slash.
 */
export function compilePathGlobs(globs: readonly string[], home: string, options: { nocase?: boolean } = {}): PathMatcher {
  if (globs.length === 0) return () => false;
  const expanded = globs.map((g) => stripRoot(expandHome(g, home)));
  const test = picomatch(expanded, { dot: true, nocase: options.nocase ?? false });
  return (path) => path.startsWith('/') && test(stripRoot(path));
}

/** Expands a leading `~`, `$HOME` or `${HOME}` in a path or glob. */
export function expandHome(path: string, home: string): string {
  const h = home.replace(/\/+$/, '');
  if (path === '~' || path === '$HOME' || path === '${HOME}') return h || '/';
  for (const prefix of ['~/', '$HOME/', '${HOME}/']) if (path.startsWith(prefix)) return `${h}/${path.slice(prefix.length)}`;
  return path;
}

function stripRoot(path: string): string {
  return path.replace(/^\/+/, '');
}
