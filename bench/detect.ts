/**
 * Detection benchmark: cost per event and precision/recall on a labelled corpus (security
 * reference C.3; test/helpers/corpus/).
 *
 * Builds a deterministic corpus — clean sessions from seven kinds of projects and the same kind of
 * sessions with a labelled attack spliced in — warms the anomaly engine on a separate clean
 * history, then runs every payload through the production path (normaliser + SessionTracker,
 * deriveFacts with shell parsing, secret redaction of the event, detector with the built-in rules,
 * correlation, anomaly engine and evidence redaction) in capture-time order. A no-op detector (no
 * rules, no anomaly engine) runs on the same facts as a baseline.
 *
 * Prints Markdown tables and writes the numbers as JSON (default .bench-out/detect.json).
 * Usage: node dist-bench/bench/detect.js [--seed N] [--clean N] [--per-scenario N] [--history N]
 *        [--out DIR] [--corpus-dir DIR (also write the corpus as JSONL)]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BUILTIN_RULES } from '../src/core/detect/rules/index.js';
import type { Severity } from '../src/core/detect/types.js';
import { corpus, writeCorpus, type LabelledSession } from '../test/helpers/corpus/index.js';
import {
  findingsPer200, noiseByProject, noisyRules, profileRules, RULE_SCENARIOS, runDetection, scenarioRows, sessionScore, timeToDetect,
  type PrfScore, type Source,
} from '../test/helpers/corpus/evaluate.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '42' },
    clean: { type: 'string', default: '300' },
    'per-scenario': { type: 'string', default: '20' },
    history: { type: 'string', default: '80' },
    out: { type: 'string', default: '.bench-out' },
    'corpus-dir': { type: 'string' },
  },
});
const SEED = Number(values.seed);
const CLEAN = Number(values.clean);
const PER = Number(values['per-scenario']);
const HISTORY = Number(values.history);
const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 2);

const quantile = (xs: ArrayLike<number>, q: number): number => {
  const s = Float64Array.from(xs).sort();
  return s.length ? s[Math.max(0, Math.ceil(q * s.length) - 1)]! : NaN;
};
const pick = (xs: Float64Array, mask: Uint8Array | undefined): Float64Array => (mask ? xs.filter((_, i) => mask[i] === 1) : xs);
const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');
const pct = (n: number) => (Number.isFinite(n) ? `${(n * 100).toFixed(1)} %` : '—');

function main(): void {
  const t0 = Date.now();
  // C.3: train on a clean history (≥ 60 sessions, two weeks), evaluate on the following week.
  const history = corpus(SEED, { clean: HISTORY, perScenario: 0, startMs: START - 14 * DAY, days: 14, stream: 1 });
  const sessions = corpus(SEED, { clean: CLEAN, perScenario: PER, startMs: START, days: 7, stream: 2 });
  const genMs = Date.now() - t0;
  if (values['corpus-dir']) writeCorpus(resolve(values['corpus-dir']), sessions);

  const t1 = Date.now();
  const run = runDetection(sessions, { rules: BUILTIN_RULES, history, timing: true });
  const runMs = Date.now() - t1;
  const t = run.timings!;
  const results = run.results;

  const cpu = cpus();
  const command = `node ${process.argv.slice(1).map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`;
  console.log(`\n# Detection benchmark\n`);
  console.log(`Command: \`${command}\` (npm run bench:detect -- --seed ${SEED} --clean ${CLEAN} --per-scenario ${PER} --history ${HISTORY})`);
  console.log(`Machine: ${cpu[0]?.model ?? '?'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}, Node ${process.version}`);
  const attackSessions = sessions.filter((s) => s.kind !== 'clean').length;
  const clean = sessions.filter((s) => s.kind === 'clean');
  console.log(`Corpus: seed ${SEED}; warm-up history ${history.length} clean sessions (${run.historyEvents.toLocaleString('en')} events); evaluated ${sessions.length} sessions (${clean.length} clean, ${attackSessions} attack: ${PER} per scenario × ${RULE_SCENARIOS.length + 2} scenarios), ${run.events.toLocaleString('en')} events, ${sessions.reduce((n, s) => n + s.calls, 0).toLocaleString('en')} tool calls; ${BUILTIN_RULES.length} built-in rules. Generated in ${(genMs / 1000).toFixed(1)} s, evaluated in ${(runMs / 1000).toFixed(1)} s; rule errors: ${run.ruleErrors}.\n`);

  console.log(compositionTable(sessions));

  // ---- cost per event ----
  const costRows: { name: string; all: Float64Array; bash: Float64Array }[] = [
    { name: 'detector.evaluate (rules + correlation + anomaly + evidence redaction)', all: t.evaluate, bash: pick(t.evaluate, t.bashPre) },
    { name: '… of which the anomaly engine', all: t.anomaly, bash: pick(t.anomaly, t.bashPre) },
    { name: 'no-op baseline: detector with no rules, no anomaly engine', all: t.baseline, bash: pick(t.baseline, t.bashPre) },
    { name: 'deriveFacts (incl. shell parse)', all: t.facts, bash: pick(t.facts, t.bashPre) },
    { name: 'redaction of the event (secret scan of every string)', all: t.redact, bash: pick(t.redact, t.bashPre) },
  ];
  const total = t.evaluate.map((v, i) => v + t.facts[i]! + t.redact[i]!);
  costRows.push({ name: 'total detection stage (facts + redaction + evaluate)', all: total, bash: pick(total, t.bashPre) });
  const bashCount = t.bashPre.reduce((n, v) => n + v, 0);
  console.log(`## Cost per event (µs; all ${t.evaluate.length.toLocaleString('en')} events | ${bashCount.toLocaleString('en')} Bash PreToolUse events)\n`);
  console.log('| stage | p50 | p95 | p99 | max | Bash p50 | Bash p95 | Bash p99 | Bash max |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const costJson: Record<string, unknown> = {};
  for (const r of costRows) {
    const q = (xs: Float64Array) => ({ p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), p99: quantile(xs, 0.99), max: quantile(xs, 1), mean: xs.reduce((a, b) => a + b, 0) / (xs.length || 1) });
    const a = q(r.all);
    const b = q(r.bash);
    costJson[r.name] = { all: a, bashPre: b };
    console.log(`| ${r.name} | ${fmt(a.p50)} | ${fmt(a.p95)} | ${fmt(a.p99)} | ${fmt(a.max)} | ${fmt(b.p50)} | ${fmt(b.p95)} | ${fmt(b.p99)} | ${fmt(b.max)} |`);
  }
  console.log(`\nTarget: detector.evaluate well under 1,000 µs at p99. Percentiles are nearest-rank; "max" and, on a busy 2-core machine, p99 include garbage-collection pauses and other processes.\n`);

  // Which rules the cost comes from (a separate pass: each applicable rule timed alone).
  const ruleCosts = profileRules(sessions, BUILTIN_RULES);
  const spent = ruleCosts.reduce((a, r) => a + r.totalMs, 0);
  console.log(`### Rule match cost, top 12 by total time (µs per call; all rules together: ${(spent / 1000).toFixed(2)} s over ${run.events.toLocaleString('en')} events)\n`);
  console.log('| rule | calls | p50 | p99 | max | share of rule time |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of ruleCosts.slice(0, 12)) console.log(`| ${r.rule} | ${r.calls.toLocaleString('en')} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${pct(r.totalMs / spent)} |`);
  console.log('');

  // ---- precision / recall ----
  const scoreRow = (label: string, s: PrfScore) =>
    `| ${label} | ${s.tp} | ${s.fp} | ${s.fn} | ${fmt(s.precision, 3)} | ${fmt(s.recall, 3)} | ${fmt(s.f1, 3)} | ${fmt(s.recallAfterStart, 3)} |`;
  const scores: Record<string, PrfScore> = {};
  const addScore = (key: string, level: Severity, source: Source, scen?: typeof RULE_SCENARIOS) => (scores[key] = sessionScore(results, level, source, scen));
  console.log('## Session-level precision / recall\n');
  console.log('"Detected" = the session has a finding at that level; "recall after start" only counts findings on or after the attack\'s first event.\n');
  console.log('| criterion | TP | FP | FN | precision | recall | F1 | recall after start |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  console.log(scoreRow('any finding ≥ high, all scenarios', addScore('high', 'high', 'any')));
  console.log(scoreRow('any finding ≥ high, rule scenarios (not burst, mimic)', addScore('high-rule', 'high', 'any', RULE_SCENARIOS)));
  console.log(scoreRow('any finding ≥ medium, all scenarios', addScore('medium', 'medium', 'any')));
  console.log(scoreRow('any finding ≥ medium, rule scenarios', addScore('medium-rule', 'medium', 'any', RULE_SCENARIOS)));
  console.log(scoreRow('anomaly findings only (source anomaly, any severity)', addScore('anomaly', 'info', 'anomaly')));

  const rows = scenarioRows(results);
  console.log('\n## Per scenario (findings on or after the attack start)\n');
  console.log('| scenario | sessions | recall ≥ high | recall ≥ medium | anomaly recall | median calls to detect (≥ high) | first finding (≥ medium) |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    console.log(`| ${r.scenario} | ${r.sessions} | ${pct(r.recallHigh)} | ${pct(r.recallMedium)} | ${pct(r.recallAnomaly)} | ${r.medianTtdCalls ?? '—'} | ${r.firstRules.map(([id, n]) => `${id} (${n})`).join(', ')} |`);
  }
  const ttd = (level: Severity, source: Source) => {
    const d = timeToDetect(results, level, source);
    return { n: d.events.length, eventsP50: quantile(d.events, 0.5), eventsP90: quantile(d.events, 0.9), eventsMax: quantile(d.events, 1), callsP50: quantile(d.calls, 0.5), callsP90: quantile(d.calls, 0.9), callsMax: quantile(d.calls, 1) };
  };
  const ttdJson = { high: ttd('high', 'any'), medium: ttd('medium', 'any'), anomaly: ttd('info', 'anomaly') };
  console.log('\n## Time to detect (from the attack\'s first payload to the first finding at or after it)\n');
  console.log('| level | detected sessions | events p50 | events p90 | events max | tool calls p50 | tool calls p90 | tool calls max |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [k, v] of Object.entries(ttdJson)) console.log(`| ${k} | ${v.n} | ${v.eventsP50} | ${v.eventsP90} | ${v.eventsMax} | ${v.callsP50} | ${v.callsP90} | ${v.callsMax} |`);

  // ---- noise ----
  const noise = noiseByProject(results);
  console.log('\n## Clean sessions with findings, per project kind\n');
  console.log('| project kind | clean sessions | with ≥ high | with ≥ medium | with an anomaly finding | top rules ≥ medium (sessions) |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const n of noise) console.log(`| ${n.project} | ${n.sessions} | ${n.highSessions} (${pct(n.highSessions / n.sessions)}) | ${n.mediumSessions} (${pct(n.mediumSessions / n.sessions)}) | ${n.anomalySessions} (${pct(n.anomalySessions / n.sessions)}) | ${n.topRules.map(([r, k]) => `${r} (${k})`).join(', ')} |`);
  const allClean = noise.reduce((a, n) => ({ s: a.s + n.sessions, h: a.h + n.highSessions, m: a.m + n.mediumSessions, x: a.x + n.anomalySessions }), { s: 0, h: 0, m: 0, x: 0 });
  console.log(`| **all** | ${allClean.s} | ${allClean.h} (${pct(allClean.h / allClean.s)}) | ${allClean.m} (${pct(allClean.m / allClean.s)}) | ${allClean.x} (${pct(allClean.x / allClean.s)}) | |`);
  const per200 = { any: findingsPer200(results, 'info'), low: findingsPer200(results, 'low'), medium: findingsPer200(results, 'medium'), high: findingsPer200(results, 'high'), anomaly: findingsPer200(results, 'info', 'anomaly') };
  console.log(`\nFindings per 200 clean events: ${fmt(per200.any, 2)} (any severity), ${fmt(per200.medium, 2)} (≥ medium), ${fmt(per200.high, 2)} (≥ high), ${fmt(per200.anomaly, 2)} (anomaly). Target: < 1 alert per 200 events.\n`);
  const noisy = { high: noisyRules(results, 'high'), medium: noisyRules(results, 'medium'), anomaly: noisyRules(results, 'info', 'anomaly') };
  for (const [label, list] of [['≥ high', noisy.high], ['≥ medium', noisy.medium], ['anomaly', noisy.anomaly]] as const) {
    console.log(`### Rules firing in clean sessions (${label})\n`);
    if (list.length === 0) {
      console.log('None.\n');
      continue;
    }
    console.log('| rule | clean sessions | findings | examples |');
    console.log('|---|---:|---:|---|');
    for (const r of list.slice(0, 12)) console.log(`| ${r.rule} | ${r.sessions} | ${r.findings} | ${r.examples.map((e) => `\`${e.replace(/\|/g, '\\|').replace(/`/g, "'")}\``).join('<br>')} |`);
    console.log('');
  }

  const missed = rows.flatMap((r) => r.missedHigh.map((m) => ({ scenario: r.scenario, ...m }))).filter((m) => RULE_SCENARIOS.includes(m.scenario));
  if (missed.length) {
    console.log('### Attacks of rule scenarios without a finding ≥ high (first 25)\n');
    console.log('| scenario | variant | attack | strongest finding after start |');
    console.log('|---|---|---|---|');
    for (const m of missed.slice(0, 25)) console.log(`| ${m.scenario} | ${m.variant} | \`${m.what.slice(0, 200).replace(/\|/g, '\\|').replace(/`/g, "'")}\` | ${m.best.slice(0, 160).replace(/\|/g, '\\|')} |`);
    console.log('');
  }

  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const file = join(out, 'detect.json');
  writeFileSync(file, `${JSON.stringify({
    command, machine: { cpu: cpu[0]?.model, cores: cpu.length, totalmemGiB: totalmem() / 2 ** 30, platform: platform(), release: release(), node: process.version },
    corpus: { seed: SEED, clean: CLEAN, perScenario: PER, history: HISTORY, sessions: sessions.length, events: run.events, historyEvents: run.historyEvents, calls: sessions.reduce((n, s) => n + s.calls, 0), rules: BUILTIN_RULES.length, summary: corpusSummary(sessions) },
    costMicros: costJson, ruleCosts, scores, scenarios: rows, timeToDetect: ttdJson, noiseByProject: noise, findingsPer200CleanEvents: per200, noisyRules: noisy,
    missedHigh: missed, ruleErrors: run.ruleErrors, anomalyStats: run.anomalyStats,
  }, null, 2)}\n`);
  console.log(`JSON: ${file}`);
}

/** What the clean sessions contain, so the reader can judge how ordinary they are. */
function compositionTable(sessions: readonly LabelledSession[]): string {
  const clean = sessions.filter((s) => s.kind === 'clean');
  const pre = (s: LabelledSession) => s.payloads.map((p) => p.payload).filter((p) => p.hook_event_name === 'PreToolUse');
  const share = (f: (p: Record<string, unknown>) => boolean) => pct(clean.filter((s) => pre(s).some(f)).length / clean.length);
  const tools = new Map<string, number>();
  let calls = 0;
  for (const s of clean) for (const p of pre(s)) {
    const t = String(p.tool_name).startsWith('mcp__') ? 'mcp__*' : String(p.tool_name);
    tools.set(t, (tools.get(t) ?? 0) + 1);
    calls++;
  }
  const sizes = clean.map((s) => s.calls).sort((a, b) => a - b);
  const q = (p: number) => sizes[Math.min(sizes.length - 1, Math.floor(p * sizes.length))];
  return [
    `Clean sessions: tool calls per session p10/p50/p90 ${q(0.1)}/${q(0.5)}/${q(0.9)}; tool mix ${[...tools].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${pct(n / calls)}`).join(', ')}.`,
    `Share of clean sessions with: WebFetch ${share((p) => p.tool_name === 'WebFetch')}, WebSearch ${share((p) => p.tool_name === 'WebSearch')}, MCP ${share((p) => String(p.tool_name).startsWith('mcp__'))}, a subagent ${share((p) => p.tool_name === 'Agent')}, a Read of .env ${share((p) => p.tool_name === 'Read' && String((p.tool_input as Record<string, unknown>).file_path).endsWith('/.env'))}; permission mode bypassPermissions ${pct(clean.filter((s) => s.permissionMode === 'bypassPermissions').length / clean.length)}.\n`,
  ].join('\n');
}

function corpusSummary(sessions: readonly LabelledSession[]): Record<string, unknown> {
  const by = (f: (s: LabelledSession) => string) => Object.fromEntries([...sessions.reduce((m, s) => m.set(f(s), (m.get(f(s)) ?? 0) + 1), new Map<string, number>())].sort());
  return { byKind: by((s) => s.kind), byProject: by((s) => s.project), byUser: by((s) => s.user), byPermissionMode: by((s) => s.permissionMode), byVariant: by((s) => (s.kind === 'clean' ? 'clean' : `${s.kind}/${s.variant}`)) };
}

main();
