/**
 * Structural invariants of a ShellAnalysis, for tests and fuzzing: every command is in exactly one
 * pipeline at a non-decreasing stage, parents come first and are shallower, dynamic names are ''.
 */
import type { ShellAnalysis } from '../types.js';
import { MAX_DEPTH } from './walk.js';

/** Returns the violated invariants (empty when the analysis is well-formed). */
export function shellInvariantViolations(r: ShellAnalysis): string[] {
  const out: string[] = [];
  const seen = new Set<number>();
  r.pipelines.forEach((p, pi) => {
    if (p.length === 0) out.push(`pipeline ${pi} is empty`);
    let stage = -1;
    for (const i of p) {
      const c = r.commands[i];
      if (c === undefined) out.push(`pipeline ${pi} names missing command ${i}`);
      else {
        if (c.pipeline !== pi) out.push(`command ${i} is in pipeline ${pi} but says ${c.pipeline}`);
        if (c.stage < stage) out.push(`command ${i} has stage ${c.stage} after stage ${stage}`);
        stage = c.stage;
      }
      if (seen.has(i)) out.push(`command ${i} is in two pipelines`);
      seen.add(i);
    }
  });
  r.commands.forEach((c, i) => {
    if (!seen.has(i)) out.push(`command ${i} is in no pipeline`);
    if (c.parent >= i) out.push(`command ${i} has parent ${c.parent}`);
    const parent = c.parent >= 0 ? r.commands[c.parent] : undefined;
    if (parent !== undefined && c.depth <= parent.depth) out.push(`command ${i} is not deeper than its parent`);
    if (c.depth > MAX_DEPTH) out.push(`command ${i} has depth ${c.depth}`);
    if (c.dynamicName && c.name !== '') out.push(`command ${i} is dynamic but named ${c.name}`);
  });
  if (r.errors.length > 0 && !r.uncertain) out.push('errors without uncertain');
  return out;
}
