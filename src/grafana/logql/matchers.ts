/**
 * Checks of label matchers and stream selectors: decodable strings, valid RE2-style regexes, values
 * within the contract's closed sets (level, event_type, severity), stream labels vs structured metadata,
 * and Loki's rule that a selector needs a matcher that does not accept the empty value.
 */
import type { LogqlContract } from './pipeline.js';
import { anchoredRegex, decodeString, find, kids, text, type LintIssue, type Node } from './tree.js';

function matches(op: string, value: string, candidate: string): boolean | undefined {
  if (op === 'Eq') return candidate === value;
  if (op === 'Neq') return candidate !== value;
  const re = anchoredRegex(value);
  if (!re) return undefined;
  return op === 'Re' ? re.test(candidate) : !re.test(candidate);
}

/** Checks one `name op "value"` matcher (string, regex, closed value sets) and returns it decoded. */
export function matcher(q: string, m: Node, c: LogqlContract, issues: LintIssue[]): { name: string; op: string; value: string } | undefined {
  const [id, op, str] = kids(m);
  if (!id || !op || !str) return undefined;
  const name = text(q, id);
  const value = decodeString(text(q, str));
  if (value === undefined) {
    issues.push({ rule: 'invalid-string', message: `cannot decode ${text(q, str)}` });
    return undefined;
  }
  if ((op.name === 'Re' || op.name === 'Nre') && !anchoredRegex(value)) {
    issues.push({ rule: 'invalid-regex', message: `invalid regex ${JSON.stringify(value)} for ${name}` });
    return undefined;
  }
  const known = c.labelValues[name];
  if (known && (op.name === 'Eq' || op.name === 'Re') && !known.some((k) => matches(op.name, value, k))) {
    issues.push({ rule: 'unknown-value', message: `${name}${text(q, op)}${JSON.stringify(value)} matches none of ${known.join('|')}` });
  }
  return { name, op: op.name, value };
}

/** Checks a stream selector: stream labels only (no SM) and at least one matcher that cannot match "". */
export function checkSelector(q: string, sel: Node, c: LogqlContract, issues: LintIssue[]): void {
  let nonEmpty = false;
  for (const m of find(sel, ['Matcher'])) {
    const r = matcher(q, m, c, issues);
    if (!r) continue;
    if (c.structuredMetadata.includes(r.name)) {
      issues.push({ rule: 'sm-in-selector', message: `${r.name} is structured metadata, not a stream label: filter it with "| ${r.name}=…" after the selector` });
    } else if (!c.streamLabels.includes(r.name)) {
      issues.push({ rule: 'unknown-stream-label', message: `${r.name} is not a stream label (${c.streamLabels.join(', ')})` });
    }
    if (matches(r.op, r.value, '') === false) nonEmpty = true;
  }
  if (!nonEmpty) {
    issues.push({ rule: 'empty-compatible-selector', message: 'queries require at least one regexp or equality matcher that does not have an empty-compatible value' });
  }
}
