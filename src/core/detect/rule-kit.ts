/** Small helpers the built-in rules share: definitions, path matching, shell command queries. */
import { compilePathGlobs, type PathMatcher } from './path-globs.js';
import type { EventFacts, FileAccess, FileRef, Rule, RuleHit, RuleMeta, ShellCommand, Severity } from './types.js';

/** Rule metadata as written in a rule file; defaults fill the rest. */
export type RuleSpec = Omit<RuleMeta, 'attackVersion' | 'atlas' | 'owasp' | 'tools' | 'events'> &
  Partial<Pick<RuleMeta, 'attackVersion' | 'atlas' | 'owasp' | 'tools' | 'events'>>;

/** Builds a Rule; `events` default to PreToolUse, ATT&CK ids to v18 numbering. */
export function defineRule(spec: RuleSpec, match: Rule['match']): Rule {
  return {
    attackVersion: 'v18',
    atlas: [],
    owasp: [],
    tools: [],
    events: ['PreToolUse'],
    ...spec,
    match,
  };
}

const matcherCache = new Map<string, PathMatcher>();

/** Returns a cached matcher for `globs` with `~` expanded to `home`. */
export function pathMatcher(globs: readonly string[], home: string): PathMatcher {
  const key = `${home}\u0000${globs.join('\u0000')}`;
  let m = matcherCache.get(key);
  if (!m) {
    m = compilePathGlobs(globs, home);
    if (matcherCache.size > 500) matcherCache.clear();
    matcherCache.set(key, m);
  }
  return m;
}

/** Returns whether a file (its lexical or its real path) matches `globs`. */
export function fileMatches(file: FileRef, globs: readonly string[], home: string): boolean {
  const m = pathMatcher(globs, home);
  return m(file.abs) || m(file.real);
}

/** Files of the event whose access is one of `access` (all when omitted) and that match `globs`. */
export function filesMatching(facts: EventFacts, globs: readonly string[], access?: readonly FileAccess[]): FileRef[] {
  return facts.files.filter((f) => (!access || access.includes(f.access)) && fileMatches(f, globs, facts.home));
}

/** Simple commands of the event's shell line (none when the event is not a Bash call). */
export function commands(facts: EventFacts): readonly ShellCommand[] {
  return facts.shell?.commands ?? [];
}

/** Commands named any of `names`. */
export function commandsNamed(facts: EventFacts, names: readonly string[]): ShellCommand[] {
  return commands(facts).filter((c) => names.includes(c.name));
}

/** Returns whether any argument of `cmd` equals one of `flags` (`-f`, `--force`) or is a short-flag cluster containing one (`-rf`). */
export function hasFlag(cmd: ShellCommand, short: string, long: readonly string[] = []): boolean {
  return cmd.args.some((a) => long.includes(a) || (/^-[A-Za-z]+$/.test(a) && short.split('').some((ch) => a.includes(ch))));
}

/** Non-option arguments of a command. */
export function operands(cmd: ShellCommand): string[] {
  return cmd.args.filter((a) => !a.startsWith('-'));
}

/** Shortens evidence text for a finding. */
export function evidenceOf(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

/** One hit, or none. */
export function hit(evidence: string, severity?: Severity, note?: string): RuleHit[] {
  return [{ evidence: evidenceOf(evidence), ...(severity ? { severity } : {}), ...(note ? { note } : {}) }];
}

/** Returns whether the event is a tool call of one of `tools` (`mcp__*` matches every MCP tool). */
export function isTool(facts: EventFacts, tools: readonly string[]): boolean {
  return tools.some((t) => (t === 'mcp__*' ? facts.tool.startsWith('mcp__') : t === facts.tool));
}
