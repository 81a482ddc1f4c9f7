import { clip } from './bound.js';
import { scopeOf, type PathScope } from './scope.js';
import type { ActionDetails } from './schema.js';

type Obj = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const byteLength = (v: unknown): number | undefined => (typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : undefined);

/** Removes keys whose value is undefined so the journal holds only what is known. */
export function compact<T extends Obj>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function fileTarget(path: string | undefined, scope: PathScope): ActionDetails {
  if (!path) return {};
  return { file_path: path, ...scopeOf(path, scope) };
}

/** Extracts what a tool call did from its input (and response, on Post events). */
export function toolDetails(toolName: string, input: Obj, response: unknown, scope: PathScope): ActionDetails {
  const res = obj(response);
  if (toolName.startsWith('mcp__')) {
    const [, server = '', tool = ''] = toolName.split('__');
    return { operation: 'mcp_call', mcp_server: server, mcp_tool: tool, argument_keys: Object.keys(input) };
  }
  switch (toolName) {
    case 'Read':
    case 'NotebookRead': {
      const file = obj(res.file);
      return compact({
        ...fileTarget(str(input.file_path) ?? str(input.notebook_path), scope),
        operation: 'read',
        offset: num(input.offset),
        limit: num(input.limit),
        size_bytes: byteLength(file.content),
        lines: num(file.numLines),
        total_lines: num(file.totalLines),
      });
    }
    case 'Write':
      return compact({
        ...fileTarget(str(input.file_path), scope),
        operation: str(res.type) ?? 'write',
        size_bytes: byteLength(input.content),
      });
    case 'Edit':
    case 'MultiEdit':
    case 'NotebookEdit':
      return compact({
        ...fileTarget(str(input.file_path) ?? str(input.notebook_path), scope),
        operation: 'edit',
        replace_all: typeof input.replace_all === 'boolean' ? input.replace_all : undefined,
        edits: Array.isArray(input.edits) ? input.edits.length : undefined,
        ...patchStats(res.structuredPatch),
      });
    case 'Bash':
    case 'PowerShell':
      return compact({
        operation: 'exec',
        command: str(input.command),
        description: str(input.description),
        run_in_background: typeof input.run_in_background === 'boolean' ? input.run_in_background : undefined,
        timeout_ms: num(input.timeout),
        stdout_bytes: byteLength(res.stdout),
        stderr_bytes: byteLength(res.stderr),
        interrupted: typeof res.interrupted === 'boolean' ? res.interrupted : undefined,
      });
    case 'WebFetch':
      return compact({ operation: 'fetch', url: str(input.url), domain: domainOf(str(input.url)), status_code: num(res.code) });
    case 'WebSearch':
      return compact({ operation: 'web_search', query: str(input.query) });
    case 'Grep':
    case 'Glob':
    case 'LS': {
      const path = str(input.path);
      return compact({
        operation: toolName.toLowerCase(),
        pattern: str(input.pattern),
        glob: str(input.glob),
        ...(path ? { search_path: path, ...scopeOf(path, scope) } : {}),
      });
    }
    case 'Agent':
    case 'Task':
      return compact({
        operation: 'spawn',
        subagent_type: str(input.subagent_type),
        description: str(input.description),
        prompt_bytes: byteLength(input.prompt),
        launched_agent_id: str(res.agentId),
        status: str(res.status),
      });
    default:
      return { operation: toolName ? toolName.toLowerCase() : 'unknown' };
  }
}

function patchStats(patch: unknown): ActionDetails {
  if (!Array.isArray(patch)) return {};
  let added = 0;
  let removed = 0;
  for (const hunk of patch) {
    for (const line of Array.isArray(obj(hunk).lines) ? (obj(hunk).lines as unknown[]) : []) {
      if (typeof line !== 'string') continue;
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
    }
  }
  return { lines_added: added, lines_removed: removed };
}

/** Returns the host name of a URL, or undefined when it does not parse. */
export function domainOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** Parses the slash command and persona out of a prompt (SuperClaude style `/sc:x … --persona-y`). */
export function promptContext(prompt: string): { command: string; persona: string } {
  const trimmed = prompt.trimStart();
  const command = trimmed.startsWith('/') ? clip(trimmed.split('\n', 1)[0] ?? '', 200) : '';
  const persona = /--persona[-=]([A-Za-z0-9_-]+)/.exec(prompt)?.[1] ?? '';
  return { command, persona };
}
