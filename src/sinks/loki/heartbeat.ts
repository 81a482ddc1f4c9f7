/**
 * Heartbeats: every `intervalMs` each Loki endpoint gets one `event_type="heartbeat"` line for this
 * host, so the ruler can tell a quiet host from one that stopped reporting (AgentTrailHostSilent,
 * src/grafana/rules.ts). They go straight to Loki, not through the journal: they are liveness, not
 * audit events. A failed heartbeat is counted and forgotten (the next one is due soon).
 */
import type { JournalEntry } from '../../core/chain/entry.js';
import type { AgentEvent } from '../../core/event/schema.js';
import { AGENTTRAIL_VERSION } from '../../version.js';
import type { Pusher } from './send.js';
import { buildPush, type PushSettings } from './streams.js';

export interface HeartbeatSettings {
  readonly host: string;
  readonly user: string;
  readonly intervalMs: number;
  /** The newest journal seq, reported in each heartbeat (lets dashboards show lag). */
  readonly headSeq: () => number;
  readonly now: () => number;
}

/** Builds the heartbeat event for `nowMs`. */
export function heartbeatEvent(s: Pick<HeartbeatSettings, 'host' | 'user'>, nowMs: number, headSeq: number): AgentEvent {
  return {
    timestamp: new Date(nowMs).toISOString(),
    level: 'INFO',
    event_type: 'heartbeat',
    hook_event: 'AgentTrailHeartbeat',
    session_id: null,
    prompt_id: null,
    agent_id: null,
    agent_type: null,
    project_path: '',
    project_name: '',
    cwd: '',
    tool_name: null,
    tool_use_id: null,
    action_details: { journal_head_seq: headSeq },
    context: { command: '', persona: '', reasoning: '' },
    metadata: { claude_version: '', user_id: s.user, host: s.host, agenttrail_version: AGENTTRAIL_VERSION, transport: 'heartbeat', permission_mode: '', claude_pid: null },
    raw: null,
  };
}

/** Starts sending heartbeats to every pusher; returns a function that stops them. */
export function startHeartbeats(pushers: readonly Pusher[], push: PushSettings, s: HeartbeatSettings, onError: (err: unknown) => void): () => void {
  const beat = () => {
    const nowMs = s.now();
    // seq 0 and no hash: a heartbeat is not a journal entry.
    const entry: JournalEntry = { v: 1, seq: 0, host: s.host, source_id: 'heartbeat', prev: '', hash: '', event: heartbeatEvent(s, nowMs, s.headSeq()) };
    const built = buildPush([entry], push, nowMs);
    if (built.entries === 0) return;
    for (const pusher of pushers) {
      void pusher.push(built.streams, AbortSignal.timeout(Math.min(s.intervalMs, 30_000))).catch(onError);
    }
  };
  beat();
  const timer = setInterval(beat, s.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
