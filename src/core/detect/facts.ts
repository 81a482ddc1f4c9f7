import { posix } from 'node:path';
import type { AgentEvent } from '../event/schema.js';
import { isInside } from '../event/scope.js';
import { expandHome } from './path-globs.js';
import { analyzeShell } from './shell/analyze.js';
import { shellFiles, shellUrls } from './shell-refs.js';
import { parseUrlRef } from './url-ref.js';
import type { EventFacts, FileAccess, FileRef, ShellAnalysis, TextRef, UrlRef } from './types.js';

type Obj = Record<string, unknown>;

/** Machine facts deriveFacts needs; injected so it stays pure. */
export interface FactsSettings {
  readonly home: string;
  /** Follows symlinks of the deepest existing ancestor; identity in tests. */
  readonly realpath: (path: string) => string;
}

/** Largest tool output (characters) the scanners read. */
export const MAX_OUTPUT_CHARS = 1024 * 1024;

const FILE_TOOLS: Record<string, { keys: string[]; access: FileAccess }> = {
  Read: { keys: ['file_path'], access: 'read' },
  NotebookRead: { keys: ['notebook_path'], access: 'read' },
  Write: { keys: ['file_path'], access: 'write' },
  Edit: { keys: ['file_path'], access: 'write' },
  MultiEdit: { keys: ['file_path'], access: 'write' },
  NotebookEdit: { keys: ['notebook_path'], access: 'write' },
  Grep: { keys: ['path'], access: 'search' },
  Glob: { keys: ['path'], access: 'search' },
  LS: { keys: ['path'], access: 'read' },
};

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** Derives what rules see from one normalised event and the payload it came from (reference B.1). */
export function deriveFacts(event: AgentEvent, payload: Obj, settings: FactsSettings): EventFacts {
  const tool = event.tool_name ?? '';
  const input = obj(payload.tool_input);
  const cwd = event.cwd || event.project_path || '/';
  const root = settings.realpath(posix.normalize(event.project_path || cwd));
  const resolve = (raw: string, at?: string) => {
    const expanded = expandHome(raw, settings.home);
    // posix.normalize keeps a trailing slash (`/etc/`), posix.resolve drops it: drop it for both.
    const abs = expanded.startsWith('/') ? posix.normalize(expanded).replace(/(?<=.)\/+$/, '') : posix.resolve(at || cwd, expanded);
    const real = settings.realpath(abs);
    return { abs, real, inProject: isInside(real, root) };
  };
  const ref = (raw: string, access: FileAccess, via: string, at?: string, command?: number): FileRef => ({
    raw, ...resolve(raw, at), access, via, ...(command === undefined ? {} : { command }),
  });

  const isPre = event.hook_event === 'PreToolUse';
  const shell = tool === 'Bash' && str(input.command) ? analyzeShell(str(input.command), cwd, settings.home) : null;
  const files = toolFiles(tool, input, cwd, ref);
  const urls: UrlRef[] = [];
  if (shell) {
    for (const f of shellFiles(shell, settings.home)) files.push(ref(f.raw, f.access, f.via, f.cwd, f.command));
    urls.push(...shellUrls(shell));
  }
  if (tool === 'WebFetch') pushUrl(urls, str(input.url), 'WebFetch');
  if (tool.startsWith('mcp__')) collectMcp(input, tool, files, urls, ref);
  return {
    event,
    hookEvent: event.hook_event,
    phase: phaseOf(event),
    tool,
    input,
    output: isPre ? '' : outputText(payload.tool_response),
    prompt: event.hook_event === 'UserPromptSubmit' ? str(payload.prompt) : '',
    cwd,
    projectRoot: root,
    home: settings.home,
    permissionMode: event.metadata.permission_mode,
    files,
    shell,
    urls,
    texts: textsOf(event, tool, input, payload, isPre),
    resolve,
  };
}

function phaseOf(event: AgentEvent): EventFacts['phase'] {
  const phase = event.action_details.phase;
  return phase === 'pre' || phase === 'post' || phase === 'failure' ? phase : 'other';
}

type MakeRef = (raw: string, access: FileAccess, via: string, at?: string, command?: number) => FileRef;

function toolFiles(tool: string, input: Obj, cwd: string, ref: MakeRef): FileRef[] {
  const spec = FILE_TOOLS[tool];
  if (!spec) return [];
  const out: FileRef[] = [];
  for (const key of spec.keys) if (str(input[key])) out.push(ref(str(input[key]), spec.access, tool));
  if (tool === 'Grep' || tool === 'Glob') {
    if (!str(input.path)) out.push(ref(cwd, 'search', tool));
    // A Glob pattern can itself be an absolute or home path (`~/.ssh/*`): its fixed prefix is a place searched.
    const pattern = str(input.pattern);
    if (tool === 'Glob' && /^(~|\/|\.\.\/)/.test(pattern)) out.push(ref(globBase(pattern), 'search', tool));
  }
  return out;
}

/** The directory part of a glob before its first wildcard. */
export function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const fixed: string[] = [];
  for (const part of parts) {
    if (/[*?[{]/.test(part)) break;
    fixed.push(part);
  }
  return fixed.join('/') || '/';
}

function collectMcp(value: unknown, tool: string, files: FileRef[], urls: UrlRef[], ref: MakeRef, depth = 0): void {
  if (depth > 8) return;
  if (typeof value === 'string') {
    if (/^(~\/|\/|\.\.?\/)[^\s]*$/.test(value) && value.length < 4096) files.push(ref(value, 'arg', tool));
    for (const m of value.matchAll(/\bhttps?:\/\/[^\s"'<>]+/gi)) pushUrl(urls, m[0], tool);
    return;
  }
  if (Array.isArray(value)) for (const v of value.slice(0, 200)) collectMcp(v, tool, files, urls, ref, depth + 1);
  else if (value && typeof value === 'object') for (const v of Object.values(value).slice(0, 200)) collectMcp(v, tool, files, urls, ref, depth + 1);
}

function pushUrl(urls: UrlRef[], raw: string, via: string): void {
  if (raw) urls.push(parseUrlRef(raw, via));
}

function textsOf(event: AgentEvent, tool: string, input: Obj, payload: Obj, isPre: boolean): TextRef[] {
  const texts: TextRef[] = [];
  const add = (source: TextRef['source'], text: string) => text && texts.push({ source, text });
  if (event.hook_event === 'UserPromptSubmit') add('prompt', str(payload.prompt));
  if (isPre) {
    if (tool === 'Bash') add('command', str(input.command));
    if (tool === 'Write') add('content', str(input.content));
    if (tool === 'Edit') add('new_string', str(input.new_string));
    if (tool === 'MultiEdit' && Array.isArray(input.edits)) for (const e of input.edits) add('new_string', str(obj(e).new_string));
    if (tool === 'NotebookEdit') add('new_string', str(input.new_source));
    if (tool === 'WebSearch') add('query', str(input.query));
    if (tool === 'WebFetch') add('url', str(input.url));
    if (tool.startsWith('mcp__')) add('mcp_input', JSON.stringify(input));
  } else if (payload.tool_response !== undefined) {
    add('output', outputText(payload.tool_response));
  }
  return texts;
}

/** Flattens a tool response to text (string leaves joined by newlines), bounded to 1 MiB. */
export function outputText(response: unknown): string {
  const parts: string[] = [];
  let size = 0;
  const walk = (v: unknown, depth: number): void => {
    if (size >= MAX_OUTPUT_CHARS || depth > 8) return;
    if (typeof v === 'string') {
      parts.push(v);
      size += v.length + 1;
    } else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(response, 0);
  const text = parts.join('\n');
  return text.length > MAX_OUTPUT_CHARS ? text.slice(0, MAX_OUTPUT_CHARS) : text;
}

export type { ShellAnalysis };
