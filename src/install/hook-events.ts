/** Hook events of Claude Code 2.1.328 (the Agent SDK's HOOK_EVENTS). */
export const HOOK_EVENTS = [
  'PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'PostToolBatch', 'Notification', 'UserPromptSubmit',
  'UserPromptExpansion', 'SessionStart', 'SessionEnd', 'Stop', 'StopFailure', 'SubagentStart', 'SubagentStop',
  'PreCompact', 'PostCompact', 'PreModelSwitch', 'PostModelSwitch', 'PermissionRequest', 'PermissionDenied',
  'Setup', 'TeammateIdle', 'TaskCreated', 'TaskCompleted', 'Elicitation', 'ElicitationResult', 'ConfigChange',
  'WorktreeCreate', 'WorktreeRemove', 'InstructionsLoaded', 'CwdChanged', 'FileChanged', 'DirectoryAdded',
  'MessageDisplay',
] as const;

/**
 * Events an observer must not register for: a WorktreeCreate hook *replaces* git worktree
 * creation (it must print the new path), so a pure observer would break `claude --worktree`.
 */
export const UNSAFE_TO_OBSERVE: ReadonlySet<string> = new Set(['WorktreeCreate']);

/** FileChanged takes literal file names; these are the ones whose edits are audit-relevant. */
export const WATCHED_FILES = ['settings.json', 'settings.local.json', '.mcp.json', 'CLAUDE.md', '.env'];

/** Events AgentTrail registers for. */
export function observedEvents(): string[] {
  return HOOK_EVENTS.filter((e) => !UNSAFE_TO_OBSERVE.has(e));
}
