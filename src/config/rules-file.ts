import { existsSync, readFileSync } from 'node:fs';
import { parseRuleFile } from '../core/detect/custom/parse.js';
import type { RulePolicy } from '../core/detect/policy.js';
import { BUILTIN_RULES } from '../core/detect/rules/index.js';
import type { Rule } from '../core/detect/types.js';
import { ConfigError } from '../errors.js';
import type { Config } from './config.js';
import type { Paths } from './paths.js';

export interface LoadedRules {
  /** Built-in rules followed by the custom ones. */
  readonly rules: readonly Rule[];
  readonly custom: readonly Rule[];
  readonly policy: RulePolicy | undefined;
  /** The rule file read, when there was one. */
  readonly file?: string;
}

/** Loads the built-in rules plus the user's rule file; throws ConfigError listing every problem in it. */
export function loadRules(paths: Paths, config: Config, home: string): LoadedRules {
  const file = config.detect.rulesFile ?? paths.rulesFile;
  if (!existsSync(file)) {
    if (config.detect.rulesFile) throw new ConfigError([`detect.rulesFile: ${file} does not exist`], paths.configFile);
    return { rules: BUILTIN_RULES, custom: [], policy: undefined };
  }
  return { ...readRuleFile(file, home), file };
}

/** Reads one rule file (for `rules test` and the daemon). */
export function readRuleFile(file: string, home: string): Omit<LoadedRules, 'file'> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`cannot read the rule file: ${(err as Error).message}`], file);
  }
  const parsed = parseRuleFile(text, file, BUILTIN_RULES.map((r) => r.id), home);
  return { rules: [...BUILTIN_RULES, ...parsed.rules], custom: parsed.rules, policy: parsed.policy };
}
