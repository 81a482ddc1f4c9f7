import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import pc from 'picocolors';
import { loadConfig } from '../../config/config.js';
import { loadRules, readRuleFile } from '../../config/rules-file.js';
import { createDetector } from '../../core/detect/engine.js';
import { deriveFacts } from '../../core/detect/facts.js';
import { compilePolicy } from '../../core/detect/policy.js';
import { createSecretScanner } from '../../core/detect/secrets/scanner.js';
import type { Finding, Rule } from '../../core/detect/types.js';
import { normalizeEvent } from '../../core/event/normalize.js';
import type { AgentEvent } from '../../core/event/schema.js';
import { SessionTracker } from '../../core/event/tracker.js';
import { readJournal } from '../../journal/reader.js';
import { UserError } from '../../errors.js';
import { parseSince } from '../../store/time.js';
import { realpathLoose } from '../../daemon/enrich.js';
import { renderTable } from '../output/text.js';
import type { CliIo } from '../io.js';
import { paintSeverity } from './findings.js';

/** `agenttrail rules`: every rule with its state under the current policy. */
export function rulesCommand(o: { json: boolean; project?: string }, io: CliIo): void {
  const home = io.env.HOME || homedir();
  const loaded = loadRules(io.paths, loadConfig(io.paths, io.env), home);
  const policy = compilePolicy(loaded.policy ?? { overrides: [], allow: [] });
  const project = o.project ? resolve(io.cwd, o.project) : '';
  const detector = createDetector({ rules: loaded.rules, env: { auditPaths: [], findSecrets: () => [] } });
  const customIds = new Set(loaded.custom.map((r) => r.id));
  const list = detector.describe().map((r) => {
    const state = policy.ruleState(r.id, project);
    return { ...r, origin: customIds.has(r.id) ? 'custom' : 'built-in', enabled: state.enabled, effective_severity: state.severity ?? r.severity };
  });
  if (o.json) {
    io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    return;
  }
  io.stdout(`${renderTable(
    [{ header: 'RULE', color: pc.bold }, { header: 'SEVERITY', color: paintSeverity }, { header: 'ON', width: 36 }, { header: 'ATT&CK', width: 28 }, { header: 'TITLE', width: 80 }],
    list.map((r) => [r.id, r.enabled ? r.effective_severity : 'off', r.events.join(',') + (r.tools.length ? `:${r.tools.join(',')}` : ''), r.attack.join(' '), r.title]),
    io.color,
  )}\n`);
  io.stdout(`${list.length} rules (${list.filter((r) => r.origin === 'custom').length} custom${loaded.file ? ` from ${loaded.file}` : ''}).\n`);
}

export interface RulesTestOptions {
  readonly payloads?: string;
  readonly journal?: string;
  readonly session?: string;
  readonly since?: string;
  readonly withBuiltins: boolean;
  readonly json: boolean;
}

/**
 * `agenttrail rules test FILE`: validates a rule file and runs its rules over recorded events —
 * the journal (default) or a JSON Lines file of hook payloads — printing every finding.
 */
export function rulesTestCommand(file: string, o: RulesTestOptions, io: CliIo): void {
  const home = io.env.HOME || homedir();
  const loaded = readRuleFile(resolve(io.cwd, file), home);
  const rules: readonly Rule[] = o.withBuiltins ? loaded.rules : loaded.custom;
  const scanner = createSecretScanner({ key: Buffer.from('agenttrail rules test') });
  const detector = createDetector({
    rules,
    ...(loaded.policy ? { policy: loaded.policy } : {}),
    env: { auditPaths: [io.paths.home], findSecrets: (t) => scanner.findSecrets(t) },
    redact: (t) => scanner.redactText(t).text,
  });
  const sinceMs = o.since ? parseSince(o.since, Date.now()) : undefined;
  const results: { seq: number; event: AgentEvent; finding: Finding }[] = [];
  let evaluated = 0;
  for (const { seq, event, payload } of recorded(o, io, home)) {
    if (o.session && !event.session_id?.startsWith(o.session)) continue;
    if (sinceMs !== undefined && Date.parse(event.timestamp) < sinceMs) continue;
    evaluated++;
    const facts = deriveFacts(event, payload, { home, realpath: realpathLoose });
    for (const finding of detector.evaluate(facts, seq)) results.push({ seq, event, finding });
  }
  if (o.json) {
    io.stdout(`${JSON.stringify({ file, rules: rules.length, evaluated, findings: results.map((r) => ({ seq: r.seq, session_id: r.event.session_id, ...r.finding })) }, null, 2)}\n`);
    return;
  }
  if (results.length > 0) {
    io.stdout(`${renderTable(
      [{ header: 'SEQ' }, { header: 'TIME' }, { header: 'SEVERITY', color: paintSeverity }, { header: 'RULE', color: pc.bold }, { header: 'SESSION' }, { header: 'EVIDENCE', width: 100 }],
      results.map((r) => [String(r.seq), r.event.timestamp, r.finding.severity, r.finding.rule_id, (r.event.session_id ?? '').slice(0, 8), r.finding.evidence]),
      io.color,
    )}\n`);
  }
  io.stdout(`${file}: ${rules.length} rules valid; ${evaluated} events evaluated; ${results.length} findings.\n`);
}

/** Recorded events with the payload rules read: journal entries (raw = payload) or hook payload lines. */
function* recorded(o: RulesTestOptions, io: CliIo, home: string): Generator<{ seq: number; event: AgentEvent; payload: Record<string, unknown> }> {
  if (o.payloads) {
    const tracker = new SessionTracker();
    const lines = readFileSync(resolve(io.cwd, o.payloads), 'utf8').split('\n');
    let n = 0;
    for (const [i, line] of lines.entries()) {
      if (!line.trim()) continue;
      let payload: unknown;
      try {
        payload = JSON.parse(line);
      } catch {
        throw new UserError(`${o.payloads}:${i + 1} is not JSON; each line must be one hook payload.`, 'BAD_INPUT', 2);
      }
      if (!payload || typeof payload !== 'object' || Array.isArray(payload)) continue;
      const p = payload as Record<string, unknown>;
      const event = normalizeEvent(
        { payload: p, hookEvent: String(p.hook_event_name ?? ''), transport: 'file', capturedAtMs: Date.now(), projectDir: '', claudePid: null, agent: '' },
        { host: '', user: '', agenttrailVersion: '', home, bound: { maxFieldBytes: 1 << 30, previewBytes: 1024 }, realpath: realpathLoose, claudeVersion: () => undefined },
        tracker,
      );
      tracker.observe(event, ++n);
      yield { seq: n, event, payload: p };
    }
    return;
  }
  for (const entry of readJournal(o.journal ? resolve(io.cwd, o.journal) : io.paths.journal)) {
    if (entry.event.event_type === 'security_alert') continue;
    const raw = entry.event.raw;
    yield { seq: entry.seq, event: entry.event, payload: raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {} };
  }
}
