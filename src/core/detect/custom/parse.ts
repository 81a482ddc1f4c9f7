/** Reads a YAML rule file into rules and a policy, reporting every problem at once. */
import picomatch from 'picomatch';
import { parseDocument } from 'yaml';
import { ConfigError } from '../../../errors.js';
import type { RulePolicy } from '../policy.js';
import type { Rule } from '../types.js';
import { compileCustomRule } from './compile.js';
import { ruleFileSchema } from './schema.js';

export interface ParsedRuleFile {
  readonly rules: readonly Rule[];
  readonly policy: RulePolicy;
}

/**
 * Parses and validates a rule file. `knownIds` are the built-in rule ids (an override or allow
 * entry must name at least one rule). Throws ConfigError listing every problem with its place.
 */
export function parseRuleFile(text: string, source: string, knownIds: readonly string[], home: string): ParsedRuleFile {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ConfigError(doc.errors.map((e) => e.message.split('\n')[0] ?? e.message), source);
  const data: unknown = doc.toJS() ?? {};
  const parsed = ruleFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(file)'}: ${i.message}`), source);
  }
  const file = parsed.data;
  const problems: string[] = [];
  const ids = new Set(knownIds);
  file.rules.forEach((r, i) => {
    if (ids.has(r.id)) problems.push(`rules.${i}.id: ${r.id} is defined twice`);
    ids.add(r.id);
  });
  const all = [...ids];
  const names = (key: 'overrides' | 'allow', list: readonly { rule: string }[]) =>
    list.forEach((o, i) => {
      const test = picomatch(o.rule);
      if (!all.some((id) => test(id))) problems.push(`${key}.${i}.rule: ${o.rule} matches no rule (see \`agenttrail rules\`)`);
    });
  names('overrides', file.overrides);
  names('allow', file.allow);
  if (problems.length > 0) throw new ConfigError(problems, source);
  return {
    rules: file.rules.map((spec) => compileCustomRule(spec, home)),
    policy: {
      overrides: file.overrides.map((o) => ({ ...o })),
      allow: file.allow.map((a) => ({ ...a })),
    },
  };
}
