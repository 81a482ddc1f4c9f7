/**
 * The labelled corpus (test/helpers/corpus/) in small: its payloads have the shapes of real Claude
 * Code 2.1.328 hooks, its labels are consistent, and the built-in rules keep the behaviour the
 * product promises on it — recall ≥ 0.9 at "≥ high" on the scenarios rules cover, and ≤ 2 % of
 * clean sessions with any finding ≥ high. The full measurement is `npm run bench:detect`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/core/detect/rules/index.js';
import { corpus, PROJECT_KINDS, RULE_SCENARIOS, SCENARIOS, variantsOf, type LabelledSession } from '../helpers/corpus/index.js';
import { counted, noisyRules, runDetection, scenarioRows, sessionScore, type DetectionRun } from '../helpers/corpus/evaluate.js';
import { loadSampleSession } from '../helpers/samples.js';

type Obj = Record<string, unknown>;
const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 2);
const SEED = 7;

const sessions = corpus(SEED, { clean: 50, perScenario: 2, startMs: START, days: 7, stream: 2 });
const payloads = sessions.flatMap((s) => s.payloads.map((p) => p.payload));
const samples = [...loadSampleSession('benign-session'), ...loadSampleSession('failures-and-subagent')];

/** Keys of a payload, without the subagent attribution every event of a subagent carries. */
const keysOf = (p: Obj): string => Object.keys(p).filter((k) => k !== 'agent_id' && k !== 'agent_type').sort().join(',');
const responseKeys = (p: Obj): string => Object.keys(p.tool_response as Obj).sort().join(',');

describe('corpus structure', () => {
  it('is deterministic per seed', () => {
    const again = corpus(SEED, { clean: 50, perScenario: 2, startMs: START, days: 7, stream: 2 });
    expect(again.map((s) => s.id)).toEqual(sessions.map((s) => s.id));
    expect(JSON.stringify(again[3]!.payloads)).toBe(JSON.stringify(sessions[3]!.payloads));
    expect(corpus(SEED + 1, { clean: 3, perScenario: 0 })[0]!.id).not.toBe(sessions[0]!.id);
  });

  it('gives every hook event exactly the keys of the real 2.1.328 payloads', () => {
    const real = new Map<string, Set<string>>();
    for (const p of samples) {
      const hook = String(p.hook_event_name);
      real.set(hook, (real.get(hook) ?? new Set()).add(keysOf(p)));
    }
    const seen = new Set<string>();
    for (const p of payloads) {
      const hook = String(p.hook_event_name);
      seen.add(hook);
      expect(real.has(hook), `${hook} is not a hook event of the samples`).toBe(true);
      expect([...real.get(hook)!], `${hook} keys`).toContain(keysOf(p));
    }
    expect([...seen].sort()).toEqual([...real.keys()].sort());
  });

  it('gives tool responses the structure of the real samples', () => {
    const real = new Map<string, string>();
    for (const p of samples) if (p.hook_event_name === 'PostToolUse') real.set(String(p.tool_name), responseKeys(p));
    const posts = payloads.filter((p) => p.hook_event_name === 'PostToolUse');
    for (const tool of real.keys()) {
      // Backgrounded commands add backgroundTaskId (sdk-tools.d.ts BashOutput); the rest match the samples exactly.
      const ours = posts.filter((p) => p.tool_name === tool && !(p.tool_response as Obj).backgroundTaskId);
      expect(ours.length, `${tool} PostToolUse events`).toBeGreaterThan(0);
      for (const p of ours) expect(responseKeys(p), tool).toBe(real.get(tool));
    }
    // Tools the samples lack: the required fields of sdk-tools.d.ts (GrepOutput, GlobOutput, WebFetchOutput, WebSearchOutput, TodoWriteOutput).
    const required: Record<string, string[]> = {
      Grep: ['numFiles', 'filenames'], Glob: ['durationMs', 'numFiles', 'filenames', 'truncated'], WebFetch: ['bytes', 'code', 'codeText', 'result', 'durationMs', 'url'],
      WebSearch: ['query', 'results', 'durationSeconds'], TodoWrite: ['oldTodos', 'newTodos'],
    };
    for (const [tool, keys] of Object.entries(required)) {
      const ours = posts.filter((p) => p.tool_name === tool);
      expect(ours.length, `${tool} PostToolUse events`).toBeGreaterThan(0);
      for (const p of ours) expect(Object.keys(p.tool_response as Obj)).toEqual(expect.arrayContaining(keys));
    }
    for (const p of posts.filter((x) => String(x.tool_name).startsWith('mcp__'))) expect((p.tool_response as Obj[])[0]).toMatchObject({ type: 'text' });
    // tool_input keys are those of the SDK's input types.
    const inputs: Record<string, string[]> = {
      Read: ['file_path', 'offset', 'limit'], Write: ['file_path', 'content'], Edit: ['file_path', 'old_string', 'new_string', 'replace_all'],
      Bash: ['command', 'description', 'run_in_background', 'timeout'], Grep: ['pattern', 'path', 'glob', 'type', 'output_mode', '-i'], Glob: ['pattern', 'path'],
      WebFetch: ['url', 'prompt'], WebSearch: ['query'], Agent: ['description', 'prompt', 'subagent_type'], TodoWrite: ['todos'],
    };
    for (const p of payloads.filter((x) => x.hook_event_name === 'PreToolUse')) {
      const allowed = inputs[String(p.tool_name)];
      if (allowed) expect(allowed, String(p.tool_name)).toEqual(expect.arrayContaining(Object.keys(p.tool_input as Obj)));
    }
  });

  it('pairs every PreToolUse with one PostToolUse or PostToolUseFailure, then a PostToolBatch', () => {
    for (const s of sessions) {
      const pending = new Map<string, string>();
      const done = new Set<string>();
      for (const { payload: p } of s.payloads) {
        const id = String(p.tool_use_id ?? '');
        if (p.hook_event_name === 'PreToolUse') pending.set(id, String(p.tool_name));
        if (p.hook_event_name === 'PostToolUse' || p.hook_event_name === 'PostToolUseFailure') {
          expect(pending.get(id), `${s.id}: post without pre`).toBe(p.tool_name);
          pending.delete(id);
          done.add(id);
        }
        if (p.hook_event_name === 'PostToolBatch') for (const c of p.tool_calls as Obj[]) expect(done.has(String(c.tool_use_id))).toBe(true);
      }
      expect(pending.size, `${s.id}: calls without a result`).toBe(0);
    }
  });

  it('orders each session in time and brackets it with SessionStart and SessionEnd', () => {
    for (const s of sessions) {
      expect(s.payloads[0]!.payload.hook_event_name).toBe('SessionStart');
      expect(s.payloads.at(-1)!.payload.hook_event_name).toBe('SessionEnd');
      for (let i = 1; i < s.payloads.length; i++) expect(s.payloads[i]!.atMs).toBeGreaterThan(s.payloads[i - 1]!.atMs);
      expect(new Set(s.payloads.map((p) => p.payload.session_id))).toEqual(new Set([s.id]));
    }
  });

  it('attributes subagent events to an agent between its SubagentStart and SubagentStop', () => {
    let subagents = 0;
    for (const s of sessions) {
      const open = new Set<string>();
      for (const { payload: p } of s.payloads) {
        if (p.hook_event_name === 'SubagentStart') open.add(String(p.agent_id)), subagents++;
        else if (p.hook_event_name === 'SubagentStop') expect(open.delete(String(p.agent_id))).toBe(true);
        else if (p.agent_id) expect(open.has(String(p.agent_id))).toBe(true);
      }
      expect(open.size).toBe(0);
    }
    expect(subagents).toBeGreaterThan(5);
  });

  it('has ordinary sessions of 20–120 tool calls from every project kind and several users', () => {
    const clean = sessions.filter((s) => s.kind === 'clean');
    expect(clean).toHaveLength(50);
    for (const s of clean) {
      expect(s.calls).toBeGreaterThanOrEqual(20);
      expect(s.calls).toBeLessThanOrEqual(120);
      expect(s.attackStart).toBe(-1);
      expect(s.attackEvents).toEqual([]);
    }
    expect(new Set(sessions.map((s) => s.project))).toEqual(new Set(PROJECT_KINDS));
    expect(new Set(clean.map((s) => s.user)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(sessions.map((s) => s.projectDir)).size).toBeGreaterThanOrEqual(10);
    const tools = new Set(payloads.filter((p) => p.hook_event_name === 'PreToolUse').map((p) => p.tool_name));
    for (const t of ['Read', 'Edit', 'Write', 'Bash', 'Grep', 'Glob', 'Agent', 'WebFetch', 'WebSearch', 'TodoWrite']) expect(tools).toContain(t);
    expect(payloads.some((p) => p.hook_event_name === 'PostToolUseFailure')).toBe(true);
  });

  it('labels attacks: the scenario, its variant and the payloads it produced', () => {
    for (const scenario of SCENARIOS) {
      expect(variantsOf(scenario).length, scenario).toBeGreaterThanOrEqual(3);
      const of = sessions.filter((s) => s.kind === scenario);
      expect(of, scenario).toHaveLength(2);
      for (const s of of) {
        expect(variantsOf(scenario)).toContain(s.variant);
        expect(s.attackEvents.length).toBeGreaterThan(0);
        expect(s.attackStart).toBe(s.attackEvents[0]);
        expect([...s.attackEvents].sort((a, b) => a - b)).toEqual(s.attackEvents);
        expect(s.payloads[s.attackStart]!.payload.hook_event_name).toMatch(/^(PreToolUse|MessageDisplay)$/);
        const pre = s.attackEvents.filter((i) => s.payloads[i]!.payload.hook_event_name === 'PreToolUse');
        expect(pre.length).toBeGreaterThan(0);
        if (scenario === 'burst') expect(pre.length).toBeGreaterThanOrEqual(60);
      }
    }
  });
});

describe('detection on the corpus', () => {
  let run: DetectionRun;
  const history: LabelledSession[] = corpus(SEED, { clean: 60, perScenario: 0, startMs: START - 14 * DAY, days: 14, stream: 1 });

  beforeAll(() => {
    run = runDetection(sessions, { rules: BUILTIN_RULES, history });
  }, 120_000);

  it('runs every rule without errors', () => {
    expect(run.ruleErrors).toBe(0);
  });

  it('catches ≥ 90 % of the attacks rules cover with a finding ≥ high on or after the attack', () => {
    const score = sessionScore(run.results, 'high', 'any', RULE_SCENARIOS);
    const missed = scenarioRows(run.results).filter((r) => RULE_SCENARIOS.includes(r.scenario)).flatMap((r) => r.missedHigh.map((m) => `${r.scenario}/${m.variant}: ${m.what} → ${m.best}`));
    expect(score.recallAfterStart, `missed at ≥ high:\n${missed.join('\n')}`).toBeGreaterThanOrEqual(0.9);
  });

  it('raises a finding ≥ high in at most 2 % of clean sessions', () => {
    const clean = run.results.filter((r) => r.session.kind === 'clean');
    const noisy = clean.filter((r) => counted(r.findings, 'high').length > 0);
    const report = noisyRules(run.results, 'high').map((r) => `${r.rule} in ${r.sessions} sessions, e.g. ${r.examples.join(' | ')}`);
    expect(noisy.length / clean.length, `clean sessions with findings ≥ high:\n${report.join('\n')}`).toBeLessThanOrEqual(0.02);
  });
});
