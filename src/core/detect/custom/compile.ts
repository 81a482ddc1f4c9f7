/** Turns custom rule specs into Rules with the same shape as the built-ins. */
import picomatch from 'picomatch';
import { expandHome } from '../path-globs.js';
import { hostIn } from '../lists.js';
import { MAX_TEXT, wildcard } from '../wildcard.js';
import type { EventFacts, FileRef, Rule, RuleHit } from '../types.js';
import type { Conditions, CustomRuleSpec, MatchValue } from './schema.js';

/** Tests one string; a value that is not a string never matches. */
type Test = (value: string) => boolean;
type Predicate = (facts: EventFacts) => string | undefined;

/** Compiles a value for free text: globs where `*` crosses anything, regexes, lists, equals, contains. */
function textTest(v: MatchValue): Test {
  if (typeof v === 'string') return wildcard(v);
  if (Array.isArray(v)) {
    const tests = v.map(wildcard);
    return (s) => tests.some((t) => t(s));
  }
  if ('regex' in v) {
    const re = new RegExp(v.regex, (v.flags ?? '').replace('g', ''));
    return (s) => re.test(s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s);
  }
  if ('equals' in v) return (s) => s === String(v.equals);
  return (s) => s.includes(v.contains);
}

/** Compiles a value for paths: picomatch globs (`**` crosses directories, `~/` is home), or text operators. */
function pathTest(v: MatchValue, home: string): Test {
  if (typeof v === 'string' || Array.isArray(v)) {
    const globs = (Array.isArray(v) ? v : [v]).map((g) => expandHome(g, home));
    return picomatch(globs, { dot: true });
  }
  return textTest(v);
}

function first(values: Iterable<string>, test: Test): string | undefined {
  for (const v of values) if (test(v)) return v;
  return undefined;
}

function fieldValue(facts: EventFacts, path: string): string | undefined {
  let cur: unknown = facts.event;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  if (cur === undefined || cur === null) return undefined;
  return typeof cur === 'string' ? cur : typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

/** Compiles conditions into a predicate returning the matched evidence, or undefined. */
export function compileConditions(c: Conditions, home: string): Predicate {
  const checks: Predicate[] = [];
  // Scalar fields (tool, event type, user…) make poor evidence: they are checked last.
  const scalars: Predicate[] = [];
  const scalar = (value: MatchValue | undefined, get: (f: EventFacts) => string) => {
    if (value === undefined) return;
    const t = textTest(value);
    scalars.push((f) => (t(get(f)) ? get(f) : undefined));
  };
  scalar(c.hook_event, (f) => f.hookEvent);
  scalar(c.tool, (f) => f.tool);
  scalar(c.event_type, (f) => f.event.event_type);
  scalar(c.user, (f) => f.event.metadata.user_id);
  scalar(c.host_name, (f) => f.event.metadata.host);
  scalar(c.permission_mode, (f) => f.permissionMode);
  if (c.project !== undefined) {
    const t = pathTest(c.project, home);
    scalars.push((f) => (t(f.event.project_path) ? f.event.project_path : undefined));
  }
  const texts = (source: string) => (f: EventFacts) => f.texts.filter((t) => t.source === source).map((t) => t.text);
  const anyText = (value: MatchValue | undefined, get: (f: EventFacts) => string[]) => {
    if (value === undefined) return;
    const t = textTest(value);
    checks.push((f) => first(get(f), t));
  };
  // The first condition's match is the evidence: the matching simple command says most, so it goes first.
  if (c.command_name !== undefined) {
    const t = textTest(c.command_name);
    checks.push((f) => (f.shell?.commands ?? []).find((cmd) => t(cmd.name))?.text);
  }
  anyText(c.command_line, (f) => (f.shell?.commands ?? []).map((cmd) => [cmd.word, ...cmd.args].join(' ')));
  anyText(c.command, texts('command'));
  anyText(c.url, (f) => f.urls.map((u) => u.href));
  anyText(c.prompt, (f) => (f.prompt ? [f.prompt] : []));
  anyText(c.content, (f) => f.texts.filter((t) => t.source === 'content' || t.source === 'new_string').map((t) => t.text));
  anyText(c.output, (f) => (f.output ? [f.output] : []));
  anyText(c.text, (f) => f.texts.map((t) => t.text));
  if (c.domain !== undefined) {
    const domains = (Array.isArray(c.domain) ? c.domain : [c.domain]).map((d) => d.toLowerCase().replace(/\.$/, ''));
    checks.push((f) => f.urls.find((u) => u.host && hostIn(u.host, domains))?.href);
  }
  if (c.path !== undefined || c.access !== undefined || c.outside_project !== undefined) checks.push(fileCheck(c, home));
  for (const [path, value] of Object.entries(c.field ?? {})) {
    const t = textTest(value);
    checks.push((f) => {
      const v = fieldValue(f, path);
      return v !== undefined && t(v) ? v : undefined;
    });
  }
  checks.push(...scalars);
  return (facts) => {
    let evidence: string | undefined;
    for (const check of checks) {
      const e = check(facts);
      if (e === undefined) return undefined;
      evidence ??= e;
    }
    return evidence ?? '';
  };
}

/** Path, access and outside_project hold together for one and the same file. */
function fileCheck(c: Conditions, home: string): Predicate {
  const test = c.path === undefined ? () => true : pathTest(c.path, home);
  const access = c.access === undefined ? undefined : Array.isArray(c.access) ? c.access : [c.access];
  const ok = (file: FileRef) =>
    (!access || access.includes(file.access)) &&
    (c.outside_project === undefined || c.outside_project === !file.inProject) &&
    (test(file.abs) || test(file.real));
  return (f) => f.files.find(ok)?.abs;
}

/** Builds a Rule from a validated custom rule spec. */
export function compileCustomRule(spec: CustomRuleSpec, home: string): Rule {
  const when = compileConditions(spec.match, home);
  const unless = spec.not ? compileConditions(spec.not, home) : undefined;
  return {
    id: spec.id,
    title: spec.title,
    category: spec.category,
    severity: spec.severity,
    events: spec.events,
    tools: spec.tools,
    attack: spec.attack,
    attackVersion: spec.attack_version,
    atlas: spec.atlas,
    owasp: spec.owasp,
    description: spec.description ?? spec.message ?? spec.title,
    match(facts): RuleHit[] {
      const evidence = when(facts);
      if (evidence === undefined || (unless && unless(facts) !== undefined)) return [];
      return [{ evidence: evidence.length > 300 ? `${evidence.slice(0, 300)}…` : evidence, ...(spec.message ? { note: spec.message } : {}) }];
    },
  };
}
