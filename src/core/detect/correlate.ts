/**
 * Per-session windows for correlation (reference B.4 AGT-CORR-001 and B.5): untrusted content
 * taints a session for the next K tool calls or T minutes, raising sensitive hits one level; a
 * credential or secret access followed within the window by network egress is its own finding.
 */
import { DOWNLOADERS, hostIn, isLocalHost, NET_TOOLS } from './lists.js';
import type { EventFacts, Severity } from './types.js';

export interface CorrelationConfig {
  /** Tool calls a window lasts. */
  readonly windowEvents: number;
  /** Milliseconds a window lasts. */
  readonly windowMs: number;
  /** Hosts whose content does not taint a session (exact or parent domain). */
  readonly trustedHosts: readonly string[];
  /** Sessions kept in memory; the least recently active is dropped first. */
  readonly maxSessions: number;
}

export const DEFAULT_CORRELATION: CorrelationConfig = {
  windowEvents: 15,
  windowMs: 10 * 60_000,
  trustedHosts: [
    'docs.anthropic.com', 'docs.claude.com', 'nodejs.org', 'developer.mozilla.org', 'docs.python.org', 'typescriptlang.org',
    'docs.rs', 'doc.rust-lang.org', 'go.dev', 'pkg.go.dev', 'learn.microsoft.com', 'docs.github.com',
  ],
  maxSessions: 2000,
};

/** Categories a taint raises (reference AGT-CORR-001). */
const TAINT_RAISES = new Set(['CRED', 'EXFIL', 'EXEC', 'PERSIST', 'TAMPER', 'DESTR']);
/** Accesses to credential stores and secrets in output: any later egress to a remote host completes AGT-CORR-002. */
const STRONG_ACCESS = new Set(['AGT-CRED-001', 'AGT-CRED-002', 'AGT-CRED-005', 'AGT-CRED-006', 'AGT-CRED-008', 'AGT-SECRET-003']);
/** Routine-looking accesses (.env, environment dumps): only an exfiltration hit completes AGT-CORR-002. */
const SOFT_ACCESS = new Set(['AGT-CRED-003', 'AGT-CRED-007']);

interface Mark {
  readonly seq: number;
  /** For sensitive accesses: whether plain egress (not only an exfiltration hit) completes the pair. */
  readonly strong?: boolean;
  readonly evidence: string;
  readonly rule: string;
  readonly atMs: number;
  eventsLeft: number;
}

interface SessionWindow {
  taint?: Mark;
  sensitive?: Mark;
  lastMs: number;
}

/** A rule hit as the correlator sees it. */
export interface HitSummary {
  readonly ruleId: string;
  readonly category: string;
  readonly severity: Severity;
  readonly evidence: string;
  /** For secret hits: the detector kind (generic heuristics are weaker evidence than token formats). */
  readonly secretKind?: string;
}

/** Secret detectors that are heuristics rather than token formats. */
const HEURISTIC_SECRETS = new Set(['generic-api-key', 'authorization-header']);

function isStrongAccess(h: HitSummary): boolean {
  return STRONG_ACCESS.has(h.ruleId) && !(h.ruleId === 'AGT-SECRET-003' && h.secretKind !== undefined && HEURISTIC_SECRETS.has(h.secretKind));
}

export interface CorrelationResult {
  /** The taint in effect, when hits of this event should be raised. */
  readonly taint?: { readonly seq: number; readonly evidence: string };
  /** A credential access followed by egress on this event. */
  readonly egressAfterSecret?: { readonly seq: number; readonly evidence: string; readonly rule: string; readonly egress: string; readonly exfil: boolean };
}

/** Tracks taint and sensitive accesses per session. */
export class Correlator {
  private readonly sessions = new Map<string, SessionWindow>();
  private readonly config: CorrelationConfig;

  constructor(config: Partial<CorrelationConfig> = {}) {
    this.config = { ...DEFAULT_CORRELATION, ...config };
  }

  /** Records one event with its rule hits; returns the correlations it completes. */
  observe(facts: EventFacts, seq: number, hits: readonly HitSummary[], timeMs: number): CorrelationResult {
    const sessionId = facts.event.session_id;
    if (!sessionId) return {};
    if (facts.hookEvent === 'SessionEnd') {
      this.sessions.delete(sessionId);
      return {};
    }
    const w = this.windowOf(sessionId, timeMs);
    const isCall = facts.hookEvent === 'PreToolUse';
    expire(w, timeMs, this.config.windowMs, isCall);

    const result: { taint?: CorrelationResult['taint']; egressAfterSecret?: CorrelationResult['egressAfterSecret'] } = {};
    if (w.taint && hits.some((h) => TAINT_RAISES.has(h.category) || h.ruleId === 'AGT-SECRET-002')) {
      result.taint = { seq: w.taint.seq, evidence: w.taint.evidence };
    }
    const exfil = hits.find((h) => h.category === 'EXFIL');
    const egress = !isCall ? undefined : exfil ? `${exfil.ruleId}: ${exfil.evidence}` : w.sensitive?.strong ? egressOf(facts, this.config.trustedHosts) : undefined;
    if (w.sensitive && egress && w.sensitive.seq !== seq) {
      result.egressAfterSecret = { seq: w.sensitive.seq, evidence: w.sensitive.evidence, rule: w.sensitive.rule, egress, exfil: !!exfil };
      w.sensitive = undefined;
    }
    const strong = hits.find(isStrongAccess);
    const sensitive = strong ?? hits.find((h) => SOFT_ACCESS.has(h.ruleId));
    if (sensitive && !(w.sensitive?.strong && !strong)) w.sensitive = { ...this.mark(seq, sensitive.evidence, sensitive.ruleId, timeMs), strong: !!strong };
    const taint = this.taintOf(facts, hits);
    if (taint) w.taint = this.mark(seq, taint, 'taint', timeMs);
    return result;
  }

  private mark(seq: number, evidence: string, rule: string, atMs: number): Mark {
    return { seq, evidence, rule, atMs, eventsLeft: this.config.windowEvents };
  }

  /** Why this event taints the session, or undefined (untrusted content entered the context). */
  private taintOf(facts: EventFacts, hits: readonly HitSummary[]): string | undefined {
    const inj = hits.find((h) => h.category === 'INJ');
    if (inj) return `${inj.ruleId}: ${inj.evidence}`;
    if (facts.hookEvent !== 'PostToolUse') return undefined;
    if (facts.tool === 'WebSearch') return `WebSearch results`;
    if (facts.tool === 'WebFetch') {
      const host = facts.urls[0]?.host ?? '';
      return host && hostIn(host, this.config.trustedHosts) ? undefined : `WebFetch ${host || facts.urls[0]?.raw || ''}`;
    }
    if (facts.tool.startsWith('mcp__')) return `${facts.tool} output`;
    const outside = facts.files.find((f) => f.access === 'read' && (!f.inProject || /\/node_modules\/.*readme/i.test(f.abs)));
    if (facts.tool === 'Read' && outside) return `Read ${outside.abs}`;
    return undefined;
  }

  private windowOf(sessionId: string, timeMs: number): SessionWindow {
    let w = this.sessions.get(sessionId);
    if (w) this.sessions.delete(sessionId);
    else w = { lastMs: timeMs };
    w.lastMs = timeMs;
    this.sessions.set(sessionId, w);
    if (this.sessions.size > this.config.maxSessions) this.sessions.delete(this.sessions.keys().next().value as string);
    return w;
  }
}

function expire(w: SessionWindow, timeMs: number, windowMs: number, isCall: boolean): void {
  for (const key of ['taint', 'sensitive'] as const) {
    const m = w[key];
    if (!m) continue;
    if (isCall) m.eventsLeft--;
    if (m.eventsLeft < 0 || timeMs - m.atMs > windowMs) w[key] = undefined;
  }
}

/** The remote destination of a tool call that reaches off the machine (trusted documentation hosts aside). */
function egressOf(facts: EventFacts, trusted: readonly string[]): string | undefined {
  const remote = (host: string) => host && !isLocalHost(host) && !hostIn(host, trusted);
  if (facts.tool === 'WebFetch') return remote(facts.urls[0]?.host ?? '') ? `WebFetch ${facts.urls[0]!.host}` : undefined;
  const url = facts.urls.find((u) => remote(u.host));
  if (facts.tool.startsWith('mcp__') && url) return `${facts.tool} → ${url.host}`;
  for (const cmd of facts.shell?.commands ?? []) {
    if (!NET_TOOLS.includes(cmd.name) && !DOWNLOADERS.includes(cmd.name)) continue;
    const dest = facts.urls.find((u) => u.command !== undefined && facts.shell?.commands[u.command] === cmd && remote(u.host));
    if (dest) return `${cmd.name} → ${dest.host}`;
  }
  return undefined;
}
