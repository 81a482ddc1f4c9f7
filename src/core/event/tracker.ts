import type { AgentEvent } from './schema.js';
import { clip } from './bound.js';
import { promptContext } from './details.js';

/** A bounded map that forgets its oldest keys first. */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly capacity: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (this.has(key)) this.delete(key);
    super.set(key, value);
    if (this.size > this.capacity) this.delete(this.keys().next().value as K);
    return this;
  }
}

export interface PendingCall {
  readonly seq: number;
  readonly timeMs: number;
}

const REASONING_CHARS = 1000;

/**
 * What the collector remembers across events of a session: the prompt's command and persona, the
 * assistant's latest text, the project root, and Pre events waiting for their Post. It is fed only
 * journaled events, so replaying the journal's tail rebuilds it after a restart.
 */
export class SessionTracker {
  private readonly prompts = new BoundedMap<string, { command: string; persona: string }>(10_000);
  private readonly calls = new BoundedMap<string, PendingCall>(50_000);
  private readonly messages = new BoundedMap<string, string>(10_000);
  private readonly reasoning = new BoundedMap<string, string>(10_000);
  private readonly projects = new BoundedMap<string, string>(10_000);
  private readonly versions = new BoundedMap<string, string>(10_000);

  /** Records a journaled event. */
  observe(event: AgentEvent, seq: number): void {
    const raw = (event.raw ?? {}) as Record<string, unknown>;
    const session = event.session_id ?? '';
    if (event.project_path && !this.projects.has(session)) this.projects.set(session, event.project_path);
    if (event.metadata.claude_version) this.versions.set(session, event.metadata.claude_version);
    if (event.hook_event === 'UserPromptSubmit' && event.prompt_id && typeof raw.prompt === 'string') {
      this.prompts.set(event.prompt_id, promptContext(raw.prompt));
    }
    if (event.hook_event === 'PreToolUse' && event.tool_use_id) {
      this.calls.set(event.tool_use_id, { seq, timeMs: Date.parse(event.timestamp) });
    }
    if (event.hook_event === 'MessageDisplay' && typeof raw.delta === 'string') {
      const key = `${session}/${String(raw.message_id ?? '')}`;
      const text = clip((this.messages.get(key) ?? '') + raw.delta, REASONING_CHARS);
      this.messages.set(key, text);
      this.reasoning.set(`${session}/${event.agent_id ?? ''}`, text);
    }
  }

  /** The command and persona of a prompt, if its UserPromptSubmit was seen. */
  promptOf(promptId: string | null): { command: string; persona: string } {
    return (promptId && this.prompts.get(promptId)) || { command: '', persona: '' };
  }

  /** The assistant's latest text in this session (or subagent). */
  reasoningOf(sessionId: string | null, agentId: string | null): string {
    return this.reasoning.get(`${sessionId ?? ''}/${agentId ?? ''}`) ?? '';
  }

  /** The Pre event of a tool call, if it was seen. */
  callOf(toolUseId: string | null): PendingCall | undefined {
    return toolUseId ? this.calls.get(toolUseId) : undefined;
  }

  /** The project root first seen for a session. */
  projectOf(sessionId: string | null): string | undefined {
    return this.projects.get(sessionId ?? '');
  }

  /** Every project root seen recently. */
  knownProjects(): Set<string> {
    return new Set(this.projects.values());
  }

  /** The Claude Code version known for a session. */
  versionOf(sessionId: string | null): string | undefined {
    return this.versions.get(sessionId ?? '');
  }
}
