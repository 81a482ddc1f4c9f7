/**
 * The table harness every rule test file uses: a rule must fire on each `fires` case and be
 * silent (`[]`) on each `silent` case, plus the metadata checks every built-in rule passes.
 */
import { describe, expect, it } from 'vitest';
import { isTool } from '../../src/core/detect/rule-kit.js';
import { SEVERITIES } from '../../src/core/detect/types.js';
import type { EventFacts, Rule, RuleEnv, RuleHit, Severity } from '../../src/core/detect/types.js';
import { example } from './facts.js';

/** Named facts for what a catalogue string cannot express. */
export interface FactsCase {
  readonly name: string;
  readonly facts: () => EventFacts;
  /** Expected severity of every hit (default: any, or the rule's with `defaultSeverity`). */
  readonly severity?: Severity;
  /** Expected number of hits. */
  readonly count?: number;
}

/** A firing case: a spec for `make` (catalogue example string by default), the same with the expected severity, or named facts. */
export type FiringCase = string | readonly [string, Severity] | FactsCase;
/** A silent case: a spec for `make`, or named facts. */
export type SilentCase = string | { readonly name: string; readonly facts: () => EventFacts };

export interface RuleTableOptions {
  /** A case without an explicit severity expects the rule's own severity (default: any severity). */
  readonly defaultSeverity?: boolean;
  /** Rewrites case names for test titles (e.g. masks test secrets). */
  readonly label?: (name: string) => string;
  /** Extra checks on every hit of a firing case. */
  readonly checkHit?: (hit: RuleHit, context: { readonly rule: Rule; readonly facts: EventFacts }) => void;
}

export type RuleTable = (
  id: string,
  fires: readonly FiringCase[],
  silent: readonly SilentCase[],
  make?: (spec: string) => EventFacts,
) => void;

/** Returns the rule with `id` (throws when there is none). */
export function findRule(rules: readonly Rule[], id: string): Rule {
  const rule = rules.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

/** Whether the engine would run `rule` on these facts (its events and tools pre-filter). */
export function engineRuns(rule: Rule, facts: EventFacts): boolean {
  return rule.events.includes(facts.hookEvent) && (rule.tools.length === 0 || isTool(facts, rule.tools));
}

/** Runs a rule as the engine would: events and tools pre-filter first. */
export function runAsEngine(rule: Rule, facts: EventFacts, env: RuleEnv): RuleHit[] {
  return engineRuns(rule, facts) ? rule.match(facts, env) : [];
}

/**
 * Returns `table(id, fires, silent, make?)`, which declares `describe(id)` with one test per case.
 * A firing case passes when the engine would run the rule on it and match() gives hits, each with
 * evidence of 1 to 301 characters, at the expected severity and count when given, and passing
 * `checkHit`. A silent case passes when match() itself gives [] (so the engine's pre-filter is
 * not what keeps it quiet).
 */
export function ruleTable(rules: readonly Rule[], env: RuleEnv, options: RuleTableOptions = {}): RuleTable {
  const label = options.label ?? ((name: string) => name);
  return (id, fires, silent, make = example) => {
    const firing = fires.map((c): FactsCase =>
      typeof c === 'string' ? { name: c, facts: () => make(c) }
        : isSpecWithSeverity(c) ? { name: c[0], facts: () => make(c[0]), severity: c[1] }
          : c);
    const quiet = silent.map((c) => (typeof c === 'string' ? { name: c, facts: () => make(c) } : c));
    const rule = findRule(rules, id);
    describe(id, () => {
      for (const c of firing) {
        const severity = c.severity ?? (options.defaultSeverity ? rule.severity : undefined);
        it(`${id} fires on ${label(c.name)}${severity ? ` (${severity})` : ''}`, () => {
          const facts = c.facts();
          expect(engineRuns(rule, facts), 'the engine runs the rule on this event').toBe(true);
          const hits = rule.match(facts, env);
          expect(hits.length).toBeGreaterThan(0);
          if (c.count !== undefined) expect(hits).toHaveLength(c.count);
          for (const h of hits) {
            expect(h.evidence.length).toBeGreaterThan(0);
            expect(h.evidence.length).toBeLessThanOrEqual(301);
            if (severity) expect(h.severity ?? rule.severity).toBe(severity);
            options.checkHit?.(h, { rule, facts });
          }
        });
      }
      for (const c of quiet) {
        it(`${id} is silent on ${label(c.name)}`, () => {
          const facts = c.facts();
          expect(rule.match(facts, env)).toEqual([]);
        });
      }
    });
  };
}

function isSpecWithSeverity(c: FiringCase): c is readonly [string, Severity] {
  return Array.isArray(c);
}

/**
 * The metadata every built-in rule of a category carries: exactly `ids` in order (unique,
 * `AGT-<category>-NNN`), a title, a known severity, at least one ATT&CK/ATLAS/OWASP mapping,
 * ATT&CK v18, the category, a description and the hook events it looks at.
 */
export function expectRuleMetadata(rules: readonly Rule[], category: string, ids: readonly string[]): void {
  const actual = rules.map((r) => r.id);
  expect(actual).toEqual(ids);
  expect(new Set(actual).size).toBe(actual.length);
  for (const r of rules) {
    expect(r.id).toMatch(/^AGT-[A-Z]+-\d{3}$/);
    expect(r.id.startsWith(`AGT-${category}-`)).toBe(true);
    expect(r.title.length).toBeGreaterThan(5);
    expect(SEVERITIES).toContain(r.severity);
    expect(r.attack.length + r.atlas.length + r.owasp.length).toBeGreaterThan(0);
    expect(r.attackVersion).toBe('v18');
    expect(r.category).toBe(category);
    expect(r.description.length).toBeGreaterThan(20);
    expect(r.events.length).toBeGreaterThan(0);
  }
}
