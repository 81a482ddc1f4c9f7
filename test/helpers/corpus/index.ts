/**
 * A deterministic, labelled corpus of Claude Code sessions for measuring detections (security
 * reference C.3): ordinary sessions from seven kinds of projects by several users, and the same
 * kind of sessions with a labelled attack spliced in at a random position.
 *
 *   const sessions = corpus(42, { clean: 300, perScenario: 20 });
 *
 * The population (users, their homes, projects and habits) depends only on the seed; `stream`
 * draws other sessions from the same population (a warm-up history, a held-out set).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { attackSteps, SCENARIOS, variantsOf, type Scenario } from './attacks.js';
import { cleanTurns, Workspace } from './clean.js';
import { PROJECT_KINDS, type Project, type ProjectKindId } from './projects.js';
import { Rng } from './rng.js';
import { countCalls, renderSession, type TimedPayload, type Turn } from './session.js';

export { RULE_SCENARIOS, SCENARIOS, variantsOf, type Scenario } from './attacks.js';
export { PROJECT_KINDS, type ProjectKindId } from './projects.js';
export type { TimedPayload } from './session.js';

export type SessionKind = 'clean' | Scenario;

export interface LabelledSession {
  /** The session_id of its payloads. */
  readonly id: string;
  readonly kind: SessionKind;
  /** Which variant of the scenario ('' for clean sessions). */
  readonly variant: string;
  readonly project: ProjectKindId;
  readonly projectDir: string;
  readonly user: string;
  readonly home: string;
  readonly permissionMode: string;
  /** Tool calls in the session (subagents' included). */
  readonly calls: number;
  /** Index of the first attack payload, -1 for clean sessions. */
  readonly attackStart: number;
  /** Indexes (into payloads) of the payloads the attack produced. */
  readonly attackEvents: readonly number[];
  readonly payloads: readonly TimedPayload[];
}

export interface CorpusOptions {
  readonly clean: number;
  readonly perScenario: number;
  /** Scenarios to include (default: all). */
  readonly scenarios?: readonly Scenario[];
  /** Start of the period the sessions are spread over (default 2026-11-02T00:00Z). */
  readonly startMs?: number;
  /** Days the sessions are spread over (default 7). */
  readonly days?: number;
  /** Independent stream of sessions from the same population (default 0). */
  readonly stream?: number;
  /** Tool calls per session (default 20–120, median about 45). */
  readonly calls?: { readonly min: number; readonly max: number; readonly median: number };
}

export interface User {
  readonly name: string;
  readonly home: string;
  readonly projects: readonly Project[];
  /** Permission modes with weights: how this user usually runs Claude Code. */
  readonly modes: readonly (readonly [number, string])[];
  readonly mcp: boolean;
}

const USER_NAMES = ['alice', 'bob', 'carol', 'dmitri', 'emma', 'farid'];
const ORGS = ['acme', 'acme-labs', 'northwind'];
const MODE_PROFILES: readonly (readonly (readonly [number, string])[])[] = [
  [[8, 'default'], [2, 'acceptEdits']],
  [[3, 'default'], [6, 'acceptEdits'], [1, 'plan']],
  [[4, 'default'], [2, 'acceptEdits'], [4, 'bypassPermissions']],
  [[9, 'default'], [1, 'plan']],
  [[5, 'acceptEdits'], [5, 'default']],
  [[7, 'default'], [2, 'acceptEdits'], [1, 'bypassPermissions']],
];

/** Users, their projects (every kind at least twice) and habits; depends only on the seed. */
export function population(seed: number): User[] {
  const rng = new Rng(seed ^ 0x5eed);
  const kinds = rng.shuffle([...PROJECT_KINDS, ...PROJECT_KINDS, ...rng.sample(PROJECT_KINDS, 4)]);
  const names = new Map<string, number>();
  return USER_NAMES.map((name, u) => {
    const home = `/home/${name}`;
    const projects = kinds.slice(u * 3, u * 3 + 3).map((kind): Project => {
      const base = rng.pick(projectNames(kind));
      const n = names.get(`${name}/${base}`) ?? 0;
      names.set(`${name}/${base}`, n + 1);
      const repo = n ? `${base}-${n + 1}` : base;
      const dir = kind === 'devops' && repo === 'dotfiles' ? `${home}/dotfiles` : `${home}/${rng.pick(['work', 'src', 'code', 'projects'])}/${repo}`;
      return { kind, name: repo, dir, user: name, home, org: rng.pick(ORGS) };
    });
    return { name, home, projects, modes: MODE_PROFILES[u % MODE_PROFILES.length]!, mcp: rng.chance(0.5) };
  });
}

function projectNames(kind: ProjectKindId): readonly string[] {
  return {
    'node-web': ['storefront', 'dashboard', 'webapp', 'admin-ui'], 'python-ml': ['churn-model', 'forecasting', 'nlp-experiments'],
    'rust-cli': ['logq', 'tidy', 'shipit'], 'go-service': ['orders-api', 'billing', 'gateway'], terraform: ['infra', 'platform-infra'],
    'docs-site': ['docs', 'handbook', 'developer-portal'], devops: ['dotfiles', 'platform-scripts', 'ops-toolbox'],
  }[kind];
}

/** Generates the labelled sessions, in no particular order (shuffled). */
export function corpus(seed: number, o: CorpusOptions): LabelledSession[] {
  const users = population(seed);
  const rng = new Rng((seed * 7919 + (o.stream ?? 0) * 104729 + 17) >>> 0);
  const plan: { kind: SessionKind; variant: string }[] = Array.from({ length: o.clean }, () => ({ kind: 'clean', variant: '' }));
  // Variants take turns (in a random order per scenario), so every variant is measured.
  for (const s of o.scenarios ?? SCENARIOS) {
    const order = rng.shuffle(variantsOf(s));
    for (let i = 0; i < o.perScenario; i++) plan.push({ kind: s, variant: order[i % order.length]! });
  }
  const startMs = o.startMs ?? Date.UTC(2026, 10, 2);
  const days = o.days ?? 7;
  return rng.shuffle(plan).map((p, i) => generateSession(rng.fork(i), users, p.kind, p.variant, startMs, days, o.calls));
}

function generateSession(rng: Rng, users: readonly User[], kind: SessionKind, wanted: string, startMs: number, days: number, calls = { min: 20, max: 120, median: 45 }): LabelledSession {
  const user = rng.pick(users);
  const project = rng.pick(user.projects);
  const others = users.find((u) => u === user)!.projects.filter((p) => p !== project);
  const other = others.length ? rng.pick(others).dir : `${user.home}/work/old-${project.name}`;
  const ws = new Workspace(rng, project);
  const target = rng.logNormal(calls.median, 0.55, calls.min, calls.max);
  const turns: Turn[] = cleanTurns(rng, ws, { calls: target, mcp: user.mcp });
  let variant = '';
  if (kind !== 'clean') {
    const attack = attackSteps(kind, rng, ws, other, wanted);
    variant = attack.variant;
    const turn = rng.pick(turns);
    const at = rng.int(Math.min(1, turn.steps.length), turn.steps.length);
    turn.steps.splice(at, 0, ...attack.steps);
  }
  const permissionMode = rng.weighted(user.modes);
  const day = rng.int(0, Math.max(0, days - 1));
  const sessionStart = startMs + day * 86_400_000 + rng.int(7 * 60, 19 * 60) * 60_000 + rng.int(0, 59_999);
  const id = rng.uuid();
  const { payloads, attackEvents } = renderSession(
    { sessionId: id, user: user.name, home: user.home, projectDir: project.dir, permissionMode, effort: rng.pick(['medium', 'medium', 'medium', 'high', 'low']), startMs: sessionStart },
    turns,
    rng,
  );
  return {
    id, kind, variant, project: project.kind, projectDir: project.dir, user: user.name, home: user.home, permissionMode,
    calls: turns.reduce((n, t) => n + countCalls(t.steps), 0),
    attackStart: attackEvents.length ? attackEvents[0]! : -1,
    attackEvents,
    payloads,
  };
}

/**
 * Writes the corpus: one `<session>.hooks.jsonl` per session (hook payloads, one per line, usable
 * with `agenttrail rules test --payloads`) and `labels.jsonl` (labels and capture times).
 */
export function writeCorpus(dir: string, sessions: readonly LabelledSession[]): void {
  mkdirSync(join(dir, 'sessions'), { recursive: true });
  const labels: string[] = [];
  for (const s of sessions) {
    writeFileSync(join(dir, 'sessions', `${s.id}.hooks.jsonl`), s.payloads.map((p) => JSON.stringify(p.payload)).join('\n') + '\n');
    const { payloads, ...label } = s;
    labels.push(JSON.stringify({ ...label, file: `sessions/${s.id}.hooks.jsonl`, atMs: payloads.map((p) => p.atMs) }));
  }
  writeFileSync(join(dir, 'labels.jsonl'), labels.join('\n') + '\n');
}
