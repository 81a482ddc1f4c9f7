/**
 * Coarse tokenisation of events for the anomaly detectors (security reference C.2): tool tokens
 * for the Markov chain, values for first-seen, and per-session feature increments for robust z.
 * Only PreToolUse events carry tokens; SessionStart carries its permission_mode; Stop/SessionEnd
 * mark evaluation points. Every other event yields null.
 */
import type { EventFacts, FileRef } from '../types.js';
import { isLocalHost } from '../lists.js';
import { clean } from './util.js';

export type ValueKind = 'bin' | 'domain' | 'dir' | 'mcp-server' | 'mcp-tool' | 'mode';

/** A value first-seen tracks; `detail` is the concrete instance shown as evidence (host, path). */
export interface FirstSeenValue {
  readonly kind: ValueKind;
  readonly value: string;
  readonly detail?: string;
}

/** What one tool call adds to its session's rate features. */
export interface FeatureDelta {
  readonly reads: number;
  readonly bytesWritten: number;
  readonly netTools: number;
  readonly subagents: number;
  /** Out-of-project paths (realpath) this call touched. */
  readonly outPaths: readonly string[];
}

export interface AnomalyInput {
  readonly kind: 'tool' | 'start' | 'stop' | 'end';
  readonly user: string;
  readonly project: string;
  readonly sessionId: string | null;
  /** Event time in ms since the epoch (NaN when the timestamp is unreadable). */
  readonly time: number;
  /** Markov alphabet tokens, in order (`Bash:<argv0>`, `Read:~/.ssh`, `WebFetch:<domain>`…). */
  readonly tokens: readonly string[];
  readonly values: readonly FirstSeenValue[];
  readonly delta: FeatureDelta;
}

export const NETWORK_TOOLS: ReadonlySet<string> = new Set(['curl', 'wget', 'nc', 'ncat', 'netcat', 'socat', 'ssh', 'scp', 'sftp', 'rsync', 'ftp', 'telnet']);
const FILE_TOOLS: Readonly<Record<string, string>> = { Read: 'Read', NotebookRead: 'Read', Write: 'Write', Edit: 'Edit', MultiEdit: 'Edit', NotebookEdit: 'Edit' };
const SUBAGENT_TOOLS: ReadonlySet<string> = new Set(['Task', 'Agent']);
const TEMP_ROOTS = ['/tmp', '/var/tmp', '/private/tmp', '/private/var/tmp', '/var/folders', '/private/var/folders'];
const DEVICES = /^\/dev\/(null|zero|u?random|tty|std(in|out|err)|fd\/\d+)$/;
/** Second-level labels that, under a two-letter TLD, form a public suffix (co.uk, com.au, ne.jp). */
const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'edu', 'ac', 'ne', 'or', 'go', 'gob', 'mil', 'ltd', 'plc', 'sch', 'nic']);
/** Shared-hosting suffixes where each subdomain belongs to someone else (PSL private section, abridged). */
const SHARED = new Set([
  'github.io', 'gitlab.io', 'ngrok.io', 'ngrok.app', 'ngrok-free.app', 'herokuapp.com', 'vercel.app', 'netlify.app',
  'pages.dev', 'workers.dev', 'trycloudflare.com', 'appspot.com', 'web.app', 'firebaseapp.com', 'azurewebsites.net',
  'glitch.me', 'repl.co', 'onrender.com', 'fly.dev', 'deno.dev', 'blogspot.com',
]);
const MAX_TOKENS_PER_EVENT = 16;

/** Approximate registrable domain: the last two labels, three under co.uk-style or shared-hosting suffixes. */
export function registrableDomain(host: string): string {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (h.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(h)) return h;
  const labels = h.split('.').filter(Boolean);
  if (labels.length <= 2) return labels.join('.');
  const last2 = labels.slice(-2).join('.');
  const tld = labels[labels.length - 1]!;
  const sld = labels[labels.length - 2]!;
  const three = SHARED.has(last2) || (tld.length === 2 && SECOND_LEVEL.has(sld));
  return labels.slice(three ? -3 : -2).join('.');
}

const under = (p: string, dir: string): boolean => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
const homeOf = (home: string): string => (home.length > 1 ? home.replace(/\/+$/, '') : '');
const pathOf = (f: FileRef): string => f.real || f.abs || f.raw;

/** Coarse class of a file for Read/Write/Edit tokens: in, ~/.ssh, ~/.aws, ~/.config, ~, /etc, /tmp, out. */
export function fileClass(f: FileRef, home: string): string {
  if (f.inProject) return 'in';
  const p = pathOf(f);
  const h = homeOf(home);
  if (h) {
    for (const d of ['.ssh', '.aws', '.config']) if (under(p, `${h}/${d}`)) return `~/${d}`;
    if (under(p, h)) return '~';
  }
  if (under(p, '/etc') || under(p, '/private/etc')) return '/etc';
  if (TEMP_ROOTS.some((t) => under(p, t))) return '/tmp';
  return 'out';
}

/** Parent-directory class of an out-of-project path: its parent, `~`-relative, at most two levels deep. */
export function dirClass(path: string, home: string): string {
  const temp = TEMP_ROOTS.find((t) => under(path, t));
  if (temp) return temp;
  const parent = path.slice(0, Math.max(0, path.lastIndexOf('/')));
  const h = homeOf(home);
  const inHome = h !== '' && under(parent, h);
  const parts = (inHome ? parent.slice(h.length) : parent).split('/').filter(Boolean).slice(0, 2);
  return `${inHome ? '~' : ''}/${parts.join('/')}`.replace(/^~\/$/, '~');
}

function mcpParts(tool: string): [string, string] {
  const rest = tool.slice('mcp__'.length);
  const i = rest.indexOf('__');
  return i < 0 ? [rest, ''] : [rest.slice(0, i), rest.slice(i + 2)];
}

/** Tokens, first-seen values and feature increments of one event; null when the event feeds no detector. */
export function anomalyInputOf(facts: EventFacts): AnomalyInput | null {
  const kinds: Record<string, AnomalyInput['kind']> = { PreToolUse: 'tool', SessionStart: 'start', Stop: 'stop', StopFailure: 'stop', SessionEnd: 'end' };
  const kind = kinds[facts.hookEvent];
  if (!kind) return null;
  const event = facts.event;
  const base = {
    kind,
    user: clean(event?.metadata?.user_id || '?', 200),
    project: clean(event?.project_path || facts.projectRoot || '?', 500),
    sessionId: event?.session_id ?? null,
    time: Date.parse(event?.timestamp ?? ''),
  };
  const mode = facts.permissionMode || event?.metadata?.permission_mode || '';
  const modeValue: FirstSeenValue[] = mode ? [{ kind: 'mode', value: clean(mode) }] : [];
  const none: FeatureDelta = { reads: 0, bytesWritten: 0, netTools: 0, subagents: 0, outPaths: [] };
  if (kind !== 'tool') return { ...base, tokens: [], values: kind === 'start' ? modeValue : [], delta: none };

  const tool = facts.tool || event?.tool_name || '';
  const files = facts.files ?? [];
  const urls = facts.urls ?? [];
  const commands = facts.shell?.commands ?? [];
  const tokens: string[] = [];
  const values: FirstSeenValue[] = [...modeValue];
  const fileTool = FILE_TOOLS[tool];
  if (tool === 'Bash') {
    for (const c of commands) tokens.push(c.dynamicName || !c.name ? 'Bash:$dynamic' : `Bash:${clean(c.name, 64)}`);
    if (tokens.length === 0) tokens.push('Bash');
  } else if (fileTool) {
    const f = files.find((x) => x.via === tool) ?? files[0];
    tokens.push(f ? `${fileTool}:${fileClass(f, facts.home)}` : fileTool);
  } else if (tool === 'WebFetch') {
    const host = (urls.find((u) => u.via === tool) ?? urls[0])?.host ?? '';
    tokens.push(`WebFetch:${host ? clean(registrableDomain(host), 100) : '?'}`);
  } else if (tool.startsWith('mcp__')) {
    const [server, name] = mcpParts(tool).map((s) => clean(s, 64)) as [string, string];
    tokens.push(`mcp:${server}:${name}`);
    values.push({ kind: 'mcp-server', value: server }, { kind: 'mcp-tool', value: `${server}:${name}` });
  } else {
    tokens.push(clean(tool || '?', 64));
  }

  for (const c of commands) {
    for (const w of c.wrappers ?? []) values.push({ kind: 'bin', value: clean(w, 64) });
    if (c.name && !c.dynamicName) values.push({ kind: 'bin', value: clean(c.name, 64) });
  }
  for (const u of urls) {
    if (u.host && !isLocalHost(u.host)) values.push({ kind: 'domain', value: clean(registrableDomain(u.host), 100), detail: clean(u.host, 200) });
  }
  const outPaths = [...new Set(files.filter((f) => !f.inProject && !DEVICES.test(pathOf(f))).map(pathOf))];
  for (const p of outPaths) values.push({ kind: 'dir', value: clean(dirClass(p, facts.home), 200), detail: clean(p, 300) });

  const seen = new Set<string>();
  const input = facts.input ?? {};
  return {
    ...base,
    tokens: tokens.slice(0, MAX_TOKENS_PER_EVENT),
    values: values.filter((v) => !seen.has(`${v.kind}:${v.value}`) && seen.add(`${v.kind}:${v.value}`)),
    delta: {
      reads: (fileTool === 'Read' ? 1 : 0) + files.filter((f) => f.command !== undefined && f.access === 'read').length,
      bytesWritten: tool === 'Write' && typeof input.content === 'string' ? input.content.length : 0,
      netTools: commands.filter((c) => NETWORK_TOOLS.has(c.name)).length,
      subagents: SUBAGENT_TOOLS.has(tool) ? 1 : 0,
      outPaths: outPaths.slice(0, 64),
    },
  };
}
