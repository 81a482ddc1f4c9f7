import type { EventType, Level } from './schema.js';

/** Maps a tool name to the event type of its Pre/Post events. */
export function toolEventType(toolName: string): EventType {
  if (toolName.startsWith('mcp__')) return 'mcp_call';
  switch (toolName) {
    case 'Read':
    case 'NotebookRead':
      return 'file_read';
    case 'Write':
      return 'file_write';
    case 'Edit':
    case 'MultiEdit':
    case 'NotebookEdit':
      return 'file_edit';
    case 'Bash':
    case 'BashOutput':
    case 'KillShell':
    case 'PowerShell':
      return 'command_exec';
    case 'WebFetch':
      return 'web_fetch';
    case 'WebSearch':
      return 'web_search';
    case 'Grep':
    case 'Glob':
    case 'LS':
      return 'search';
    case 'Agent':
    case 'Task':
      return 'subagent';
    default:
      return 'tool_use';
  }
}

const HOOK_EVENT_TYPES: Readonly<Record<string, EventType>> = {
  PostToolUseFailure: 'tool_failure',
  PostToolBatch: 'tool_batch',
  UserPromptSubmit: 'prompt',
  UserPromptExpansion: 'prompt_expansion',
  SessionStart: 'session_start',
  SessionEnd: 'session_end',
  Stop: 'agent_stop',
  StopFailure: 'agent_stop_failure',
  SubagentStart: 'subagent_start',
  SubagentStop: 'subagent_stop',
  Notification: 'notification',
  PermissionRequest: 'permission_request',
  PermissionDenied: 'permission_denied',
  PreCompact: 'compact',
  PostCompact: 'compact',
  PreModelSwitch: 'model_switch',
  PostModelSwitch: 'model_switch',
  ConfigChange: 'config_change',
  FileChanged: 'file_changed',
  CwdChanged: 'cwd_changed',
  DirectoryAdded: 'directory_added',
  InstructionsLoaded: 'instructions_loaded',
  WorktreeCreate: 'worktree',
  WorktreeRemove: 'worktree',
  TaskCreated: 'task',
  TaskCompleted: 'task',
  Elicitation: 'elicitation',
  ElicitationResult: 'elicitation',
  MessageDisplay: 'message',
  Setup: 'setup',
  TeammateIdle: 'teammate_idle',
  // Not a Claude Code event: the daemon's own watch on Claude settings files (daemon/settings-watch.ts).
  AgentTrailSettingsChanged: 'settings_change',
};

/** Hook events whose payload describes one tool call. */
export const TOOL_HOOK_EVENTS: ReadonlySet<string> = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'PermissionRequest', 'PermissionDenied']);

/** Maps a hook event (and its tool, if any) to an event type; unknown events get a generic type. */
export function classifyEvent(hookEvent: string, toolName: string | null): EventType {
  if ((hookEvent === 'PreToolUse' || hookEvent === 'PostToolUse') && toolName) return toolEventType(toolName);
  const known = HOOK_EVENT_TYPES[hookEvent];
  if (known) return known;
  return `hook_${hookEvent.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}`;
}

/** The severity level of an event of this type. */
export function levelOf(eventType: EventType, hookEvent: string): Level {
  if (eventType === 'ingest_error') return 'ERROR';
  if (eventType === 'tool_failure' || eventType === 'agent_stop_failure' || eventType === 'permission_denied') return 'WARN';
  if (hookEvent === 'MessageDisplay') return 'DEBUG';
  if (eventType === 'settings_change') return 'WARN';
  return 'INFO';
}
