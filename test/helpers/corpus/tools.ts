/**
 * Tool calls with the tool_input and tool_response shapes of Claude Code 2.1.328 (the fixtures and
 * node_modules/@anthropic-ai/claude-code/sdk-tools.d.ts), plus the text PostToolBatch shows.
 */
import type { Rng } from './rng.js';
import type { Call, Json } from './session.js';

const CURRENT = '(file state is current in your context — no need to Read it back)';

/** `cat -n` rendering Claude Code gives the model (and PostToolBatch) for a Read. */
function numbered(content: string): string {
  return content.split('\n').map((l, i) => `${i + 1}\t${l}`).join('\n');
}

export function read(rng: Rng, filePath: string, content: string, opts: { offset?: number; limit?: number } = {}): Call {
  const all = content.split('\n');
  const start = opts.offset ?? 1;
  const shown = opts.limit ? all.slice(start - 1, start - 1 + opts.limit) : all;
  const text = shown.join('\n');
  const input: Json = { file_path: filePath, ...(opts.offset ? { offset: opts.offset } : {}), ...(opts.limit ? { limit: opts.limit } : {}) };
  return {
    tool: 'Read',
    input,
    response: { type: 'text', file: { filePath, content: text, numLines: shown.length, startLine: start, totalLines: all.length } },
    batch: numbered(text),
    durationMs: rng.int(3, 60),
  };
}

export function readMissing(rng: Rng, filePath: string): Call {
  return { tool: 'Read', input: { file_path: filePath }, error: `File does not exist. Note: your current working directory is ${filePath.split('/').slice(0, -1).join('/')}.`, batch: 'File does not exist.', durationMs: rng.int(2, 10) };
}

/** Replaces `oldString` by `newString` in `original` (the first occurrence). */
export function edit(rng: Rng, filePath: string, original: string, oldString: string, newString: string): { call: Call; updated: string } {
  const at = Math.max(0, original.indexOf(oldString));
  const updated = original.slice(0, at) + newString + original.slice(at + oldString.length);
  const line = original.slice(0, at).split('\n').length;
  const oldLines = oldString.split('\n');
  const newLines = newString.split('\n');
  const patch = [{ oldStart: line, oldLines: oldLines.length, newStart: line, newLines: newLines.length, lines: [...oldLines.map((l) => `-${l}`), ...newLines.map((l) => `+${l}`)] }];
  return {
    call: {
      tool: 'Edit',
      input: { file_path: filePath, old_string: oldString, new_string: newString, replace_all: false },
      response: { filePath, oldString, newString, originalFile: original, structuredPatch: patch, userModified: false, replaceAll: false },
      batch: `The file ${filePath} has been updated successfully. ${CURRENT}`,
      durationMs: rng.int(3, 30),
    },
    updated,
  };
}

export function write(rng: Rng, filePath: string, content: string, original: string | null = null): Call {
  const patch = original === null ? [] : [{ oldStart: 1, oldLines: original.split('\n').length, newStart: 1, newLines: content.split('\n').length, lines: content.split('\n').map((l) => `+${l}`) }];
  return {
    tool: 'Write',
    input: { file_path: filePath, content },
    response: { type: original === null ? 'create' : 'update', filePath, content, structuredPatch: patch, originalFile: original, userModified: false },
    batch: original === null ? `File created successfully at: ${filePath} ${CURRENT}` : `The file ${filePath} has been updated successfully. ${CURRENT}`,
    durationMs: rng.int(3, 25),
  };
}

export interface BashResult {
  readonly stdout?: string;
  readonly stderr?: string;
  /** Non-zero: the call fails (PostToolUseFailure). */
  readonly exit?: number;
  readonly ms?: number;
  readonly background?: boolean;
}

export function bash(rng: Rng, command: string, description: string, r: BashResult = {}): Call {
  const stdout = r.stdout ?? '';
  const stderr = r.stderr ?? '';
  const ms = r.ms ?? rng.logNormal(350, 1, 15, 600_000);
  const input: Json = { command, description, ...(r.background ? { run_in_background: true } : {}) };
  if (r.exit) {
    const out = [stdout, stderr].filter(Boolean).join('\n');
    return { tool: 'Bash', input, error: `Exit code ${r.exit}${out ? `\n${out}` : ''}`, batch: `Exit code ${r.exit}${out ? `\n${out}` : ''}`, durationMs: ms };
  }
  if (r.background) {
    const id = rng.alnum(9).toLowerCase();
    return {
      tool: 'Bash', input,
      response: { stdout: '', stderr: '', interrupted: false, isImage: false, backgroundTaskId: id, noOutputExpected: false },
      batch: `Command running in background with ID: ${id}. Output is being written to: /tmp/claude-1000/tasks/${id}.output`,
      durationMs: rng.int(20, 200),
    };
  }
  return {
    tool: 'Bash',
    input,
    response: { stdout, stderr, interrupted: false, isImage: false, noOutputExpected: stdout === '' && stderr === '' },
    batch: [stdout, stderr].filter(Boolean).join('\n') || '(Bash completed with no output)',
    durationMs: ms,
  };
}

export function grep(rng: Rng, pattern: string, opts: { path?: string; glob?: string; type?: string; mode?: 'content' | 'files_with_matches'; i?: boolean }, files: readonly string[], lines: readonly string[] = []): Call {
  const input: Json = { pattern, ...(opts.path ? { path: opts.path } : {}), ...(opts.glob ? { glob: opts.glob } : {}), ...(opts.type ? { type: opts.type } : {}), ...(opts.mode ? { output_mode: opts.mode } : {}), ...(opts.i ? { '-i': true } : {}) };
  if (opts.mode === 'content') {
    const content = lines.join('\n');
    return {
      tool: 'Grep', input,
      response: { mode: 'content', numFiles: 0, filenames: [], content, numLines: lines.length },
      batch: content || 'No matches found',
      durationMs: rng.int(20, 400),
    };
  }
  return {
    tool: 'Grep', input,
    response: { mode: 'files_with_matches', filenames: [...files], numFiles: files.length },
    batch: files.length ? `Found ${files.length} file${files.length === 1 ? '' : 's'}\n${files.join('\n')}` : 'No files found',
    durationMs: rng.int(20, 400),
  };
}

export function glob(rng: Rng, pattern: string, path: string | undefined, files: readonly string[]): Call {
  const ms = rng.int(5, 300);
  return {
    tool: 'Glob',
    input: { pattern, ...(path ? { path } : {}) },
    response: { filenames: [...files], durationMs: ms, numFiles: files.length, truncated: false },
    batch: files.length ? files.join('\n') : 'No files found',
    durationMs: ms + rng.int(1, 5),
  };
}

export function webFetch(rng: Rng, url: string, prompt: string, result: string): Call {
  const ms = rng.logNormal(2500, 0.6, 300, 60_000);
  return {
    tool: 'WebFetch',
    input: { url, prompt },
    response: { bytes: result.length * rng.int(8, 40), code: 200, codeText: 'OK', result, durationMs: ms, url },
    batch: result,
    durationMs: ms + rng.int(1, 20),
  };
}

export function webFetchFailure(rng: Rng, url: string, prompt: string): Call {
  const host = new URL(url).host;
  return { tool: 'WebFetch', input: { url, prompt }, error: `Request failed with status code 404 for ${host}`, batch: `Request failed with status code 404 for ${host}`, durationMs: rng.int(200, 2000) };
}

export function webSearch(rng: Rng, query: string, links: readonly { title: string; url: string }[], summary: string): Call {
  return {
    tool: 'WebSearch',
    input: { query },
    response: { query, results: [{ tool_use_id: `srvtoolu_01${rng.alnum(22)}`, content: links.map((l) => ({ ...l })) }, summary], durationSeconds: Math.round(rng.int(2000, 9000)) / 1000 },
    batch: `Web search results for query: "${query}"\n\nLinks: ${JSON.stringify(links)}\n\n${summary}`,
    durationMs: rng.int(2000, 9000),
  };
}

export interface Todo { readonly content: string; readonly status: 'pending' | 'in_progress' | 'completed'; readonly activeForm: string }

export function todoWrite(rng: Rng, oldTodos: readonly Todo[], newTodos: readonly Todo[]): Call {
  return {
    tool: 'TodoWrite',
    input: { todos: newTodos },
    response: { oldTodos, newTodos },
    batch: 'Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress. Please proceed with the current tasks if applicable',
    durationMs: rng.int(1, 6),
  };
}

export function mcp(rng: Rng, tool: string, input: Json, text: string): Call {
  const response = [{ type: 'text', text }];
  return { tool, input, response, batch: response, durationMs: rng.logNormal(600, 0.7, 50, 20_000) };
}
