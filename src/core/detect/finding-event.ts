import type { AgentEvent, Level } from '../event/schema.js';
import type { Finding, Severity } from './types.js';

/** The hook_event of findings: they come from AgentTrail, not from a Claude Code hook. */
export const FINDING_HOOK_EVENT = 'AgentTrailFinding';

const LEVEL_OF: Record<Severity, Level> = { info: 'INFO', low: 'INFO', medium: 'WARN', high: 'ERROR', critical: 'ERROR' };

/** Returns the log level a finding of `severity` is journaled at. */
export function levelOfSeverity(severity: Severity): Level {
  return LEVEL_OF[severity];
}

/**
 * Builds the `security_alert` event for a finding: it carries the triggering event's session,
 * agent, project and tool identity so every view can place it, and the finding as details.
 */
export function findingEvent(finding: Finding, trigger: AgentEvent): AgentEvent {
  return {
    timestamp: trigger.timestamp,
    level: finding.suppressed ? 'DEBUG' : levelOfSeverity(finding.severity),
    event_type: 'security_alert',
    hook_event: FINDING_HOOK_EVENT,
    session_id: trigger.session_id,
    prompt_id: trigger.prompt_id,
    agent_id: trigger.agent_id,
    agent_type: trigger.agent_type,
    project_path: trigger.project_path,
    project_name: trigger.project_name,
    cwd: trigger.cwd,
    tool_name: trigger.tool_name,
    tool_use_id: trigger.tool_use_id,
    action_details: { ...finding },
    context: trigger.context,
    metadata: trigger.metadata,
    raw: null,
  };
}
