/**
 * The detection model (docs/specs/detections.md): what rules see (EventFacts), what they say
 * (RuleHit), and what the collector journals (Finding). Everything under core/detect is pure:
 * file-system facts (realpath) and secrets' keyed fingerprints are injected.
 */
import type { AgentEvent } from '../event/schema.js';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** Severities from least to most severe. */
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Moves a severity `by` steps (negative lowers it), staying within info..critical. */
export function shiftSeverity(severity: Severity, by: number): Severity {
  const i = SEVERITIES.indexOf(severity) + by;
  return SEVERITIES[Math.max(0, Math.min(SEVERITIES.length - 1, i))]!;
}

/** Returns whether `a` is at least as severe as `b`. */
export function atLeast(a: Severity, b: Severity): boolean {
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b);
}

/** A redirect of a simple command (`>`, `>>`, `<`, `&>`, `<<` with its heredoc body, `<<<`, `<>`). */
export interface ShellRedirect {
  readonly op: string;
  /** Dequoted target word ('' for heredocs). */
  readonly target: string;
  /** File descriptor written before the operator (`2>`), when given. */
  readonly fd?: number;
  /** Heredoc or herestring body. */
  readonly body?: string;
}

/** One simple command out of a command line, after wrappers (sudo, env, xargs…) were peeled off. */
export interface ShellCommand {
  /** Basename of the effective command word (`/usr/bin/curl` → `curl`); '' when it is dynamic. */
  readonly name: string;
  /** The effective command word as written, dequoted (`/tmp/x`, `./node_modules/.bin/tsc`). */
  readonly word: string;
  /** Dequoted arguments after the command word. */
  readonly args: readonly string[];
  /** Wrappers peeled off, outermost first (`sudo -E env FOO=1 nohup x` → ['sudo', 'env', 'nohup']). */
  readonly wrappers: readonly string[];
  /** Options given to the wrappers, in order (`sudo -S -u root x` → ['-S', '-u', 'root']). */
  readonly wrapperArgs: readonly string[];
  /** Prefix assignments, including those given through `env` (`FOO=1 x`). */
  readonly assigns: readonly { readonly name: string; readonly value: string }[];
  readonly redirects: readonly ShellRedirect[];
  /** True when the command word is an expansion (`$x`, `${x}`, `$(…)`): what runs cannot be known. */
  readonly dynamicName: boolean;
  /** Index into ShellAnalysis.pipelines of the pipeline this command is part of. */
  readonly pipeline: number;
  /** Position within that pipeline (0 = first, reads nobody's stdout). */
  readonly stage: number;
  /** Index (into ShellAnalysis.commands) of the command whose text contains this one, or -1. */
  readonly parent: number;
  /** How this command was reached: top | sh-c | eval | substitution | process-substitution | xargs | find-exec | interpreter. */
  readonly via: string;
  /** Nesting depth: 0 at top level, +1 per sh -c / eval / substitution level. */
  readonly depth: number;
  /** Working directory in effect for this command (follows `cd X &&` and `pushd`). */
  readonly cwd: string;
  /** The command's source text, for evidence. */
  readonly text: string;
}

/** A parsed shell command line. */
export interface ShellAnalysis {
  readonly source: string;
  /** Every simple command, in source order, nested ones included. */
  readonly commands: readonly ShellCommand[];
  /** Pipelines as lists of indexes into `commands`, in pipe order. */
  readonly pipelines: readonly (readonly number[])[];
  /** Parser errors (with positions); non-empty means the tree may be partial. */
  readonly errors: readonly string[];
  /** True on parse errors or shell syntax the parser does not support (zsh): rules raise one level. */
  readonly uncertain: boolean;
}

export type FileAccess = 'read' | 'write' | 'delete' | 'exec' | 'search' | 'arg';

/** A path the event touches or names, resolved the way the agent's tools would resolve it. */
export interface FileRef {
  /** The path as written. */
  readonly raw: string;
  /** `~`/$HOME expanded, resolved against the cwd in effect, normalised (no symlinks followed). */
  readonly abs: string;
  /** `abs` with symlinks followed (deepest existing ancestor). */
  readonly real: string;
  readonly access: FileAccess;
  /** Tool name (Read, Write…), or the shell command name, or `redirect`. */
  readonly via: string;
  /** Whether `real` is inside the project root. */
  readonly inProject: boolean;
  /** Index into facts.shell.commands when the path came from a shell command. */
  readonly command?: number;
}

/** A URL or host the event names. */
export interface UrlRef {
  /** As written. */
  readonly raw: string;
  /** Lowercase, punycoded, without a trailing dot; '' when unparsable. */
  readonly host: string;
  readonly href: string;
  readonly pathname: string;
  readonly search: string;
  /** Tool name, or the shell command name. */
  readonly via: string;
  readonly command?: number;
}

/** Free text the secret and injection scanners read. */
export interface TextRef {
  readonly source: 'prompt' | 'command' | 'content' | 'new_string' | 'query' | 'url' | 'mcp_input' | 'output';
  readonly text: string;
}

/** Everything a rule may look at for one event. Built once per event by deriveFacts(). */
export interface EventFacts {
  /** The normalised event (before redaction). */
  readonly event: AgentEvent;
  readonly hookEvent: string;
  readonly phase: 'pre' | 'post' | 'failure' | 'other';
  /** Tool name, or '' for non-tool events. */
  readonly tool: string;
  /** tool_input as Claude Code sent it (not bounded). */
  readonly input: Readonly<Record<string, unknown>>;
  /** tool_response as text (first 1 MiB), '' when there is none. */
  readonly output: string;
  /** The user prompt (UserPromptSubmit), or ''. */
  readonly prompt: string;
  readonly cwd: string;
  readonly projectRoot: string;
  readonly home: string;
  readonly permissionMode: string;
  readonly files: readonly FileRef[];
  readonly shell: ShellAnalysis | null;
  readonly urls: readonly UrlRef[];
  readonly texts: readonly TextRef[];
  /** Resolves a path as the agent would (`~`, relative to `cwd` or the event's cwd, symlinks). */
  resolve(raw: string, cwd?: string): { abs: string; real: string; inProject: boolean };
}

/** A secret found in text: where, which detector, and a keyed fingerprint (never the value). */
export interface SecretMatch {
  /** Detector id, e.g. `github-pat`, `aws-access-key-id`, `generic-api-key`. */
  readonly kind: string;
  readonly start: number;
  readonly end: number;
  /** HMAC of the value with this installation's key, 16 hex digits. */
  readonly fingerprint: string;
}

/** Machine and policy facts rules may use, injected by the engine. */
export interface RuleEnv {
  /** AgentTrail's own data, config, spool and hook paths (for tamper rules). */
  readonly auditPaths: readonly string[];
  /** Finds secrets in text. */
  findSecrets(text: string): SecretMatch[];
}

/** What one rule says about one event. */
export interface RuleHit {
  /** The exact path, command fragment or URL that matched; secrets must already be masked. */
  readonly evidence: string;
  /** Overrides the rule's default severity (e.g. a stronger variant). */
  readonly severity?: Severity;
  /** One sentence explaining this hit, when it says more than the rule title. */
  readonly note?: string;
  /** Set when the hit is about a secret: which kind and its fingerprint. */
  readonly secret?: { readonly kind: string; readonly fingerprint: string };
  /** `session`: the same evidence is reported once per session, not once per 10 minutes (a session-wide fact). */
  readonly once?: 'session';
}

/** The description every rule carries, built-in or custom. */
export interface RuleMeta {
  /** `AGT-<CATEGORY>-<NNN>` for built-ins. */
  readonly id: string;
  readonly title: string;
  /** CRED, SECRET, EXFIL, EXEC, PERSIST, DESTR, PRIV, SUPPLY, TAMPER, SCOPE, INJ, MCP, RECON, CORR, ANOM, CUSTOM. */
  readonly category: string;
  readonly severity: Severity;
  /** Hook events the rule looks at (PreToolUse, PostToolUse, UserPromptSubmit, SessionStart, …). */
  readonly events: readonly string[];
  /** Tool names the rule looks at (`mcp__*` for every MCP tool); empty = any or none. */
  readonly tools: readonly string[];
  /** MITRE ATT&CK technique ids, numbered as in `attackVersion`. */
  readonly attack: readonly string[];
  /** ATT&CK version the ids belong to, e.g. `v18`. */
  readonly attackVersion: string;
  readonly atlas: readonly string[];
  readonly owasp: readonly string[];
  /** What the rule matches, one or two sentences. */
  readonly description: string;
}

/** A detection rule: metadata plus a pure match function. */
export interface Rule extends RuleMeta {
  match(facts: EventFacts, env: RuleEnv): RuleHit[];
}

/** A finding as journaled: the action_details of a `security_alert` event. */
export interface Finding {
  readonly rule_id: string;
  readonly title: string;
  readonly category: string;
  readonly severity: Severity;
  /** rule | correlation | anomaly | custom */
  readonly source: string;
  readonly attack: { readonly version: string; readonly techniques: readonly string[] };
  readonly atlas: readonly string[];
  readonly owasp: readonly string[];
  readonly evidence: string;
  readonly message: string;
  /** Journal seqs of the events that triggered the finding, the deciding event last. */
  readonly trigger_seqs: readonly number[];
  readonly trigger: {
    readonly event_type: string;
    readonly hook_event: string;
    readonly tool_name: string | null;
    readonly tool_use_id: string | null;
  };
  /** Why the severity differs from the rule's default (taint, parse error, bypass mode, outside project). */
  readonly escalations: readonly string[];
  readonly secret?: { readonly kind: string; readonly fingerprint: string };
  /** Set when an allow entry of the policy suppressed the finding (it is journaled, not alerted). */
  readonly suppressed?: string;
  /** `session` when the finding is reported once per session (a session-wide fact). */
  readonly repeat?: 'session';
}
