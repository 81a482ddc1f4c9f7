import { observedEvents, WATCHED_FILES } from './hook-events.js';

/** How hooks deliver events: a synchronous command, an async command, or an HTTP POST to the daemon. */
export type Transport = 'command' | 'async' | 'http';
export const TRANSPORTS: readonly Transport[] = ['command', 'async', 'http'];

type Json = Record<string, unknown>;
export type HookHandler = Json & { type: string };
interface MatcherGroup {
  matcher?: string;
  hooks: HookHandler[];
}

/** The marker every AgentTrail handler carries (script name or HTTP header), used to find our own entries. */
export const SCRIPT_NAME = 'agenttrail-capture.sh';
export const HTTP_MARKER_HEADER = 'X-AgentTrail-Hook';

/** The `sh -c` program of the exec-form handler: $0 is the script, $1 the event, $2 the transport. */
export const SOURCE_SCRIPT = '[ -r "$0" ] || exit 0; . "$0"';

export interface HandlerOptions {
  readonly transport: Transport;
  readonly scriptPath: string;
  readonly daemonUrl: string;
}

/** Quotes a string for POSIX sh. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The handler AgentTrail installs for one event. */
export function handlerFor(event: string, o: HandlerOptions): HookHandler {
  // SessionStart always goes through the script: it is what starts the daemon when it is down.
  if (o.transport === 'http' && event !== 'SessionStart') {
    return { type: 'http', url: `${o.daemonUrl}/api/v1/hook/${event}`, timeout: 10, headers: { [HTTP_MARKER_HEADER]: '1' } };
  }
  const transport = o.transport === 'async' ? 'async' : 'command';
  // Exec form: Claude Code spawns sh directly, which sources the script (no second process). A
  // missing script exits 0: plain `sh missing.sh` exits 2, and exit 2 blocks a PreToolUse call.
  const handler: HookHandler = {
    type: 'command',
    command: '/bin/sh',
    args: ['-c', SOURCE_SCRIPT, o.scriptPath, event, transport],
    timeout: 30,
  };
  if (o.transport === 'async') handler.async = true;
  return handler;
}

/** Returns whether a handler was installed by AgentTrail. */
export function isOurHandler(h: unknown): boolean {
  if (!h || typeof h !== 'object') return false;
  const handler = h as Json;
  if (typeof handler.command === 'string' && handler.command.includes(SCRIPT_NAME)) return true;
  if (Array.isArray(handler.args) && handler.args.some((a) => typeof a === 'string' && a.includes(SCRIPT_NAME))) return true;
  const headers = handler.headers;
  return handler.type === 'http' && !!headers && typeof headers === 'object' && HTTP_MARKER_HEADER in headers;
}

/** Removes AgentTrail's handlers from a settings object, keeping everything else. Returns a copy. */
export function removeOurHooks(settings: Json): Json {
  const out: Json = structuredClone(settings);
  const hooks = out.hooks;
  if (!hooks || typeof hooks !== 'object' || Array.isArray(hooks)) return out;
  const table = hooks as Record<string, unknown>;
  for (const [event, groups] of Object.entries(table)) {
    if (!Array.isArray(groups)) continue;
    const kept = groups
      .map((g) => {
        if (!g || typeof g !== 'object' || !Array.isArray((g as MatcherGroup).hooks)) return g;
        const group = g as MatcherGroup;
        return { ...group, hooks: group.hooks.filter((h) => !isOurHandler(h)) };
      })
      .filter((g) => !(g && typeof g === 'object' && Array.isArray((g as MatcherGroup).hooks) && (g as MatcherGroup).hooks.length === 0));
    if (kept.length === 0) delete table[event];
    else table[event] = kept;
  }
  if (Object.keys(table).length === 0) delete out.hooks;
  return out;
}

/** Adds AgentTrail's handlers for every observed event (replacing older ones). Returns a copy. */
export function addOurHooks(settings: Json, o: HandlerOptions): Json {
  const out = removeOurHooks(settings);
  const table = (out.hooks && typeof out.hooks === 'object' && !Array.isArray(out.hooks) ? out.hooks : {}) as Record<string, unknown>;
  for (const event of observedEvents()) {
    const group: MatcherGroup = { hooks: [handlerFor(event, o)] };
    if (event === 'FileChanged') group.matcher = WATCHED_FILES.join('|');
    const existing = Array.isArray(table[event]) ? (table[event] as unknown[]) : [];
    table[event] = [...existing, group];
  }
  out.hooks = table;
  return out;
}

/** Lists the events for which a settings object holds an AgentTrail handler. */
export function installedEvents(settings: Json): string[] {
  const hooks = settings.hooks;
  if (!hooks || typeof hooks !== 'object') return [];
  return Object.entries(hooks as Record<string, unknown>)
    .filter(([, groups]) => Array.isArray(groups) && groups.some((g) => Array.isArray((g as MatcherGroup)?.hooks) && (g as MatcherGroup).hooks.some(isOurHandler)))
    .map(([event]) => event);
}
