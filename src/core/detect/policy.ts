/** Per-project rule policy: switch rules off, re-rate them, or allow known-good evidence. */
import picomatch from 'picomatch';
import type { Severity } from './types.js';
import { wildcard } from './wildcard.js';

/** Switches a rule off or changes its severity, optionally for matching projects only. */
export interface RuleOverride {
  /** Rule id or glob over ids (`AGT-SUPPLY-*`). */
  readonly rule: string;
  /** Glob over the project path; all projects when omitted. */
  readonly project?: string;
  readonly enabled?: boolean;
  readonly severity?: Severity;
}

/** Suppresses findings whose evidence is known to be fine; suppressions are still journaled. */
export interface RuleAllow {
  readonly rule: string;
  readonly project?: string;
  /** Glob over the finding's evidence; any evidence when omitted. */
  readonly evidence?: string;
  readonly user?: string;
  /** Why this is allowed (kept in the journal with each suppressed finding). */
  readonly reason?: string;
}

export interface RulePolicy {
  readonly overrides: readonly RuleOverride[];
  readonly allow: readonly RuleAllow[];
}

export const EMPTY_POLICY: RulePolicy = { overrides: [], allow: [] };

type Test = (value: string) => boolean;

const anyValue: Test = () => true;

function globTest(glob: string | undefined, options: picomatch.PicomatchOptions = {}): Test {
  return glob === undefined ? anyValue : picomatch(glob, { dot: true, ...options });
}

/** A policy compiled for fast lookups. */
export interface CompiledPolicy {
  /** The effective state of `ruleId` in `project`: enabled, and a severity override if any. */
  ruleState(ruleId: string, project: string): { enabled: boolean; severity?: Severity };
  /** The allow entry that suppresses this finding, as `allow[i]`, or undefined. */
  allowedBy(ruleId: string, project: string, user: string, evidence: string): string | undefined;
}

/** Compiles a policy; later overrides win over earlier ones. */
export function compilePolicy(policy: RulePolicy): CompiledPolicy {
  const overrides = policy.overrides.map((o) => ({ ...o, ruleTest: globTest(o.rule), projectTest: globTest(o.project) }));
  const allows = policy.allow.map((a) => ({
    ...a,
    ruleTest: globTest(a.rule),
    projectTest: globTest(a.project),
    // Evidence is free text (commands, URLs): `*` matches any run of characters, `/` included; `?` one.
    evidenceTest: a.evidence === undefined ? anyValue : wildcard(a.evidence),
  }));
  const cache = new Map<string, { enabled: boolean; severity?: Severity }>();
  return {
    ruleState(ruleId, project) {
      const key = `${ruleId}\u0000${project}`;
      let state = cache.get(key);
      if (!state) {
        state = { enabled: true };
        for (const o of overrides) {
          if (!o.ruleTest(ruleId) || !o.projectTest(project)) continue;
          if (o.enabled !== undefined) state.enabled = o.enabled;
          if (o.severity) state.severity = o.severity;
        }
        if (cache.size > 10_000) cache.clear();
        cache.set(key, state);
      }
      return state;
    },
    allowedBy(ruleId, project, user, evidence) {
      const i = allows.findIndex((a) => a.ruleTest(ruleId) && a.projectTest(project) && (!a.user || a.user === user) && a.evidenceTest(evidence));
      return i < 0 ? undefined : `allow[${i}]${allows[i]!.reason ? `: ${allows[i]!.reason}` : ''}`;
    },
  };
}
