/**
 * Session scripts and their rendering into hook payloads with exactly the shapes Claude Code
 * 2.1.328 sends (test/fixtures/claude-code-2.1.328/*.hooks.jsonl): field names and order, the
 * effort object, PostToolBatch after every batch of calls, async subagents bracketed by
 * SubagentStart/SubagentStop with agent_id on their events, and the task-notification prompt.
 */
import type { Rng } from './rng.js';

export type Json = Record<string, unknown>;

/** One tool call as the agent makes it. */
export interface Call {
  readonly tool: string;
  readonly input: Json;
  /** The PostToolUse tool_response; ignored when `error` is set. */
  readonly response?: unknown;
  /** Set for a failed call: the PostToolUseFailure error text. */
  readonly error?: string;
  /** What PostToolBatch shows for this call (Claude Code's text rendering of the result). */
  readonly batch: unknown;
  /** How long the tool ran. */
  readonly durationMs: number;
}

/** A step of a turn: a batch of (parallel) calls, or a subagent with steps of its own. */
export type Step =
  | { readonly kind: 'calls'; readonly calls: readonly Call[]; readonly say?: string; readonly attack?: boolean; readonly gapMs?: number }
  | {
      readonly kind: 'agent';
      readonly description: string;
      readonly prompt: string;
      readonly agentType: string;
      readonly steps: readonly Step[];
      readonly result: string;
      readonly say?: string;
    };

/** One user prompt and what the agent did for it. */
export interface Turn {
  readonly prompt: string;
  readonly steps: Step[];
  readonly final: string;
}

/** A hook payload and the time the hook captured it. */
export interface TimedPayload {
  readonly payload: Json;
  readonly atMs: number;
}

export interface SessionContext {
  readonly sessionId: string;
  readonly user: string;
  readonly home: string;
  readonly projectDir: string;
  readonly permissionMode: string;
  readonly effort: string;
  readonly startMs: number;
}

/** Claude Code's transcript folder name for a project (`/home/dev/work/webapp` → `-home-dev-work-webapp`). */
export function transcriptDir(projectDir: string): string {
  return projectDir.replace(/[^A-Za-z0-9]/g, '-');
}

/** Renders turns into payloads; records which payload indexes came from attack steps. */
export function renderSession(ctx: SessionContext, turns: readonly Turn[], rng: Rng): { payloads: TimedPayload[]; attackEvents: number[] } {
  const payloads: TimedPayload[] = [];
  const attackEvents: number[] = [];
  const transcript = `${ctx.home}/.claude/projects/${transcriptDir(ctx.projectDir)}/${ctx.sessionId}.jsonl`;
  const common = { session_id: ctx.sessionId, transcript_path: transcript, cwd: ctx.projectDir };
  const effort = { level: ctx.effort };
  let now = ctx.startMs;
  let promptId = '';
  let turnId = '';
  let attack = false;

  const emit = (payload: Json, advanceMs: number): void => {
    now += Math.max(1, Math.round(advanceMs));
    if (attack) attackEvents.push(payloads.length);
    payloads.push({ payload, atMs: now });
  };
  const toolUseId = () => `toolu_01${rng.alnum(22)}`;
  const think = () => rng.logNormal(3500, 0.8, 400, 60_000);
  const message = (text: string): void =>
    emit({ ...common, prompt_id: promptId, hook_event_name: 'MessageDisplay', turn_id: turnId, message_id: rng.uuid(), index: 0, final: true, delta: text }, think());

  /** Pre for every call, then the Posts in completion order, then PostToolBatch. */
  const batch = (calls: readonly Call[], agent: { id: string; type: string } | undefined, gapMs: number | undefined): void => {
    const who = agent ? { agent_id: agent.id, agent_type: agent.type } : {};
    const base = { ...common, prompt_id: promptId, permission_mode: ctx.permissionMode, ...who, effort };
    const ids = calls.map(() => toolUseId());
    const start = now + (gapMs ?? think());
    calls.forEach((c, i) => emit({ ...base, hook_event_name: 'PreToolUse', tool_name: c.tool, tool_input: c.input, tool_use_id: ids[i] }, i === 0 ? start - now : rng.int(1, 4)));
    const preAt = now;
    const order = calls.map((c, i) => ({ c, i, end: preAt + c.durationMs })).sort((a, b) => a.end - b.end || a.i - b.i);
    for (const { c, i, end } of order) {
      const at = Math.max(now + 1, end);
      if (c.error !== undefined) {
        emit({ ...base, hook_event_name: 'PostToolUseFailure', tool_name: c.tool, tool_input: c.input, tool_use_id: ids[i], error: c.error, is_interrupt: false, duration_ms: c.durationMs }, at - now);
      } else {
        emit({ ...base, hook_event_name: 'PostToolUse', tool_name: c.tool, tool_input: c.input, tool_response: c.response, tool_use_id: ids[i], duration_ms: c.durationMs }, at - now);
      }
    }
    const toolCalls = calls.map((c, i) => ({ tool_name: c.tool, tool_input: c.input, tool_use_id: ids[i], tool_response: c.batch }));
    emit({ ...base, hook_event_name: 'PostToolBatch', tool_calls: toolCalls }, rng.int(2, 12));
  };

  const steps = (list: readonly Step[], agent: { id: string; type: string } | undefined): void => {
    for (const step of list) {
      if (step.kind === 'calls') {
        const was = attack;
        if (step.attack) attack = true;
        if (step.say && !agent) message(step.say);
        batch(step.calls, agent, step.say && !agent ? rng.int(300, 1500) : step.gapMs);
        attack = was;
        continue;
      }
      // An async subagent (fixture failures-and-subagent): Pre Agent, SubagentStart, Post Agent (async_launched), batch, its events, SubagentStop, notification.
      if (step.say) message(step.say);
      const agentId = `a${rng.hex(16)}`;
      const id = toolUseId();
      const input = { description: step.description, prompt: step.prompt, subagent_type: step.agentType };
      const base = { ...common, prompt_id: promptId, permission_mode: ctx.permissionMode, effort };
      emit({ ...base, hook_event_name: 'PreToolUse', tool_name: 'Agent', tool_input: input, tool_use_id: id }, think());
      emit({ ...common, prompt_id: promptId, agent_id: agentId, agent_type: step.agentType, hook_event_name: 'SubagentStart' }, rng.int(5, 30));
      const outputFile = `/tmp/claude-1000/${transcriptDir(ctx.projectDir)}/${ctx.sessionId}/tasks/${agentId}.output`;
      const response = {
        isAsync: true, status: 'async_launched', agentId, description: step.description, resolvedModel: 'claude-opus-5-5', prompt: step.prompt,
        outputFile, canReadOutputFile: true, canContinueAgent: true,
      };
      emit({ ...base, hook_event_name: 'PostToolUse', tool_name: 'Agent', tool_input: input, tool_response: response, tool_use_id: id, duration_ms: rng.int(12, 40) }, rng.int(5, 30));
      const launched = [
        'Async agent launched successfully. (This tool result is internal metadata — never quote or paste any part of it, including the agentId below, into a user-facing reply.)',
        `agentId: ${agentId} (internal ID - do not mention to user. Use SendMessage with to: '${agentId}', summary: '<5-10 word recap>' to continue this agent.)`,
        'The agent is working in the background. You will be notified automatically when it completes.',
        `output_file: ${outputFile}`,
      ].join('\n');
      emit({ ...base, hook_event_name: 'PostToolBatch', tool_calls: [{ tool_name: 'Agent', tool_input: input, tool_use_id: id, tool_response: [{ type: 'text', text: launched }] }] }, rng.int(2, 12));
      const before = now;
      steps(step.steps, { id: agentId, type: step.agentType });
      emit({
        ...common, prompt_id: promptId, permission_mode: ctx.permissionMode, agent_id: agentId, agent_type: step.agentType, effort,
        hook_event_name: 'SubagentStop', stop_hook_active: false,
        agent_transcript_path: `${ctx.home}/.claude/projects/${transcriptDir(ctx.projectDir)}/${ctx.sessionId}/subagents/agent-${agentId}.jsonl`,
        last_assistant_message: step.result,
        background_tasks: [{ id: agentId, type: 'subagent', status: 'running', description: step.description, agent_type: step.agentType }],
        session_crons: [],
      }, think());
      const notification = [
        '<task-notification>', `<task-id>${agentId}</task-id>`, `<tool-use-id>${id}</tool-use-id>`, `<output-file>${outputFile}</output-file>`,
        '<status>completed</status>', `<summary>Agent "${step.description}" finished</summary>`, `<result>${step.result}</result>`,
        `<usage><subagent_tokens>${rng.int(2000, 90000)}</subagent_tokens><tool_uses>${countCalls(step.steps)}</tool_uses><duration_ms>${now - before}</duration_ms></usage>`,
        '</task-notification>',
      ].join('\n');
      emit({ ...common, prompt_id: promptId, permission_mode: ctx.permissionMode, hook_event_name: 'UserPromptSubmit', prompt: notification }, rng.int(50, 400));
    }
  };

  emit({ ...common, hook_event_name: 'SessionStart', source: 'startup' }, 0);
  for (const [t, turn] of turns.entries()) {
    promptId = rng.uuid();
    turnId = rng.uuid();
    emit({ ...common, prompt_id: promptId, permission_mode: ctx.permissionMode, hook_event_name: 'UserPromptSubmit', prompt: turn.prompt }, t === 0 ? rng.int(3000, 40_000) : rng.logNormal(90_000, 1, 5000, 1_800_000));
    steps(turn.steps, undefined);
    message(turn.final);
    emit({ ...common, prompt_id: promptId, permission_mode: ctx.permissionMode, effort, hook_event_name: 'Stop', stop_hook_active: false, last_assistant_message: turn.final, background_tasks: [], session_crons: [] }, rng.int(20, 200));
  }
  emit({ ...common, prompt_id: promptId, hook_event_name: 'SessionEnd', reason: rng.pick(['other', 'other', 'prompt_input_exit', 'clear', 'logout']) }, rng.logNormal(60_000, 1, 1000, 3_600_000));
  return { payloads, attackEvents };
}

/** Tool calls in a list of steps, subagents' included (each subagent counts its Agent call). */
export function countCalls(list: readonly Step[]): number {
  let n = 0;
  for (const s of list) n += s.kind === 'calls' ? s.calls.length : 1 + countCalls(s.steps);
  return n;
}
