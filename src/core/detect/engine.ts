/**
 * The detector: runs every applicable rule on one event, applies the policy (overrides, allow
 * list), severity escalation (reference B.5), session correlation and the anomaly detectors, and
 * returns findings. Pure apart from the state it keeps per session and per entity.
 */
import { Correlator, type CorrelationConfig, type HitSummary } from './correlate.js';
import { compilePolicy, EMPTY_POLICY, type RulePolicy } from './policy.js';
import { isTool } from './rule-kit.js';
import { ANOMALY_RULES, CORRELATION_RULES } from './rules/meta.js';
import { shiftSeverity, type EventFacts, type Finding, type Rule, type RuleEnv, type RuleHit, type RuleMeta, type Severity } from './types.js';

/** What an anomaly detector reports (see anomaly/engine.ts). */
export interface AnomalyHitLike {
  readonly detector: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly evidence: string;
  readonly note: string;
  readonly score: number;
}

export interface DetectorSettings {
  readonly rules: readonly Rule[];
  readonly env: RuleEnv;
  readonly policy?: RulePolicy;
  readonly correlation?: Partial<CorrelationConfig>;
  readonly anomaly?: { observe(facts: EventFacts): AnomalyHitLike[] };
  /** Masks secrets in evidence text before it leaves the detector. */
  readonly redact?: (text: string) => string;
  /** Called when a rule throws (the rule is skipped for that event). */
  readonly onRuleError?: (ruleId: string, error: unknown) => void;
}

/** Categories whose hits are raised one level in bypassPermissions mode or on parse errors. */
const GUARDED = new Set(['CRED', 'EXFIL', 'EXEC', 'PERSIST', 'DESTR', 'PRIV', 'TAMPER']);
/**
 * Rules kept at their own severity whatever the context: routine-looking accesses the reference says to
 * keep at medium and raise only through correlation (.env reads, secret searches, environment dumps,
 * `sudo apt-get install`),
 * and the finding about bypass mode itself (raising it for bypass mode would count it twice).
 */
const STEADY = new Set(['AGT-CRED-003', 'AGT-CRED-004', 'AGT-CRED-007', 'AGT-PRIV-001', 'AGT-TAMPER-004']);
/** Identical findings within a session are reported once per this many milliseconds. */
const REPEAT_MS = 10 * 60_000;

export interface Detector {
  /** Findings for one event, which the journal stored as `seq`. */
  evaluate(facts: EventFacts, seq: number): Finding[];
  /** Every rule the detector knows, with the policy's default state. */
  describe(): readonly RuleMeta[];
  stats(): { readonly evaluated: number; readonly findings: number; readonly ruleErrors: number; readonly repeatsDropped: number };
  /** Remembers a finding already journaled (after a restart), so its repeats stay quiet as if never restarted. */
  recall(finding: Finding, sessionId: string | null, timeMs: number): void;
}

/** Creates a detector over the given rules. */
export function createDetector(settings: DetectorSettings): Detector {
  const policy = compilePolicy(settings.policy ?? EMPTY_POLICY);
  const correlator = new Correlator(settings.correlation);
  const byEvent = indexRules(settings.rules);
  const redact = settings.redact ?? ((t: string) => t);
  const seen = new Map<string, number>();
  /** Findings reported once per session (hits marked `once: 'session'`). */
  const onceKeys = new Set<string>();
  const counts = { evaluated: 0, findings: 0, ruleErrors: 0, repeatsDropped: 0 };

  function ruleFindings(facts: EventFacts): RuleResult[] {
    const out: RuleResult[] = [];
    const project = facts.event.project_path;
    for (const rule of byEvent.get(facts.hookEvent) ?? []) {
      if (rule.tools.length > 0 && !isTool(facts, rule.tools)) continue;
      const state = policy.ruleState(rule.id, project);
      if (!state.enabled) continue;
      let hits: RuleHit[];
      try {
        hits = rule.match(facts, settings.env);
      } catch (err) {
        counts.ruleErrors++;
        settings.onRuleError?.(rule.id, err);
        continue;
      }
      for (const hit of hits) {
        const escalations: string[] = [];
        let severity = state.severity ?? hit.severity ?? rule.severity;
        if (!state.severity && GUARDED.has(rule.category) && !STEADY.has(rule.id)) {
          if (facts.shell?.uncertain) {
            severity = shiftSeverity(severity, 1);
            escalations.push('+1: the command could not be parsed completely');
          }
          if (facts.permissionMode === 'bypassPermissions') {
            severity = shiftSeverity(severity, 1);
            escalations.push('+1: permission checks were bypassed (bypassPermissions)');
          }
        }
        out.push({ rule, hit, severity, escalations, steady: !!state.severity || STEADY.has(rule.id) });
      }
    }
    return out;
  }

  return {
    evaluate(facts, seq) {
      counts.evaluated++;
      const timeMs = Date.parse(facts.event.timestamp) || 0;
      const hits = ruleFindings(facts);
      const summaries: HitSummary[] = hits.map((h) => ({
        ruleId: h.rule.id,
        category: h.rule.category,
        severity: h.severity,
        evidence: redact(h.hit.evidence),
        ...(h.hit.secret ? { secretKind: h.hit.secret.kind } : {}),
      }));
      const corr = correlator.observe(facts, seq, summaries, timeMs);
      const anomalies = settings.anomaly?.observe(facts) ?? [];
      const findings: Finding[] = [];
      for (const h of hits) {
        let severity = h.severity;
        const triggers = [seq];
        if (corr.taint && h.rule.category !== 'INJ') {
          if (!h.steady) severity = shiftSeverity(severity, 1);
          h.escalations.push(`${h.steady ? '' : '+1 '}(AGT-CORR-001): shortly after untrusted content at seq ${corr.taint.seq}: ${corr.taint.evidence}`);
          triggers.unshift(corr.taint.seq);
        }
        // First-seen is context, not a raise: new binaries and hosts are an everyday event for a developer.
        if (anomalies.some((a) => a.detector === 'first-seen')) h.escalations.push('note: also first seen for this user/project (AGT-ANOM-001)');
        const made = makeFinding(h.rule, 'rule', severity, h.hit, triggers, facts, h.escalations, redact);
        const finding: Finding = h.hit.once === 'session' ? { ...made, repeat: 'session' } : made;
        if (h.hit.once === 'session') {
          if (onceKeys.size > 50_000) onceKeys.clear();
          onceKeys.add(`${facts.event.session_id ?? ''}\u0000${finding.rule_id}\u0000${finding.evidence}`);
        }
        findings.push(finding);
      }
      if (corr.egressAfterSecret) {
        const e = corr.egressAfterSecret;
        const meta = CORRELATION_RULES[1]!;
        findings.push(
          makeFinding(meta, 'correlation', e.exfil ? 'critical' : meta.severity, {
            evidence: `${e.evidence} (seq ${e.seq}, ${e.rule}) then ${e.egress}`,
            note: 'A credential or secret was accessed and the session then sent data over the network.',
          }, [e.seq, seq], facts, [], redact),
        );
      }
      for (const a of anomalies) {
        const meta = ANOMALY_RULES.find((r) => r.id === a.ruleId) ?? ANOMALY_RULES[0]!;
        findings.push(makeFinding(meta, 'anomaly', a.severity, { evidence: a.evidence, note: a.note }, [seq], facts, [], redact));
      }
      return dedupe(findings, facts, timeMs);
    },
    describe() {
      return [...settings.rules.map(metaOf), ...CORRELATION_RULES, ...ANOMALY_RULES];
    },
    stats: () => ({ ...counts }),
    recall(finding, sessionId, timeMs) {
      const key = `${sessionId ?? ''}\u0000${finding.rule_id}\u0000${finding.evidence}`;
      seen.set(key, timeMs);
      if (finding.repeat === 'session') onceKeys.add(key);
    },
  };

  function dedupe(findings: Finding[], facts: EventFacts, timeMs: number): Finding[] {
    const out: Finding[] = [];
    for (const f of findings) {
      const key = `${facts.event.session_id ?? ''}\u0000${f.rule_id}\u0000${f.evidence}`;
      const last = seen.get(key);
      const window = onceKeys.has(key) ? Number.POSITIVE_INFINITY : REPEAT_MS;
      if (last !== undefined && timeMs - last < window && timeMs >= last) {
        counts.repeatsDropped++;
        continue;
      }
      seen.delete(key);
      seen.set(key, timeMs);
      if (seen.size > 50_000) seen.delete(seen.keys().next().value as string);
      const allowed = policy.allowedBy(f.rule_id, facts.event.project_path, facts.event.metadata.user_id, f.evidence);
      out.push(allowed ? { ...f, suppressed: allowed } : f);
      counts.findings++;
    }
    return out;
  }
}

/** The metadata of a rule, without its match function. */
export function metaOf(rule: Rule): RuleMeta {
  const { match: _match, ...meta } = rule;
  return meta;
}

interface RuleResult {
  readonly rule: Rule;
  readonly hit: RuleHit;
  readonly severity: Severity;
  readonly escalations: string[];
  /** Kept at its severity: a policy re-rating, or a rule in STEADY. */
  readonly steady: boolean;
}

function indexRules(rules: readonly Rule[]): Map<string, Rule[]> {
  const byEvent = new Map<string, Rule[]>();
  for (const rule of rules) {
    for (const event of rule.events) {
      const list = byEvent.get(event) ?? [];
      list.push(rule);
      byEvent.set(event, list);
    }
  }
  return byEvent;
}

function makeFinding(
  rule: RuleMeta,
  source: string,
  severity: Severity,
  hit: RuleHit,
  triggers: number[],
  facts: EventFacts,
  escalations: string[],
  redact: (t: string) => string,
): Finding {
  const e = facts.event;
  return {
    rule_id: rule.id,
    title: rule.title,
    category: rule.category,
    severity,
    source,
    attack: { version: rule.attackVersion, techniques: rule.attack },
    atlas: rule.atlas,
    owasp: rule.owasp,
    evidence: redact(hit.evidence),
    message: redact(hit.note ?? rule.title),
    trigger_seqs: triggers,
    trigger: { event_type: e.event_type, hook_event: e.hook_event, tool_name: e.tool_name, tool_use_id: e.tool_use_id },
    escalations: escalations.map(redact),
    ...(hit.secret ? { secret: hit.secret } : {}),
  };
}
