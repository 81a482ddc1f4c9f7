/**
 * SECRET: secret literals (security reference B.4) in prompts, in what leaves through commands,
 * URLs and search queries, in tool output, and written into files. Evidence names the detector
 * and where the secret was, never the value (at most a public token prefix such as `ghp_…`);
 * each hit carries the secret's kind and keyed fingerprint. One hit per distinct secret, at most
 * five per event.
 */
import { NET_TOOLS, isLocalHost } from '../lists.js';
import { commands, defineRule, isTool } from '../rule-kit.js';
import type { EventFacts, RuleEnv, RuleHit, SecretMatch, Severity } from '../types.js';
import { isCredPath, isSecretFile } from './exfil-util.js';

/** Hits per event at most. */
const MAX_HITS = 5;
/** Public prefixes of token formats: shown in evidence as `ghp_…`. */
const PUBLIC_PREFIX = /^(?:gh[pousr]_|github_pat_|glpat-|glptt-|xox[a-z]-|xapp-|AKIA|ASIA|ABIA|ACCA|A3T|sk-ant-[a-z]+\d*-|sk-proj-|sk-|AIza|npm_|pypi-|sk_live_|sk_test_|rk_live_|hf_|eyJ|-----BEGIN[ A-Z]*PRIVATE KEY-----|SG\.|shpat_|lin_api_|dop_v1_|hvs\.)/;
/** Values that name a secret rather than hold one (only checked for generic, non-format detectors). */
const PLACEHOLDER = /process\.env|import\.meta\.env|os\.environ|getenv|\$\{|\$\(|^\$[A-Z_]|\{\{|<[a-z_ -]+>|x{6,}|\*{4,}|your[_-]?(?:api|secret|token|key)|placeholder|changeme|redacted/i;
const GENERIC_KIND = /generic|password|authorization|entropy/;

/** Evidence text for one secret: detector, where, and the public prefix if the format has one. */
function describe(m: SecretMatch, text: string, where: string): string {
  const prefix = PUBLIC_PREFIX.exec(text.slice(m.start, Math.min(m.end, m.start + 40)));
  return prefix ? `${m.kind} in ${where} (${prefix[0].startsWith('-----') ? 'PEM header' : `${prefix[0]}…`})` : `${m.kind} in ${where}`;
}

/** Whether a generic match is a reference to a secret (`process.env.X`, `${TOKEN}`), not a literal. */
function isPlaceholder(m: SecretMatch, text: string): boolean {
  return GENERIC_KIND.test(m.kind) && PLACEHOLDER.test(text.slice(m.start, m.end));
}

/** One hit per distinct secret in `sources` (text, where), capped; fingerprints in `skip` are ignored. */
export function secretHits(env: RuleEnv, sources: readonly { text: string; where: string }[], severity?: Severity, skip: ReadonlySet<string> = new Set()): RuleHit[] {
  const seen = new Set<string>(skip);
  const hits: RuleHit[] = [];
  for (const { text, where } of sources) {
    if (!text) continue;
    for (const m of env.findSecrets(text)) {
      if (seen.has(m.fingerprint) || isPlaceholder(m, text)) continue;
      seen.add(m.fingerprint);
      hits.push({ evidence: describe(m, text, where), ...(severity ? { severity } : {}), secret: { kind: m.kind, fingerprint: m.fingerprint } });
      if (hits.length >= MAX_HITS) return hits;
    }
  }
  return hits;
}

/**
 * Test fixture locations: a secret there is most likely fake, so hits are down-ranked to low
 * (`test/`, `tests/`, `__tests__/`, `spec/`, `fixtures/`, `testdata/`, `__mocks__/`, `*.test.*`, `*.spec.*`).
 */
const FIXTURE_PATH = /(?:^|\/)(?:tests?|__tests__|specs?|fixtures?|__fixtures__|testdata|test-data|__mocks__|mocks)\/|\.(?:test|spec)\.[a-z0-9]+$/i;

export function isFixturePath(path: string, facts: EventFacts): boolean {
  if (!path) return false;
  const abs = facts.resolve(path).abs;
  const rel = abs.startsWith(`${facts.projectRoot}/`) ? abs.slice(facts.projectRoot.length + 1) : abs;
  return FIXTURE_PATH.test(rel);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const secret001 = defineRule(
  {
    id: 'AGT-SECRET-001',
    title: 'Secret pasted into a user prompt',
    category: 'SECRET',
    severity: 'medium',
    events: ['UserPromptSubmit'],
    attack: [],
    atlas: ['AML.T0057'],
    owasp: ['LLM02:2025'],
    description:
      'The secret detectors (gitleaks-derived token formats, PEM private keys, JWTs, and the generic keyword=value rule gated by entropy) find a secret in the user prompt; only the detector id and a keyed fingerprint are kept. ATT&CK: n/a (DLP); T1552.001 when the secret is later reused.',
  },
  (facts, env) => {
    if (facts.hookEvent !== 'UserPromptSubmit' || !facts.prompt) return [];
    return secretHits(env, [{ text: facts.prompt, where: 'prompt' }]);
  },
);

const SECRET_002_TOOLS = ['Bash', 'WebFetch', 'WebSearch', 'mcp__*'];

/** Whether the event sends something to a remote host: WebFetch/WebSearch, or a network tool or URL that is not this machine. */
function hasNetworkDestination(facts: EventFacts): boolean {
  if (facts.tool === 'WebFetch' || facts.tool === 'WebSearch') return true;
  if (facts.tool !== 'Bash') return false;
  const cmds = commands(facts);
  const remote = (i: number) => {
    const urls = facts.urls.filter((u) => u.command === i);
    return urls.length === 0 || urls.some((u) => !u.host || !isLocalHost(u.host));
  };
  if (cmds.some((c, i) => NET_TOOLS.includes(c.name) && remote(i))) return true;
  return facts.urls.some((u) => u.host !== '' && !isLocalHost(u.host) && /^[a-z][a-z0-9+.-]*:\/\//i.test(u.raw));
}

const secret002 = defineRule(
  {
    id: 'AGT-SECRET-002',
    title: 'Secret literal leaves via command, URL or search query',
    category: 'SECRET',
    severity: 'high',
    tools: SECRET_002_TOOLS,
    attack: ['T1552.001', 'T1567'],
    atlas: ['AML.T0086'],
    owasp: ['LLM02:2025', 'ASI02'],
    description:
      'A secret literal appears in a Bash command line, a WebFetch URL, a WebSearch query or an MCP tool input. Critical when the event also has a network destination (a network tool to a non-local host, WebFetch, WebSearch).',
  },
  (facts, env) => {
    if (facts.hookEvent !== 'PreToolUse' || !isTool(facts, SECRET_002_TOOLS)) return [];
    const where = facts.tool === 'Bash' ? 'command' : facts.tool === 'WebFetch' ? 'URL' : facts.tool === 'WebSearch' ? 'search query' : `${facts.tool} input`;
    const sources = facts.texts
      .filter((t) => t.source === 'command' || t.source === 'url' || t.source === 'query' || t.source === 'mcp_input')
      .map((t) => ({ text: t.text, where }));
    if (sources.length === 0) return [];
    const hits = secretHits(env, sources);
    if (hits.length === 0) return [];
    return hasNetworkDestination(facts) ? hits.map((h) => ({ ...h, severity: 'critical' as const, note: 'The secret goes to a network destination.' })) : hits;
  },
);

const secret003 = defineRule(
  {
    id: 'AGT-SECRET-003',
    title: 'Secret entered model context via tool output',
    category: 'SECRET',
    severity: 'medium',
    events: ['PostToolUse'],
    attack: ['T1552.001'],
    atlas: ['AML.T0057'],
    owasp: ['LLM02:2025'],
    description:
      'The secret detectors find a secret in a tool response (first 1 MiB): the value now sits in the transcript and the provider request. Low when the tool read a test fixture (test/, fixtures/, __mocks__/, *.test.*).',
  },
  (facts, env) => {
    if (facts.hookEvent !== 'PostToolUse' || !facts.output) return [];
    const path = str(facts.input.file_path) || str(facts.input.notebook_path);
    return secretHits(env, [{ text: facts.output, where: `${facts.tool || 'tool'} output` }], isFixturePath(path, facts) ? 'low' : undefined);
  },
);

const SECRET_004_TOOLS = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit'];

const secret004 = defineRule(
  {
    id: 'AGT-SECRET-004',
    title: 'Hard-coded secret written to a file',
    category: 'SECRET',
    severity: 'medium',
    tools: SECRET_004_TOOLS,
    attack: ['T1552.001'],
    owasp: ['LLM02:2025'],
    description:
      'The secret detectors find a secret in the content or new_string written to a file that is not a secret file (.env*, tfvars, keystores) or credential store, and that the edit did not already contain (CWE-798). Low in test fixture locations (test/, fixtures/, __mocks__/, *.test.*).',
  },
  (facts, env) => {
    if (facts.hookEvent !== 'PreToolUse' || !isTool(facts, SECRET_004_TOOLS)) return [];
    const path = str(facts.input.file_path) || str(facts.input.notebook_path);
    if (path) {
      const { abs, real } = facts.resolve(path);
      if ([abs, real].some((p) => isSecretFile(p, facts.home, { wildcards: false }) || isCredPath(p, facts.home, { wildcards: false }))) return [];
    }
    const written = facts.texts.filter((t) => t.source === 'content' || t.source === 'new_string');
    if (written.length === 0) return [];
    // Secrets the edited text already held are not newly hard-coded.
    const before = new Set<string>();
    const olds = facts.tool === 'MultiEdit' && Array.isArray(facts.input.edits)
      ? facts.input.edits.map((e) => str((e as Record<string, unknown> | null)?.old_string))
      : [str(facts.input.old_string)];
    for (const old of olds) if (old) for (const m of env.findSecrets(old)) before.add(m.fingerprint);
    const where = path ? `content written to ${path}` : 'content written';
    return secretHits(env, written.map((t) => ({ text: t.text, where })), isFixturePath(path, facts) ? 'low' : undefined, before);
  },
);

export const SECRET_RULES = [secret001, secret002, secret003, secret004];
