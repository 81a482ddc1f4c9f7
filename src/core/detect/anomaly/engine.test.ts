import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../event/schema.js';
import type { EventFacts } from '../types.js';
import { type AnomalyHit, createAnomalyEngine } from './engine.js';
import { HOUR, MINUTE } from './util.js';

const HOME = '/home/u';
const PROJECT = '/home/u/proj';
const T0 = Date.UTC(2026, 0, 5, 9);

interface Spec { t: number; session: string; hook?: string; tool?: string; commands?: string[]; file?: string; url?: string }

/** Minimal EventFacts for a hook event: `commands` are argv0 names, `file` is project-relative or absolute / `~`. */
function ev(o: Spec): EventFacts {
  const tool = o.tool ?? '';
  const hookEvent = o.hook ?? 'PreToolUse';
  const abs = o.file?.startsWith('~') ? HOME + o.file.slice(1) : o.file?.startsWith('/') ? o.file : `${PROJECT}/${o.file}`;
  const files = o.file ? [{ raw: o.file, abs, real: abs, access: 'read' as const, via: tool, inProject: abs.startsWith(`${PROJECT}/`) }] : [];
  const commands = (o.commands ?? []).map((name, i) => ({
    name, dynamicName: false, word: name, args: [], wrappers: [], wrapperArgs: [], assigns: [], redirects: [], pipeline: i, stage: 0, parent: -1, via: 'top', depth: 0, cwd: PROJECT, text: name,
  }));
  const urls = o.url ? [{ raw: o.url, host: new URL(o.url).hostname, href: o.url, pathname: '/', search: '', via: tool }] : [];
  const event = {
    timestamp: new Date(o.t).toISOString(), hook_event: hookEvent, session_id: o.session, project_path: PROJECT, tool_name: tool || null,
    metadata: { user_id: 'alice', permission_mode: 'default' },
  } as unknown as AgentEvent;
  return {
    event, hookEvent, phase: 'pre', tool, input: {}, output: '', prompt: '', cwd: PROJECT, projectRoot: PROJECT, home: HOME, permissionMode: 'default',
    files, urls, texts: [], shell: commands.length ? { source: '', commands, pipelines: [], errors: [], uncertain: false } : null,
    resolve: () => ({ abs: '', real: '', inProject: false }),
  };
}

const ROUTINE: Omit<Spec, 't' | 'session'>[] = [
  { tool: 'Bash', commands: ['git'] }, { tool: 'Read', file: 'src/a.ts' }, { tool: 'Grep' }, { tool: 'Read', file: 'src/b.ts' },
  { tool: 'Edit', file: 'src/b.ts' }, { tool: 'Bash', commands: ['npm'] }, { tool: 'Read', file: 'test/b.test.ts' }, { tool: 'Edit', file: 'src/b.ts' },
  { tool: 'Bash', commands: ['npm'] }, { tool: 'Bash', commands: ['git'] }, { tool: 'Bash', commands: ['git'] },
];

/** A session: SessionStart, the given tool calls one minute apart, then (unless `end` is false) SessionEnd. */
function session(id: string, t: number, calls = ROUTINE, end = true): EventFacts[] {
  const out = [ev({ t, session: id, hook: 'SessionStart' }), ...calls.map((c, i) => ev({ ...c, t: t + (i + 1) * MINUTE, session: id }))];
  return end ? [...out, ev({ t: t + (calls.length + 1) * MINUTE, session: id, hook: 'SessionEnd' })] : out;
}

/** 25 routine sessions, one every 8 hours (more than 200 events over 8 days). */
const history = (): EventFacts[] => Array.from({ length: 25 }, (_, i) => session(`s${i}`, T0 + i * 8 * HOUR)).flat();
const AFTER = T0 + 25 * 8 * HOUR;
const EXFIL: Omit<Spec, 't' | 'session'>[] = [
  { tool: 'Bash', commands: ['git'] }, { tool: 'Read', file: '.env' }, { tool: 'Bash', commands: ['curl'], url: 'https://x.webhook.site/abc' }, { tool: 'Read', file: '~/.aws/credentials' },
];
const BURST = Array.from({ length: 60 }, (_, i) => ({ tool: 'Read', file: `src/f${i}.ts` }));

const feed = (engine: ReturnType<typeof createAnomalyEngine>, events: EventFacts[]): AnomalyHit[] => events.flatMap((e) => engine.observe(e));

describe('anomaly engine', () => {
  it('reports nothing for routine work, then low-severity findings for an exfiltration session, within budget', () => {
    const engine = createAnomalyEngine();
    expect(feed(engine, history())).toEqual([]);
    const hits = feed(engine, session('evil', AFTER, EXFIL));
    expect(hits).toHaveLength(3);
    expect(hits.map((h) => [h.ruleId, h.evidence])).toEqual([
      ['AGT-ANOM-001', 'curl'],
      ['AGT-ANOM-001', 'x.webhook.site'],
      ['AGT-ANOM-002', 'Read:in → Bash:curl'],
    ]);
    expect(hits.every((h) => h.severity === 'low' && h.sessionId === 'evil')).toBe(true);
    expect(engine.stats()).toMatchObject({ candidates: 4, emitted: 3, excess: { session: 1 } });
  });

  it('flags a burst of 60 reads with the robust z detector after 10 sessions', () => {
    const engine = createAnomalyEngine({ firstSeen: { warmupEvents: 1e9 } });
    feed(engine, Array.from({ length: 10 }, (_, i) => session(`s${i}`, T0 + i * HOUR)).flat());
    const hits = feed(engine, session('burst', T0 + 20 * HOUR, BURST));
    expect(hits.map((h) => [h.detector, h.ruleId, h.evidence])).toContainEqual(['robust-z', 'AGT-ANOM-003', 'reads=9']);
  });

  it('closes sessions that went idle so their statistics join the history', () => {
    const engine = createAnomalyEngine();
    feed(engine, session('left-open', T0, ROUTINE, false));
    expect(engine.stats()).toMatchObject({ openSessions: 1, robustZ: { users: 0, sessions: 1 } });
    feed(engine, session('next', T0 + 13 * HOUR, ROUTINE.slice(0, 1), false));
    expect(engine.stats()).toMatchObject({ openSessions: 1, robustZ: { users: 1, sessions: 1 } });
  });

  it('round-trips its snapshot through JSON, open sessions included, with identical behaviour', () => {
    const a = createAnomalyEngine();
    feed(a, [...history(), ...session('open', AFTER, ROUTINE.slice(0, 4), false)]);
    const saved = a.snapshot();
    const json = JSON.stringify(saved);
    const parsed: unknown = JSON.parse(json);
    expect(parsed).toEqual(saved);
    const b = createAnomalyEngine({}, parsed);
    expect(b.stats()).toEqual(a.stats());
    const rest = [
      ...ROUTINE.slice(4).map((c, i) => ev({ ...c, t: AFTER + (10 + i) * MINUTE, session: 'open' })),
      ...session('evil', AFTER + HOUR, EXFIL), ...session('burst', AFTER + 2 * HOUR, BURST),
    ];
    const hits = feed(a, rest);
    expect(hits.length).toBeGreaterThan(3);
    expect(feed(b, rest)).toEqual(hits);
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(JSON.stringify(saved)).toBe(json);
  });

  const valid = () => {
    const e = createAnomalyEngine();
    feed(e, session('s', T0));
    return e.snapshot() as Record<string, unknown>;
  };
  it.each([
    ['null', () => null],
    ['a number', () => 42],
    ['a string', () => 'not json'],
    ['an array', () => []],
    ['an empty object', () => ({})],
    ['an old format', () => ({ ...valid(), format: 'agenttrail-anomaly/0' })],
    ['a corrupt detector', () => ({ ...valid(), markov: { users: [['alice', { pairs: 'x' }]], sessions: [] } })],
    ['a non-numeric clock', () => ({ ...valid(), clock: null })],
    ['an out-of-range count', () => ({ ...valid(), events: -1 })],
  ])('starts fresh from a snapshot that is %s', (_, make) => {
    const engine = createAnomalyEngine({}, make());
    expect(engine.stats()).toMatchObject({ events: 0, emitted: 0, openSessions: 0 });
    const fresh = createAnomalyEngine();
    const events = [...history(), ...session('evil', AFTER, EXFIL)];
    expect(feed(engine, events)).toEqual(feed(fresh, events));
  });
});
