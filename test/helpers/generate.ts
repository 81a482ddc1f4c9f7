/**
 * Realistic synthetic audit data: Claude Code sessions (prompts, tool calls with Pre/Post pairs,
 * failures, subagents, assistant text) pushed through the real normaliser and the real journal, so
 * tests and benchmarks exercise the same hashing and layout as production. Deterministic per seed.
 */
import { normalizeEvent, type NormalizeSettings } from '../../src/core/event/normalize.js';
import { SessionTracker } from '../../src/core/event/tracker.js';
import { JournalWriter } from '../../src/journal/writer.js';
import type { JournalEntry } from '../../src/core/chain/entry.js';
import type { LocatedEntry } from '../../src/journal/reader.js';

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROJECTS = ['webapp', 'api-server', 'billing', 'infra', 'mobile', 'data-pipeline', 'docs-site', 'auth-service'];
const USERS = ['alice', 'bob', 'carol'];
const HOSTS = ['dev-1', 'dev-2'];
const FILES = ['src/index.ts', 'src/app.ts', 'src/util.ts', 'README.md', 'package.json', 'src/db/schema.sql', 'test/app.test.ts', 'src/routes/user.ts', '.env', 'Dockerfile'];
const COMMANDS = ['npm test', 'git status --short', 'ls -la src', 'npm run build', 'git diff', 'cat package.json', 'grep -rn TODO src', 'curl -s https://api.example.com/health', 'python3 -m pytest -q', 'docker compose ps'];
const PROMPTS = ['add input validation to the signup form', '/sc:implement auth --persona-backend', 'fix the failing test in app.test.ts', 'refactor the db layer', 'why is the build slow?', 'write docs for the API'];

export interface GenerateOptions {
  readonly events: number;
  readonly startMs: number;
  /** Events are spread evenly over this span. */
  readonly spanMs: number;
  readonly seed?: number;
}

export interface GeneratedPayload {
  readonly payload: Record<string, unknown>;
  readonly capturedAtMs: number;
  readonly projectDir: string;
  readonly user: string;
  readonly host: string;
}

/** Yields hook payloads of consecutive sessions until `events` payloads were produced. */
export function* syntheticPayloads(o: GenerateOptions): Generator<GeneratedPayload> {
  const rnd = prng(o.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const step = o.spanMs / o.events;
  let n = 0;
  let s = 0;
  while (n < o.events) {
    const session = `sess-${(o.seed ?? 1).toString(16)}-${(s++).toString(16).padStart(8, '0')}`;
    const project = pick(PROJECTS);
    const projectDir = `/home/${pick(USERS)}/work/${project}`;
    const user = projectDir.split('/')[2]!;
    const host = pick(HOSTS);
    const base = { session_id: session, transcript_path: `/home/${user}/.claude/projects/x/${session}.jsonl`, cwd: projectDir };
    const emit = (p: Record<string, unknown>): GeneratedPayload => ({ payload: { ...base, ...p }, capturedAtMs: o.startMs + n++ * step, projectDir, user, host });
    yield emit({ hook_event_name: 'SessionStart', source: 'startup' });
    const prompts = 1 + Math.floor(rnd() * 3);
    for (let p = 0; p < prompts && n < o.events; p++) {
      const promptId = `${session}-p${p}`;
      yield emit({ hook_event_name: 'UserPromptSubmit', prompt_id: promptId, prompt: pick(PROMPTS), permission_mode: 'default' });
      const calls = 3 + Math.floor(rnd() * 25);
      for (let c = 0; c < calls && n < o.events; c++) {
        const id = `toolu_${session}_${p}_${c}`;
        const agent = rnd() < 0.1 ? { agent_id: `agent${c}`, agent_type: 'general-purpose' } : {};
        const common = { prompt_id: promptId, tool_use_id: id, permission_mode: 'default', ...agent };
        if (rnd() < 0.3) yield emit({ hook_event_name: 'MessageDisplay', prompt_id: promptId, message_id: `m${c}`, index: 0, final: true, delta: 'Let me look at the code first.' });
        const r = rnd();
        const file = `${projectDir}/${pick(FILES)}`;
        const [tool, input] =
          r < 0.4 ? ['Read', { file_path: rnd() < 0.03 ? `/home/${user}/.ssh/id_rsa` : file }]
          : r < 0.55 ? ['Edit', { file_path: file, old_string: 'a', new_string: 'b' }]
          : r < 0.62 ? ['Write', { file_path: file, content: 'x'.repeat(200 + Math.floor(rnd() * 4000)) }]
          : r < 0.85 ? ['Bash', { command: pick(COMMANDS), description: 'run' }]
          : r < 0.93 ? ['Grep', { pattern: 'TODO', path: projectDir }]
          : r < 0.97 ? ['WebFetch', { url: `https://docs.example.com/page/${c}`, prompt: 'summarise' }]
          : ['mcp__github__create_issue', { title: 'bug', body: 'details' }];
        yield emit({ hook_event_name: 'PreToolUse', tool_name: tool, tool_input: input, ...common });
        if (n >= o.events) break;
        if (rnd() < 0.06) yield emit({ hook_event_name: 'PostToolUseFailure', tool_name: tool, tool_input: input, error: 'Exit code 1', is_interrupt: false, duration_ms: Math.floor(rnd() * 3000), ...common });
        else yield emit({ hook_event_name: 'PostToolUse', tool_name: tool, tool_input: input, tool_response: tool === 'Read' ? { type: 'text', file: { filePath: input.file_path, content: 'line\n'.repeat(1 + Math.floor(rnd() * 300)) } } : { stdout: 'ok', stderr: '' }, duration_ms: Math.floor(rnd() * 2000), ...common });
      }
      if (n < o.events) yield emit({ hook_event_name: 'Stop', prompt_id: promptId, stop_hook_active: false, last_assistant_message: 'Done.' });
    }
    if (n < o.events) yield emit({ hook_event_name: 'SessionEnd', reason: 'other' });
  }
}

/** Writes `events` synthetic events into a journal through the real normaliser; returns the journal head. */
export function writeSyntheticJournal(dir: string, o: GenerateOptions): { seq: number } {
  const gen = syntheticJournal(dir, o);
  let step = gen.next();
  // Each yield is one committed batch; nobody is listening here.
  while (!step.done) step = gen.next();
  return step.value;
}

/**
 * Like writeSyntheticJournal, but yields each committed batch with its journal locations — what the
 * daemon hands its index follower — so a caller can index it as the daemon does.
 */
export function* syntheticJournal(dir: string, o: GenerateOptions): Generator<LocatedEntry[], { seq: number }, undefined> {
  const journal = JournalWriter.open({ dir, host: 'gen', maxSegmentBytes: 64 * 1024 * 1024, tailEntries: 0 });
  const tracker = new SessionTracker();
  const settings = (user: string, host: string): NormalizeSettings => ({
    host, user, agenttrailVersion: '0.1.0', home: `/home/${user}`, bound: { maxFieldBytes: 16 * 1024, previewBytes: 1024 },
    realpath: (p) => p, claudeVersion: () => '2.1.328',
  });
  let i = 0;
  let batch: JournalEntry[] = [];
  const flush = (): LocatedEntry[] => {
    const locations = journal.commit();
    const out = batch.map((entry, k) => ({ entry, location: locations[k]! }));
    batch = [];
    return out;
  };
  for (const g of syntheticPayloads(o)) {
    const event = normalizeEvent(
      { payload: g.payload, hookEvent: String(g.payload.hook_event_name), transport: 'command', capturedAtMs: g.capturedAtMs, projectDir: g.projectDir, claudePid: 1, agent: 'claude-code_2-1-328_harness' },
      settings(g.user, g.host),
      tracker,
    );
    const entry = journal.append(event, `gen-${i++}`);
    batch.push(entry);
    tracker.observe(event, entry.seq);
    if (i % 250 === 0) yield flush();
  }
  yield flush();
  journal.close();
  return { seq: journal.head.seq };
}
