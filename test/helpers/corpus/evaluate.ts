/**
 * Runs a labelled corpus through the production detection path — the real normaliser with a
 * SessionTracker, deriveFacts (shell parsing included), secret redaction of the event, and the
 * real detector (rules, correlation, anomaly engine, redaction of evidence) — in capture-time
 * order with sessions interleaved, as the collector sees them. Then scores the findings against
 * the labels (security reference C.3).
 */
import { createAnomalyEngine } from '../../../src/core/detect/anomaly/engine.js';
import { createDetector, type AnomalyHitLike } from '../../../src/core/detect/engine.js';
import { deriveFacts } from '../../../src/core/detect/facts.js';
import { createSecretScanner } from '../../../src/core/detect/secrets/scanner.js';
import { atLeast, type EventFacts, type Finding, type Rule, type Severity } from '../../../src/core/detect/types.js';
import { normalizeEvent, type NormalizeSettings } from '../../../src/core/event/normalize.js';
import { SessionTracker } from '../../../src/core/event/tracker.js';
import { RULE_SCENARIOS, SCENARIOS, type LabelledSession, type ProjectKindId, type Scenario } from './index.js';

export interface RunOptions {
  readonly rules: readonly Rule[];
  /** Clean sessions replayed first to warm the anomaly baselines; not scored. */
  readonly history?: readonly LabelledSession[];
  /** Run the anomaly engine (default true). */
  readonly anomaly?: boolean;
  /** Collect per-event timings and run a no-op detector (no rules) on the same facts (default false). */
  readonly timing?: boolean;
}

export interface SessionFinding {
  /** Index of the triggering payload in the session. */
  readonly index: number;
  readonly finding: Finding;
}

export interface SessionResult {
  readonly session: LabelledSession;
  readonly findings: readonly SessionFinding[];
}

/** Per-event timings in microseconds, in processing order (scored sessions only). */
export interface Timings {
  readonly evaluate: Float64Array;
  readonly baseline: Float64Array;
  readonly facts: Float64Array;
  readonly redact: Float64Array;
  readonly anomaly: Float64Array;
  /** 1 where the event is a Bash PreToolUse. */
  readonly bashPre: Uint8Array;
}

export interface DetectionRun {
  readonly results: readonly SessionResult[];
  readonly events: number;
  readonly historyEvents: number;
  readonly timings?: Timings;
  readonly ruleErrors: number;
  readonly anomalyStats: unknown;
}

const SECRET_KEY = Buffer.from('agenttrail-corpus-benchmark-key-32b!');
const usNow = (): number => Number(process.hrtime.bigint()) / 1000;

/** Runs history then sessions through the detection pipeline. */
export function runDetection(sessions: readonly LabelledSession[], o: RunOptions): DetectionRun {
  const history = o.history ?? [];
  const all = [...history, ...sessions];
  const scanner = createSecretScanner({ key: SECRET_KEY });
  const homes = [...new Set(all.map((s) => s.home))];
  const env = { auditPaths: homes.map((h) => `${h}/.agenttrail`), findSecrets: (t: string) => scanner.findSecrets(t) };
  const redact = (t: string) => scanner.redactText(t).text;
  const engine = o.anomaly === false ? undefined : createAnomalyEngine({});
  let anomalyUs = 0;
  const anomaly = engine && {
    observe(facts: EventFacts): AnomalyHitLike[] {
      const t = usNow();
      const hits = engine.observe(facts);
      anomalyUs = usNow() - t;
      return hits;
    },
  };
  let ruleErrors = 0;
  const detector = createDetector({ rules: o.rules, env, redact, ...(anomaly ? { anomaly } : {}), onRuleError: () => void ruleErrors++ });
  const baseline = o.timing ? createDetector({ rules: [], env, redact }) : undefined;
  const tracker = new SessionTracker();
  const settings = new Map<string, NormalizeSettings>();
  const settingsOf = (s: LabelledSession): NormalizeSettings => {
    let v = settings.get(s.user);
    if (!v) {
      v = { host: 'devbox', user: s.user, agenttrailVersion: 'bench', home: s.home, bound: { maxFieldBytes: 16 * 1024, previewBytes: 1024 }, realpath: (p) => p, claudeVersion: () => '2.1.328' };
      settings.set(s.user, v);
    }
    return v;
  };

  // Capture-time order across sessions (the collector's order); ties keep session order.
  const order: { s: number; i: number; at: number }[] = [];
  all.forEach((s, si) => s.payloads.forEach((p, i) => order.push({ s: si, i, at: p.atMs })));
  order.sort((a, b) => a.at - b.at || a.s - b.s || a.i - b.i);
  // History first, whatever its times.
  order.sort((a, b) => Number(a.s >= history.length) - Number(b.s >= history.length));

  const scored = order.length - history.reduce((n, s) => n + s.payloads.length, 0);
  const timings: Timings | undefined = o.timing
    ? { evaluate: new Float64Array(scored), baseline: new Float64Array(scored), facts: new Float64Array(scored), redact: new Float64Array(scored), anomaly: new Float64Array(scored), bashPre: new Uint8Array(scored) }
    : undefined;
  const found: SessionFinding[][] = sessions.map(() => []);
  let seq = 0;
  let k = 0;
  for (const { s, i } of order) {
    const session = all[s]!;
    const { payload, atMs } = session.payloads[i]!;
    const event = normalizeEvent(
      { payload, hookEvent: String(payload.hook_event_name), transport: 'command', capturedAtMs: atMs, projectDir: session.projectDir, claudePid: 4242, agent: 'claude-code_2-1-328_harness' },
      settingsOf(session),
      tracker,
    );
    const t0 = usNow();
    const facts = deriveFacts(event, payload, { home: session.home, realpath: (p) => p });
    const t1 = usNow();
    const journaled = scanner.redactValue(event).value;
    const t2 = usNow();
    tracker.observe(journaled, ++seq);
    anomalyUs = 0;
    const t3 = usNow();
    const findings = detector.evaluate(facts, seq);
    const t4 = usNow();
    if (s < history.length) {
      seq += findings.length;
      continue;
    }
    if (timings) {
      baseline!.evaluate(facts, seq);
      const t5 = usNow();
      timings.facts[k] = t1 - t0;
      timings.redact[k] = t2 - t1;
      timings.evaluate[k] = t4 - t3;
      timings.baseline[k] = t5 - t4;
      timings.anomaly[k] = anomalyUs;
      timings.bashPre[k] = facts.tool === 'Bash' && facts.hookEvent === 'PreToolUse' ? 1 : 0;
    }
    k++;
    for (const finding of findings) found[s - history.length]!.push({ index: i, finding });
    seq += findings.length;
  }
  return {
    results: sessions.map((session, j) => ({ session, findings: found[j]! })),
    events: scored,
    historyEvents: order.length - scored,
    ...(timings ? { timings } : {}),
    ruleErrors,
    anomalyStats: engine?.stats(),
  };
}

export interface RuleCost {
  readonly rule: string;
  /** Events the rule was called for. */
  readonly calls: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Total time in the rule, milliseconds. */
  readonly totalMs: number;
}

/**
 * Time of each rule's match function alone (µs), over the events it applies to: a separate pass
 * (normaliser + deriveFacts, then every applicable rule timed on its own), after one untimed pass
 * to warm the JIT. Tells which rules the per-event cost comes from.
 */
export function profileRules(sessions: readonly LabelledSession[], rules: readonly Rule[]): RuleCost[] {
  const scanner = createSecretScanner({ key: SECRET_KEY });
  const env = { auditPaths: [...new Set(sessions.map((s) => `${s.home}/.agenttrail`))], findSecrets: (t: string) => scanner.findSecrets(t) };
  const times = new Map<string, number[]>();
  for (let pass = 0; pass < 2; pass++) {
    const tracker = new SessionTracker();
    let seq = 0;
    for (const s of sessions) {
      const settings: NormalizeSettings = { host: 'devbox', user: s.user, agenttrailVersion: 'bench', home: s.home, bound: { maxFieldBytes: 16 * 1024, previewBytes: 1024 }, realpath: (p) => p, claudeVersion: () => '2.1.328' };
      for (const { payload, atMs } of s.payloads) {
        const event = normalizeEvent({ payload, hookEvent: String(payload.hook_event_name), transport: 'command', capturedAtMs: atMs, projectDir: s.projectDir, claudePid: 4242, agent: '' }, settings, tracker);
        tracker.observe(event, ++seq);
        const facts = deriveFacts(event, payload, { home: s.home, realpath: (p) => p });
        for (const rule of rules) {
          if (!rule.events.includes(facts.hookEvent)) continue;
          if (rule.tools.length > 0 && !rule.tools.some((t) => (t === 'mcp__*' ? facts.tool.startsWith('mcp__') : t === facts.tool))) continue;
          const t0 = usNow();
          try {
            rule.match(facts, env);
          } catch {
            // counted by the detector run
          }
          const dt = usNow() - t0;
          if (pass === 1) {
            const list = times.get(rule.id) ?? [];
            list.push(dt);
            times.set(rule.id, list);
          }
        }
      }
    }
  }
  return [...times].map(([rule, xs]) => {
    const sorted = Float64Array.from(xs).sort();
    const q = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
    return { rule, calls: xs.length, p50: q(0.5), p99: q(0.99), max: q(1), totalMs: xs.reduce((a, b) => a + b, 0) / 1000 };
  }).sort((a, b) => b.totalMs - a.totalMs);
}

// ---- scoring --------------------------------------------------------------------------------------

export type Source = 'any' | 'anomaly' | 'rules';

/** Findings that count: not suppressed, at or above the level, from the given sources. */
export function counted(findings: readonly SessionFinding[], level: Severity, source: Source = 'any'): SessionFinding[] {
  return findings.filter(({ finding: f }) => !f.suppressed && atLeast(f.severity, level) && (source === 'any' || (source === 'anomaly' ? f.source === 'anomaly' : f.source !== 'anomaly')));
}

export interface PrfScore {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Attack sessions with a counted finding on or after the attack's first event. */
  readonly recallAfterStart: number;
}

/** Session-level precision/recall/F1 of "the session has a counted finding". */
export function sessionScore(results: readonly SessionResult[], level: Severity, source: Source = 'any', scenarios?: readonly Scenario[]): PrfScore {
  let tp = 0, fp = 0, fn = 0, tn = 0, after = 0, attacks = 0;
  for (const r of results) {
    const attack = r.session.kind !== 'clean';
    if (attack && scenarios && !scenarios.includes(r.session.kind as Scenario)) continue;
    const hits = counted(r.findings, level, source);
    if (attack) {
      attacks++;
      if (hits.length) tp++;
      else fn++;
      if (hits.some((h) => h.index >= r.session.attackStart)) after++;
    } else if (hits.length) fp++;
    else tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  return { tp, fp, fn, tn, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, recallAfterStart: attacks ? after / attacks : 1 };
}

/** Payload indexes from the attack's start to the first counted finding at or after it, per detected attack session. */
export function timeToDetect(results: readonly SessionResult[], level: Severity, source: Source = 'any'): { events: number[]; calls: number[] } {
  const events: number[] = [];
  const calls: number[] = [];
  for (const r of results) {
    if (r.session.kind === 'clean') continue;
    const first = counted(r.findings, level, source).map((h) => h.index).filter((i) => i >= r.session.attackStart).sort((a, b) => a - b)[0];
    if (first === undefined) continue;
    events.push(first - r.session.attackStart);
    calls.push(r.session.payloads.slice(r.session.attackStart, first).filter((p) => p.payload.hook_event_name === 'PreToolUse').length);
  }
  return { events, calls };
}

export interface ScenarioRow {
  readonly scenario: Scenario;
  readonly sessions: number;
  readonly recallHigh: number;
  readonly recallMedium: number;
  readonly recallAnomaly: number;
  readonly medianTtdCalls: number | null;
  /** Rules whose finding came first after the attack started (≥ medium), with counts. */
  readonly firstRules: readonly (readonly [string, number])[];
  /** Attack sessions missed at ≥ high: variant and the attack's commands/paths, for the rule authors. */
  readonly missedHigh: readonly { readonly id: string; readonly variant: string; readonly what: string; readonly best: string }[];
}

/** Per-scenario recall (finding on or after the attack start) and what fired first. */
export function scenarioRows(results: readonly SessionResult[]): ScenarioRow[] {
  return SCENARIOS.map((scenario) => {
    const rs = results.filter((r) => r.session.kind === scenario);
    const after = (r: SessionResult, level: Severity, source: Source) => counted(r.findings, level, source).filter((h) => h.index >= r.session.attackStart);
    const rate = (level: Severity, source: Source) => (rs.length ? rs.filter((r) => after(r, level, source).length > 0).length / rs.length : NaN);
    const first = new Map<string, number>();
    for (const r of rs) {
      const h = after(r, 'medium', 'any').sort((a, b) => a.index - b.index)[0];
      if (h) first.set(h.finding.rule_id, (first.get(h.finding.rule_id) ?? 0) + 1);
    }
    const ttd = timeToDetect(rs, 'high').calls.sort((a, b) => a - b);
    const missedHigh = rs.filter((r) => after(r, 'high', 'any').length === 0).map((r) => {
      const best = after(r, 'info', 'any').sort((a, b) => sevRank(b.finding.severity) - sevRank(a.finding.severity))[0];
      return { id: r.session.id, variant: r.session.variant, what: attackSummary(r.session), best: best ? `${best.finding.rule_id} ${best.finding.severity}: ${best.finding.evidence}` : 'no finding' };
    });
    return {
      scenario, sessions: rs.length, recallHigh: rate('high', 'any'), recallMedium: rate('medium', 'any'), recallAnomaly: rate('info', 'anomaly'),
      medianTtdCalls: ttd.length ? ttd[Math.floor((ttd.length - 1) / 2)]! : null,
      firstRules: [...first].sort((a, b) => b[1] - a[1]).slice(0, 3), missedHigh,
    };
  });
}

const sevRank = (s: Severity): number => ['info', 'low', 'medium', 'high', 'critical'].indexOf(s);

/** What the attack did, in a line: its tool calls' commands, paths and URLs. */
export function attackSummary(s: LabelledSession): string {
  const parts: string[] = [];
  for (const i of s.attackEvents) {
    const p = s.payloads[i]!.payload;
    if (p.hook_event_name !== 'PreToolUse') continue;
    const input = (p.tool_input ?? {}) as Record<string, unknown>;
    const what = input.command ?? input.file_path ?? input.url ?? input.pattern ?? input.query ?? JSON.stringify(input).slice(0, 80);
    parts.push(`${String(p.tool_name)}: ${String(what).slice(0, 160)}`);
  }
  return parts.join(' ; ');
}

export interface NoiseRow {
  readonly project: ProjectKindId;
  readonly sessions: number;
  readonly highSessions: number;
  readonly mediumSessions: number;
  readonly anomalySessions: number;
  /** Rules behind the ≥ medium findings of this kind's clean sessions: [rule, sessions], most first. */
  readonly topRules: readonly (readonly [string, number])[];
}

export interface NoisyRule {
  readonly rule: string;
  /** Clean sessions where the rule produced a finding at the level. */
  readonly sessions: number;
  readonly findings: number;
  readonly examples: readonly string[];
}

/** False-positive sessions per project kind (clean sessions only). */
export function noiseByProject(results: readonly SessionResult[]): NoiseRow[] {
  const kinds = [...new Set(results.map((r) => r.session.project))].sort();
  return kinds.map((project) => {
    const rs = results.filter((r) => r.session.kind === 'clean' && r.session.project === project);
    const n = (level: Severity, source: Source) => rs.filter((r) => counted(r.findings, level, source).length > 0).length;
    const top = noisyRules(rs, 'medium').slice(0, 3).map((r) => [r.rule, r.sessions] as const);
    return { project, sessions: rs.length, highSessions: n('high', 'any'), mediumSessions: n('medium', 'any'), anomalySessions: n('info', 'anomaly'), topRules: top };
  });
}

/** The rules behind findings in clean sessions, most sessions first, with example evidence. */
export function noisyRules(results: readonly SessionResult[], level: Severity, source: Source = 'any', examples = 3): NoisyRule[] {
  const by = new Map<string, { sessions: Set<string>; findings: number; examples: string[] }>();
  for (const r of results) {
    if (r.session.kind !== 'clean') continue;
    for (const { finding: f } of counted(r.findings, level, source)) {
      const e = by.get(f.rule_id) ?? { sessions: new Set(), findings: 0, examples: [] };
      e.sessions.add(r.session.id);
      e.findings++;
      const ex = `[${r.session.project}, ${r.session.permissionMode}] ${f.severity}: ${f.evidence.slice(0, 140)}${f.escalations.length ? ` (${f.escalations.map(escalationLabel).join(', ')})` : ''}`;
      if (e.examples.length < examples && !e.examples.some((x) => x.includes(f.evidence.slice(0, 60)))) e.examples.push(ex);
      by.set(f.rule_id, e);
    }
  }
  return [...by].map(([rule, e]) => ({ rule, sessions: e.sessions.size, findings: e.findings, examples: e.examples })).sort((a, b) => b.sessions - a.sessions || b.findings - a.findings);
}

/** A short name for an escalation note of a finding. */
function escalationLabel(note: string): string {
  if (note.includes('AGT-CORR-001')) return '+1 taint';
  if (note.includes('bypassPermissions')) return '+1 bypass mode';
  if (note.includes('first seen')) return '+1 first-seen';
  if (note.includes('parsed')) return '+1 parse';
  return note.split(':')[0]!;
}

/** Findings per 200 events of clean sessions. */
export function findingsPer200(results: readonly SessionResult[], level: Severity, source: Source = 'any'): number {
  let events = 0, findings = 0;
  for (const r of results) {
    if (r.session.kind !== 'clean') continue;
    events += r.session.payloads.length;
    findings += counted(r.findings, level, source).length;
  }
  return events ? (findings / events) * 200 : 0;
}

export { RULE_SCENARIOS };
