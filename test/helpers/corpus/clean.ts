/**
 * Ordinary sessions: a stochastic grammar of explore → edit → test → fix → commit loops per
 * project kind, with parallel reads, failing tests, docs lookups, web searches, MCP calls, todo
 * lists, subagents, and the kind's legitimate edge actions.
 */
import { dotEnv, fileContent } from './content.js';
import { gitCommands, KINDS, shellCommands, type Cmd, type KindSpec, type Project } from './projects.js';
import type { Rng } from './rng.js';
import { countCalls, type Call, type Step, type Turn } from './session.js';
import * as T from './tools.js';

/** What a session knows about its files while it is being generated. */
export class Workspace {
  private readonly files = new Map<string, string>();

  constructor(readonly rng: Rng, readonly project: Project) {}

  abs(rel: string): string {
    return rel.startsWith('/') ? rel : `${this.project.dir}/${rel}`;
  }

  content(path: string): string {
    const abs = this.abs(path);
    let text = this.files.get(abs);
    if (text === undefined) {
      text = abs.endsWith('/.env') ? dotEnv(this.rng, this.project.kind) : fileContent(this.rng, abs);
      this.files.set(abs, text);
    }
    return text;
  }

  set(path: string, text: string): void {
    this.files.set(this.abs(path), text);
  }

  has(path: string): boolean {
    return this.files.has(this.abs(path));
  }
}

export interface CleanOptions {
  /** Tool calls to aim for (20–120). */
  readonly calls: number;
  /** Whether this user has MCP servers configured. */
  readonly mcp: boolean;
}

const FOLLOW_UPS = ['yes, go ahead', 'also add a test for that', 'looks good, commit it', 'now run the linter and fix what it finds', 'can you double-check the edge cases?', 'ok, and update the README accordingly', 'great. one more thing: clean up the naming', 'run the full test suite again'];
const SAY = ['Let me look at the code first.', 'Now let me check the tests.', 'I will run the tests to see the current state.', 'Let me search for where this is used.', 'Now I will make the change.', 'Let me verify the build still passes.', 'The test fails because of an off-by-one; fixing it.'];

/** The turns of one clean session. */
export function cleanTurns(rng: Rng, ws: Workspace, o: CleanOptions): Turn[] {
  const spec = KINDS[ws.project.kind];
  const turnCount = Math.max(1, Math.min(5, Math.round(o.calls / rng.int(18, 40))));
  const budgets = split(rng, o.calls, turnCount);
  return budgets.map((budget, i) => ({
    prompt: i === 0 ? rng.pick(spec.prompts) : rng.pick(FOLLOW_UPS),
    steps: turnSteps(rng, ws, spec, budget, o),
    final: rng.pick(['Done. The change is in place and the tests pass.', 'I made the change and verified it with the test suite.', 'All set — summary of the changes above.', 'Finished; let me know if you want the follow-up refactor too.']),
  }));
}

/** Splits `total` calls over `parts` turns (at least 6 each), summing exactly to `total`. */
function split(rng: Rng, total: number, parts: number): number[] {
  const n = Math.max(1, Math.min(parts, Math.floor(total / 6)));
  const weights = Array.from({ length: n }, () => 0.5 + rng.next());
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => 6 + Math.floor((w / sum) * (total - 6 * n)));
  out[n - 1]! += total - out.reduce((a, b) => a + b, 0);
  return out;
}

const one = (call: Call, say?: string): Step => ({ kind: 'calls', calls: [call], ...(say ? { say } : {}) });

function cmdCall(rng: Rng, cmd: Cmd): Call {
  return T.bash(rng, cmd.command, cmd.description, cmd.result);
}

function sourceFile(rng: Rng, spec: KindSpec): string {
  return rng.weighted([[6, () => rng.pick(spec.sources)], [3, () => rng.pick(spec.tests)], [2, () => rng.pick(spec.configs)], [1, () => rng.pick(spec.docs)]])();
}

/** A read-only exploration call. */
export function exploreCall(rng: Rng, ws: Workspace, spec: KindSpec): Call {
  const p = ws.project;
  return rng.weighted<() => Call>([
    [10, () => {
      const f = sourceFile(rng, spec);
      if (rng.chance(0.02)) return T.readMissing(rng, ws.abs(f.replace(/(\.\w+)$/, '.old$1')));
      const text = ws.content(f);
      const lines = text.split('\n').length;
      return lines > 400 && rng.chance(0.5) ? T.read(rng, ws.abs(f), text, { offset: rng.int(1, lines - 200), limit: 200 }) : T.read(rng, ws.abs(f), text);
    }],
    [3, () => {
      const pattern = rng.pick(spec.grep);
      const files = rng.sample(spec.sources, rng.int(0, 6));
      return rng.chance(0.3)
        ? T.grep(rng, pattern, { path: `${p.dir}/${rng.pick(spec.sources).split('/')[0]}`, mode: 'content', ...(rng.chance(0.3) ? { i: true } : {}) }, [], files.map((f) => `${ws.abs(f)}:${rng.int(1, 300)}:  ${pattern}`))
        : T.grep(rng, pattern, { ...(rng.chance(0.5) ? { path: p.dir } : {}), ...(rng.chance(0.3) && spec.fileType ? { type: spec.fileType } : {}) }, files.map((f) => ws.abs(f)));
    }],
    [2, () => {
      const pattern = rng.pick(spec.globs);
      return T.glob(rng, pattern, rng.chance(0.3) ? p.dir : undefined, rng.sample([...spec.sources, ...spec.tests], rng.int(1, 12)).map((f) => ws.abs(f)));
    }],
    [2, () => cmdCall(rng, shellCommands(rng, p, spec))],
    [1, () => cmdCall(rng, gitCommands(rng, p, spec.sources, true))],
    [1, () => cmdCall(rng, rng.weighted(spec.misc)(rng, p))],
  ])();
}

function docsCall(rng: Rng, spec: KindSpec): Call {
  const url = rng.pick(spec.urls);
  if (rng.chance(0.05)) return T.webFetchFailure(rng, url, 'Summarise the relevant part');
  const topic = url.split('/').filter(Boolean).pop() ?? 'page';
  const text = [`# ${topic.replace(/[-_#.]/g, ' ')}`, '', `The page explains ${topic.replace(/[-_]/g, ' ')}. Key points:`, '', ...Array.from({ length: rng.int(3, 12) }, (_, i) => `${i + 1}. ${rng.pick(['Use the option only when needed; the default is usually right.', 'The function returns a new object and leaves the input unchanged.', 'Errors are reported through the returned promise.', 'Configuration is read once at start-up.', 'This API is stable since the last major version.', 'Examples show the recommended pattern for pagination.'])}`), '', '```', 'example(config, { limit: 20 })', '```'].join('\n');
  return T.webFetch(rng, url, rng.pick(['Summarise how to configure this', 'What are the options and defaults?', 'Find the example for pagination', 'Explain the recommended pattern']), text);
}

function searchCall(rng: Rng, spec: KindSpec): Call {
  const q = rng.pick(spec.searches);
  const hosts = ['stackoverflow.com', 'github.com', 'dev.to', 'medium.com', 'docs.github.com', 'reddit.com'];
  const links = Array.from({ length: rng.int(3, 8) }, (_, i) => ({ title: `${q} — answer ${i + 1}`, url: `https://${rng.pick(hosts)}/${q.replace(/\W+/g, '-').slice(0, 40)}-${rng.int(1000, 99999)}` }));
  return T.webSearch(rng, q, links, `Based on the results, ${q} is usually done by configuring the option explicitly and testing it with a small example.`);
}

function mcpCall(rng: Rng, ws: Workspace): Call {
  const p = ws.project;
  return rng.weighted<() => Call>([
    [3, () => T.mcp(rng, 'mcp__github__get_pull_request', { owner: p.org, repo: p.name, pull_number: rng.int(10, 900) }, JSON.stringify({ number: rng.int(10, 900), title: 'Add pagination', state: 'open', user: { login: p.user }, body: 'Adds cursor pagination. Closes #12.' }))],
    [2, () => T.mcp(rng, 'mcp__github__list_issues', { owner: p.org, repo: p.name, state: 'open' }, JSON.stringify([{ number: rng.int(1, 400), title: 'Flaky test in CI' }, { number: rng.int(1, 400), title: 'Docs: clarify setup' }]))],
    [2, () => T.mcp(rng, 'mcp__context7__get-library-docs', { context7CompatibleLibraryID: rng.pick(['/vercel/next.js', '/tanstack/query', '/pandas-dev/pandas', '/clap-rs/clap']), topic: rng.pick(['routing', 'pagination', 'merge', 'derive']), tokens: 5000 }, 'TITLE: Pagination\nDESCRIPTION: Use the cursor returned by the previous page.\nSOURCE: docs/pagination.md\nCODE:\nconst page = await client.list({ cursor })')],
  ])();
}

function todoCall(rng: Rng, prompt: string): Call {
  const items = ['Read the relevant code', 'Make the change', 'Add or update tests', 'Run the test suite', 'Update the docs'].slice(0, rng.int(2, 5));
  const todos = items.map((content, i) => ({ content, status: (i === 0 ? 'in_progress' : 'pending') as T.Todo['status'], activeForm: `${content.replace(/^(\w+)/, '$1ing')}` }));
  void prompt;
  return T.todoWrite(rng, [], todos);
}

/** An edit of an existing file (sometimes a failing one: the string is not found). */
function editCall(rng: Rng, ws: Workspace, spec: KindSpec): Call {
  const f = rng.chance(0.75) ? rng.pick(spec.sources) : rng.pick([...spec.tests, ...spec.configs, ...spec.docs]);
  const text = ws.content(f);
  const lines = text.split('\n').filter((l) => l.trim().length > 3);
  const at = rng.int(0, Math.max(0, lines.length - 1));
  const old = lines.slice(at, at + rng.int(1, 3)).join('\n') || text.slice(0, 20);
  if (rng.chance(0.03)) return { tool: 'Edit', input: { file_path: ws.abs(f), old_string: `${old} `, new_string: old, replace_all: false }, error: 'String to replace not found in file.\nString: ' + old, batch: 'String to replace not found in file.', durationMs: rng.int(2, 8) };
  const addition = rng.pick(['  // Keep the previous behaviour for empty input.', '  if (value === undefined) return fallback;', '  log.debug("retrying", { attempt });', '    timeout: 30_000,', '# handle the edge case explicitly', '  limit = max(1, limit)']);
  const neu = rng.chance(0.5) ? `${old}\n${addition}` : old.replace(/\b(\w{4,})\b/, (w) => `${w}Next`);
  const { call, updated } = T.edit(rng, ws.abs(f), text, old, neu);
  ws.set(f, updated);
  return call;
}

function writeCall(rng: Rng, ws: Workspace, spec: KindSpec): Call {
  const f = rng.pick(spec.newFiles);
  const existing = ws.has(f) ? ws.content(f) : null;
  const text = fileContent(rng, ws.abs(f), rng.int(15, 140));
  ws.set(f, text);
  return T.write(rng, ws.abs(f), text, existing);
}

function subagent(rng: Rng, ws: Workspace, spec: KindSpec, calls: number): Step {
  const steps: Step[] = [];
  for (let i = 0; i < calls; i++) steps.push(one(exploreCall(rng, ws, spec)));
  const [description, prompt] = rng.pick([
    ['Explore the codebase', `Find every place that handles ${rng.pick(spec.grep)} and summarise how they fit together.`],
    ['Review the change', 'Review the uncommitted changes for bugs and missing tests. Report findings only.'],
    ['Find usages', `List the callers of ${rng.pick(spec.grep)} with file and line.`],
  ] as const);
  return { kind: 'agent', description, prompt, agentType: rng.pick(['Explore', 'general-purpose']), steps, result: rng.pick(['Found 4 call sites; summary above.', 'No blocking issues; two nits.', 'The handling is concentrated in two modules.']) };
}

/** The steps of one turn: exactly `budget` tool calls (an Agent call and its subagent's calls included). */
function turnSteps(rng: Rng, ws: Workspace, spec: KindSpec, budget: number, o: CleanOptions): Step[] {
  const p = ws.project;
  const steps: Step[] = [];
  const wrap = budget >= 8 && rng.chance(0.35) ? 2 : 1;
  let used = 0;
  const room = () => budget - wrap - used;
  const push = (s: Step): void => {
    steps.push(s);
    used += countCalls([s]);
  };
  if (room() > 2 && rng.chance(0.25)) push(one(todoCall(rng, '')));
  const explore = Math.max(2, Math.round(budget * (0.25 + rng.next() * 0.2)));
  while (used < explore && room() > 0) {
    const r = rng.next();
    if (r < 0.2 && room() >= 2) push({ kind: 'calls', calls: Array.from({ length: Math.min(room(), rng.int(2, 4)) }, () => exploreCall(rng, ws, spec)), ...(rng.chance(0.3) ? { say: rng.pick(SAY) } : {}) });
    else if (r < 0.225) push(one(docsCall(rng, spec)));
    else if (r < 0.235) push(one(searchCall(rng, spec)));
    else if (r < 0.255 && o.mcp) push(one(mcpCall(rng, ws)));
    else if (r < 0.28) push(one(outsideRead(rng, ws, spec)));
    else if (r < 0.29 && (p.kind === 'node-web' || p.kind === 'go-service' || p.kind === 'python-ml')) push(one(T.read(rng, ws.abs('.env'), ws.content('.env'))));
    else push(one(exploreCall(rng, ws, spec), rng.chance(0.2) ? rng.pick(SAY) : undefined));
  }
  if (room() >= 6 && rng.chance(0.12)) push(subagent(rng, ws, spec, Math.min(room() - 1, rng.int(3, 14))));
  let failing = false;
  while (room() > 0) {
    if (failing && room() >= 3) {
      // The loop after a failure: look at the failing code, fix it, run again.
      const test = rng.pick(spec.tests);
      push(one(T.read(rng, ws.abs(test), ws.content(test))));
      push(one(editCall(rng, ws, spec), rng.pick(SAY)));
      const rerun = rng.chance(0.8);
      push(one(cmdCall(rng, rng.pick([spec.test, spec.build])(rng, p, rerun))));
      failing = !rerun;
      continue;
    }
    failing = false;
    const action = rng.weighted<string>([[30, 'edit'], [6, 'write'], [14, 'explore'], [12, 'test'], [5, 'build'], [4, 'lint'], [7, 'edge'], [3, 'misc'], [4, 'git'], [0.4, 'docs']]);
    switch (action) {
      case 'edit': push(one(editCall(rng, ws, spec), rng.chance(0.2) ? rng.pick(SAY) : undefined)); break;
      case 'write': push(one(writeCall(rng, ws, spec))); break;
      case 'explore': push(one(exploreCall(rng, ws, spec))); break;
      case 'test':
      case 'build':
      case 'lint': {
        const pass = rng.chance(0.7);
        push(one(cmdCall(rng, spec[action](rng, p, pass)), rng.chance(0.3) ? rng.pick(SAY) : undefined));
        failing = !pass && action !== 'lint';
        break;
      }
      case 'edge': push(one(cmdCall(rng, rng.weighted(spec.edges)(rng, p)))); break;
      case 'misc': push(one(cmdCall(rng, rng.weighted(spec.misc)(rng, p)))); break;
      case 'git': push(one(cmdCall(rng, gitCommands(rng, p, spec.sources)))); break;
      default: push(one(docsCall(rng, spec)));
    }
  }
  // Wrap-up: look at the diff, sometimes commit and push.
  push(one(cmdCall(rng, { command: rng.pick(['git status --short', 'git diff --stat']), description: 'Review the changes', result: { stdout: ` M ${rng.pick(spec.sources)}\n M ${rng.pick(spec.tests)}` } })));
  if (wrap === 2) push(one(cmdCall(rng, gitCommands(rng, p, spec.sources))));
  return steps;
}

function outsideRead(rng: Rng, ws: Workspace, spec: KindSpec): Call {
  const path = rng.pick(spec.outside(rng, ws.project));
  return T.read(rng, path, ws.content(path));
}
