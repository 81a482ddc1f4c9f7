/**
 * EXFIL (part 2, hosts, URLs and content): traffic to paste/request-bin/OAST/tunnel services, DNS
 * exfiltration, markdown/HTML beacons in agent-authored content, and data-bearing WebFetch or
 * WebSearch calls (security reference B.4).
 */
import { posix } from 'node:path';
import { DNS_TOOLS, EXFIL_TIER2_HOSTS, OAST_HOSTS, hostIn, isLocalHost } from '../lists.js';
import { commands, defineRule, evidenceOf, isTool, operands } from '../rule-kit.js';
import { parseUrlRef } from '../url-ref.js';
import type { EventFacts, RuleEnv, RuleHit, Severity, ShellCommand, UrlRef } from '../types.js';
import { httpTargets } from './exfil-http.js';
import { dictionaryLike, encodedRuns, entropy, isDataRun, looksRandom, opaqueCode, rawHostOf, slugWithIds, tier1Of } from './exfil-util.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`)]+/gi;

/** AGT-EXFIL-003. */
const EXFIL_003_TOOLS = ['Bash', 'WebFetch', 'mcp__*'];
const SOCAT_HOST = /^(?:tcp[46]?|udp[46]?|openssl|ssl|sctp)(?:-(?:connect|sendto))?:([^:,]+):\d+/i;

function classify(u: UrlRef): { severity: Severity; what: string } | undefined {
  const t1 = tier1Of(u);
  if (t1) return { severity: 'high', what: t1 };
  const t2 = u.host ? hostIn(u.host, EXFIL_TIER2_HOSTS) : undefined;
  return t2 ? { severity: 'medium', what: t2 } : undefined;
}

const exfil003 = defineRule(
  {
    id: 'AGT-EXFIL-003',
    title: 'Traffic to paste / request-bin / OAST / tunnel / chat-webhook service',
    category: 'EXFIL',
    severity: 'high',
    tools: EXFIL_003_TOOLS,
    attack: ['T1567', 'T1567.002', 'T1102'],
    atlas: ['AML.T0086'],
    owasp: ['ASI02'],
    description:
      'A URL host (or nc/ncat/socat/telnet host) is, or is a subdomain of, a request bin, OAST, paste, file-drop or tunnel service, or the URL is a Discord/Slack/Telegram webhook or bot endpoint. Medium for free hosting where anyone can stand up an endpoint (workers.dev, pages.dev, vercel.app…).',
  },
  (facts) => {
    if (facts.hookEvent !== 'PreToolUse' || !isTool(facts, EXFIL_003_TOOLS)) return [];
    const urls: UrlRef[] = [...facts.urls];
    for (const [i, cmd] of commands(facts).entries()) {
      if (cmd.name !== 'socat') continue;
      for (const a of cmd.args) {
        const m = SOCAT_HOST.exec(a);
        if (m) urls.push(parseUrlRef(m[1]!, 'socat', i));
      }
    }
    if (facts.shell?.uncertain) for (const m of facts.shell.source.matchAll(URL_IN_TEXT)) urls.push(parseUrlRef(m[0], 'shell'));
    const hits: RuleHit[] = [];
    const seen = new Set<string>();
    for (const u of urls) {
      const c = classify(u);
      if (!c || seen.has(u.href)) continue;
      seen.add(u.href);
      hits.push({ evidence: evidenceOf(u.raw), ...(c.severity === 'high' ? {} : { severity: c.severity }), note: `Destination: ${c.what}.` });
    }
    // The strongest first, at most five.
    return hits.sort((a, b) => Number(a.severity === 'medium') - Number(b.severity === 'medium')).slice(0, 5);
  },
);

/** AGT-EXFIL-004: DNS exfiltration. */
const DNS_SET = new Set(DNS_TOOLS);
const RR_TYPES = /^(?:a|aaaa|any|txt|mx|ns|cname|soa|ptr|srv|caa|ds|dnskey|https|svcb|naptr|in|ch|hosts|ahosts|ahostsv4|ahostsv6|query|status)$/i;
const SUBST = /\$\(|`/;
const VAR = /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/;
const PURE_VAR = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?(?::\d+|:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)?$/;

/** Candidate host words of a DNS tool or HTTP client, as written. */
function hostWords(cmd: ShellCommand): string[] {
  if (DNS_SET.has(cmd.name)) return cmd.args.filter((a) => !/^[-+@]/.test(a) && !/^\d+$/.test(a) && !RR_TYPES.test(a));
  if (cmd.name === 'curl' || cmd.name === 'wget') return httpTargets(cmd).map(rawHostOf);
  return [];
}

/** Why a host word looks like DNS exfiltration, or undefined. */
function dnsExfilReason(host: string, assigned: ReadonlyMap<string, string>): string | undefined {
  if (SUBST.test(host)) return 'command substitution in a hostname';
  const pure = PURE_VAR.exec(host);
  if (pure) {
    const value = assigned.get(pure[1]!);
    return value !== undefined && SUBST.test(value) ? `hostname from $${pure[1]}, set by a command substitution` : undefined;
  }
  if (VAR.test(host)) return 'variable expanded into a hostname';
  const lower = host.toLowerCase();
  if (/^[\d.]+$|^\[?[0-9a-f:]+\]?$/.test(lower) || isLocalHost(lower)) return undefined;
  const oast = hostIn(lower, OAST_HOSTS);
  if (oast) return `lookup under the OAST domain ${oast}`;
  for (const label of host.split('.')) {
    if (label.length >= 40 && !dictionaryLike(label)) return `${label.length}-character label`;
    if (label.length >= 20 && entropy(label) > 3.5 && !dictionaryLike(label)) return 'high-entropy label';
  }
  return undefined;
}

const UNCERTAIN_DNS = /(?:^|[\s;|&(`])(?:nslookup|dig|host|ping6?|drill|kdig|getent|resolvectl|traceroute)\s[^|;&\n]*(?:\$\(|`)/;

const exfil004 = defineRule(
  {
    id: 'AGT-EXFIL-004',
    title: 'DNS exfiltration pattern',
    category: 'EXFIL',
    severity: 'high',
    tools: ['Bash'],
    attack: ['T1048.003', 'T1071.004', 'T1132'],
    atlas: ['AML.T0086'],
    owasp: ['ASI02'],
    description:
      'A DNS tool (nslookup, dig, host, ping, traceroute, getent…) or curl/wget host contains a command substitution, a variable glued to other labels (or a variable set from a substitution), a non-word label of 40+ characters or of 20+ characters with entropy above 3.5, or lies under an OAST domain. Word-like labels (long CDN or service names) are ignored.',
  },
  (facts) => {
    if (facts.tool !== 'Bash' || !facts.shell) return [];
    const cmds = commands(facts);
    const assigned = new Map<string, string>();
    for (const c of cmds) for (const a of c.assigns) assigned.set(a.name, a.value);
    for (const cmd of cmds) {
      for (const host of hostWords(cmd)) {
        const reason = dnsExfilReason(host, assigned);
        if (reason) return [{ evidence: evidenceOf(cmd.text), note: `${reason[0]!.toUpperCase()}${reason.slice(1)}.` }];
      }
    }
    for (const code of opaqueCode(facts)) {
      if (UNCERTAIN_DNS.test(code)) return [{ evidence: evidenceOf(code), note: 'Command substitution next to a DNS tool (unparsed shell code).' }];
    }
    return [];
  },
);

/** AGT-EXFIL-006: markdown/HTML beacons. */
const MD_IMAGE = /!\[[^\]\n]*\]\(\s*<?([^)\s>]+)/g;
const HTML_FETCH = /<(?:img|image|source|video|audio|iframe|embed|object|link|script|input|body|table|td)\b[^>]*?\s(?:src|href|poster|data|srcset|background|xlink:href)\s*=\s*["']?([^"'\s>]+)/gi;
const REF_DEF = /^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)/gm;
const CSS_URL = /url\(\s*["']?(https?:\/\/[^"')\s]+)/gi;
const BEACON_FILE = /\.(?:md|mdx|markdown|html?|svg)$/i;
/** Hosts whose images are expected in READMEs and PRs (badges, GitHub itself). */
const IMAGE_ALLOW = [
  'img.shields.io', 'shields.io', 'github.com', 'githubusercontent.com', 'githubassets.com', 'badge.fury.io', 'badgen.net', 'codecov.io',
  'coveralls.io', 'travis-ci.org', 'travis-ci.com', 'circleci.com', 'api.netlify.com', 'readthedocs.org', 'pepy.tech', 'snyk.io',
  'sonarcloud.io', 'app.codacy.com', 'api.codacy.com', 'bestpractices.coreinfrastructure.org', 'www.bestpractices.dev',
  'api.securityscorecards.dev', 'gitlab.com', 'opencollective.com', 'app.fossa.com', 'packagephobia.com', 'ci.appveyor.com',
  'dev.azure.com', 'deepscan.io', 'bundlephobia.com', 'npmcharts.com', 'nodei.co', 'gravatar.com', 'starchart.cc',
];

/** URLs a renderer would fetch by itself from markdown or HTML. */
export function autoFetchedUrls(text: string): string[] {
  const out: string[] = [];
  for (const re of [MD_IMAGE, HTML_FETCH, REF_DEF, CSS_URL]) for (const m of text.matchAll(re)) out.push(m[1]!);
  return out;
}

/** Why an auto-fetched URL is a beacon, or undefined. */
function beaconReason(raw: string, env: RuleEnv): string | undefined {
  const full = raw.startsWith('//') ? `https:${raw}` : raw;
  if (!/^https?:\/\//i.test(full)) return undefined;
  const u = parseUrlRef(full, 'content');
  if (!u.host || isLocalHost(u.host) || hostIn(u.host, IMAGE_ALLOW)) return undefined;
  if (u.search.length > 101) return 'long query string';
  if (encodedRuns(`${u.pathname}${u.search}`, 32).some(isDataRun)) return 'encoded data in the URL';
  if (env.findSecrets(full).length > 0) return 'a secret in the URL';
  return undefined;
}

function walkStrings(value: unknown, out: string[], depth = 0): void {
  if (depth > 8 || out.length > 200) return;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) walkStrings(v, out, depth + 1);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) walkStrings(v, out, depth + 1);
}

/** Body/message texts of `gh issue|pr … --body`, `gh release … --notes`, `git commit -m`, and heredocs into markdown/HTML files. */
function shellBodies(cmd: ShellCommand): string[] {
  const out: string[] = [];
  const a = cmd.args;
  const valueOf = (short: string[], long: string[]) => {
    for (let i = 0; i < a.length; i++) {
      const w = a[i]!;
      const eq = long.map((l) => (w.startsWith(`${l}=`) ? w.slice(l.length + 1) : undefined)).find((v) => v !== undefined);
      if (eq !== undefined) out.push(eq);
      else if (long.includes(w) || short.includes(w)) out.push(a[++i] ?? '');
      else if (short.some((s) => /^-[a-z]$/.test(s) && w.startsWith('-') && !w.startsWith('--') && w.length > 2)) {
        // `-mMSG` and `-am MSG` clusters
        for (const s of short) {
          const letter = s[1]!;
          const at = w.indexOf(letter, 1);
          if (at < 0 || !/^-[a-zA-Z]+/.test(w)) continue;
          if (at === w.length - 1) out.push(a[++i] ?? '');
          else if (/^[a-zA-Z]*$/.test(w.slice(1, at))) out.push(w.slice(at + 1));
          break;
        }
      }
    }
  };
  const ops = operands(cmd);
  if (cmd.name === 'gh' && (ops[0] === 'issue' || ops[0] === 'pr' || ops[0] === 'release' || ops[0] === 'gist' || ops[0] === 'api')) {
    valueOf(['-b', '-n', '-f', '-F'], ['--body', '--notes', '--field', '--raw-field', '--title', '--description']);
    out.push(...cmd.redirects.map((r) => r.body ?? '').filter(Boolean));
  } else if (cmd.name === 'git' && a.includes('commit')) {
    valueOf(['-m'], ['--message']);
    out.push(...cmd.redirects.map((r) => r.body ?? '').filter(Boolean));
  } else if (cmd.redirects.some((r) => (r.op === '>' || r.op === '>>' || r.op === '>|') && BEACON_FILE.test(r.target))) {
    out.push(...a, ...cmd.redirects.map((r) => r.body ?? '').filter(Boolean));
  } else if (cmd.name === 'tee' && a.some((x) => BEACON_FILE.test(x))) {
    out.push(...cmd.redirects.map((r) => r.body ?? '').filter(Boolean));
  }
  return out;
}

function contentsOf(facts: EventFacts): string[] {
  const tool = facts.tool;
  if (['Write', 'Edit', 'MultiEdit', 'NotebookEdit'].includes(tool)) {
    const path = str(facts.input.file_path) || str(facts.input.notebook_path);
    const notebookMarkdown = tool === 'NotebookEdit' && str(facts.input.cell_type) === 'markdown';
    if (!BEACON_FILE.test(posix.basename(path)) && !notebookMarkdown) return [];
    return facts.texts.filter((t) => t.source === 'content' || t.source === 'new_string').map((t) => t.text);
  }
  if (tool === 'Bash') return commands(facts).flatMap(shellBodies);
  if (tool.startsWith('mcp__')) {
    const out: string[] = [];
    walkStrings(facts.input, out);
    return out;
  }
  return [];
}

const EXFIL_006_TOOLS = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Bash', 'mcp__*'];

const exfil006 = defineRule(
  {
    id: 'AGT-EXFIL-006',
    title: 'Markdown/HTML beacon in agent-authored content',
    category: 'EXFIL',
    severity: 'high',
    tools: EXFIL_006_TOOLS,
    attack: ['T1567', 'T1020'],
    atlas: ['AML.T0077', 'AML.T0086'],
    owasp: ['LLM05:2025', 'LLM02:2025'],
    description:
      'Content written to *.md/*.mdx/*.html (Write/Edit, heredocs), a gh issue/pr/release body, a git commit message or an MCP tool input holds an image or other auto-fetched URL (![](…), <img src>, reference definitions, CSS url()) whose host is not a badge or GitHub host and whose path or query carries a 32+ character encoded run, a secret, or a query over 100 characters.',
  },
  (facts, env) => {
    if (facts.hookEvent !== 'PreToolUse' || !isTool(facts, EXFIL_006_TOOLS)) return [];
    const hits: RuleHit[] = [];
    const seen = new Set<string>();
    for (const text of contentsOf(facts)) {
      if (!/!\[|<[a-z]|\]:|url\(/i.test(text)) continue;
      for (const raw of autoFetchedUrls(text)) {
        if (seen.has(raw)) continue;
        seen.add(raw);
        const reason = beaconReason(raw, env);
        if (reason) hits.push({ evidence: evidenceOf(raw), note: `Auto-fetched URL with ${reason}.` });
        if (hits.length >= 3) return hits;
      }
    }
    return hits;
  },
);

/** AGT-EXFIL-007: data-bearing WebFetch / WebSearch. */
/** Hosts of signed download URLs (long random signatures by design). */
const SIGNED_HOSTS = ['amazonaws.com', 'storage.googleapis.com', 'blob.core.windows.net', 'cloudfront.net', 'r2.cloudflarestorage.com', 'digitaloceanspaces.com'];
const SIGNATURE_PARAM = /[?&](?:X-Amz-Signature|X-Goog-Signature|sig|Signature)=/i;
/** Hosts whose document ids are long random tokens. */
const RANDOM_ID_HOSTS = ['docs.google.com', 'drive.google.com', 'youtube.com', 'youtu.be'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const exfil007 = defineRule(
  {
    id: 'AGT-EXFIL-007',
    title: 'Data-bearing WebFetch / WebSearch',
    category: 'EXFIL',
    severity: 'high',
    tools: ['WebFetch', 'WebSearch'],
    attack: ['T1567', 'T1048'],
    atlas: ['AML.T0086', 'AML.T0051.001'],
    owasp: ['ASI01'],
    description:
      'A WebFetch URL with a query string over 200 characters, a path or query token of 32+ characters with entropy above 4.0 that is not word-like, or a secret; a WebSearch query with a secret or a 40+ character encoded run (bare 40/64-hex commit and content hashes excepted). Signed storage URLs and document-id hosts are ignored.',
  },
  (facts, env) => {
    if (facts.hookEvent !== 'PreToolUse') return [];
    if (facts.tool === 'WebSearch') {
      const q = str(facts.input.query);
      if (!q) return [];
      const secrets = env.findSecrets(q);
      if (secrets.length > 0) return [{ evidence: `${secrets[0]!.kind} in search query`, secret: { kind: secrets[0]!.kind, fingerprint: secrets[0]!.fingerprint } }];
      const run = encodedRuns(q, 40).find((r) => isDataRun(r) && !/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(r));
      return run ? [{ evidence: evidenceOf(q), note: 'The query carries a long encoded run.' }] : [];
    }
    if (facts.tool !== 'WebFetch') return [];
    const raw = str(facts.input.url);
    const u = parseUrlRef(raw, 'WebFetch');
    if (!u.host || isLocalHost(u.host)) return [];
    if (hostIn(u.host, SIGNED_HOSTS) && SIGNATURE_PARAM.test(u.search)) return [];
    if (env.findSecrets(raw).length > 0) return [{ evidence: evidenceOf(raw), note: 'The URL holds a secret.' }];
    if (u.search.length > 201) return [{ evidence: evidenceOf(raw), note: 'The query string is over 200 characters.' }];
    if (hostIn(u.host, RANDOM_ID_HOSTS)) return [];
    const token = encodedRuns(decoded(`${u.pathname}${u.search}`), 32).find((t) => !UUID.test(t) && !slugWithIds(t) && looksRandom(t, 4.0));
    return token ? [{ evidence: evidenceOf(raw), note: 'A path or query token looks like encoded data.' }] : [];
  },
);

export const EXFIL_NET_RULES = [exfil003, exfil004, exfil006, exfil007];
