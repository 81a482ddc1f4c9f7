/**
 * analyzeShell(): a bash command line as the simple commands it runs (docs/specs/detections.md
 * B.1/B.2). Parses with unbash, peels wrappers, recurses into substitutions, `sh -c`, `eval` and
 * `find -exec`, tracks `cd`. Pure (no I/O, no environment), bounded, and never throws.
 */
import type { ShellAnalysis } from '../types.js';
import { Walker } from './walk.js';

export { MAX_DEPTH } from './walk.js';

/** Longest source analysed (UTF-16 code units); the rest is ignored and the result uncertain. */
export const MAX_SOURCE = 64 * 1024;

/**
 * Analyses `source` as bash. `cwd` is the working directory the line starts in, `home` the
 * user's home (for `cd ~`); neither is read from the environment.
 */
export function analyzeShell(source: string, cwd: string, home: string): ShellAnalysis {
  const walker = new Walker(typeof home === 'string' ? home : '');
  let uncertain = false;
  try {
    let src = typeof source === 'string' ? source : '';
    if (src.length > MAX_SOURCE) {
      walker.errors.push(`source is ${src.length} characters long: only the first ${MAX_SOURCE} were analysed`);
      src = src.slice(0, MAX_SOURCE);
      uncertain = true;
    }
    walker.source(src, 0, -1, 'top', typeof cwd === 'string' ? cwd : '', '');
  } catch (e) {
    walker.errors.push(`internal error while analysing: ${e instanceof Error ? e.message : String(e)}`);
  }
  return {
    source,
    commands: walker.commands,
    pipelines: walker.pipelines,
    errors: walker.errors,
    uncertain: uncertain || walker.uncertain || walker.errors.length > 0,
  };
}
