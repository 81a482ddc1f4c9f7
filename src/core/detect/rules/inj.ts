/**
 * INJ (reference B.4): prompt injection carried by content the agent ingests — invisible Unicode
 * (tags, bidi controls, zero-width runs) and instruction-override phrasing in tool output.
 */
import { commands, defineRule, fileMatches, hit } from '../rule-kit.js';
import type { EventFacts, Rule, RuleHit } from '../types.js';
import { gitSubcommand } from './shell-targets.js';

const TAG = /[\u{E0000}-\u{E007F}]/gu;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/gu;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/gu;
/** Emoji and the modifiers that legitimately sit around a ZWJ. */
const EMOJI = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\uFE0F\u20E3]/u;
/** Letters of scripts whose orthography uses ZWNJ/ZWJ (Arabic, Persian, Indic, Sinhala…). */
const JOINING_SCRIPT = /[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}\p{Script=Sinhala}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;
/** Whole tag sequences of subdivision flags (🏴 + tags + U+E007F CANCEL TAG), which are emoji, not smuggling. */
const FLAG_SEQUENCE = /\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/gu;

const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Half of a surrogate pair cut off by an excerpt boundary. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text with invisible and control characters escaped, so evidence never carries them raw. */
export function escapeInvisible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(LONE_SURROGATE, '').replace(/[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u{E0000}-\u{E007F}\uFFF9-\uFFFB]/gu, (ch) => `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`);
}

/** A short escaped excerpt of `text` around `index`. */
function excerpt(text: string, index: number): string {
  const start = Math.max(0, index - 30);
  // Runs of tag characters are summarised rather than spelled out one escape at a time.
  const collapsed = text.slice(start, index + 400).replace(/[\u{E0000}-\u{E007F}]{2,}/gu, (run) => `[${Array.from(run).length} tag chars from ${codePoint(run)}]`);
  const chars = Array.from(collapsed).slice(0, 80).join('');
  return `"${start > 0 ? '…' : ''}${escapeInvisible(chars)}…"`;
}

/** Whether the zero-width character at `i` is orthographic: ZWJ/ZWNJ inside emoji sequences or joining scripts, BOM at a start. */
function benignZeroWidth(text: string, i: number): boolean {
  const ch = text[i]!;
  if (ch === '\uFEFF') return i === 0 || /[\n\t]/.test(text[i - 1] ?? '');
  if (ch !== '\u200D' && ch !== '\u200C') return false;
  const before = Array.from(text.slice(Math.max(0, i - 2), i)).pop() ?? '';
  const after = Array.from(text.slice(i + 1, i + 3))[0] ?? '';
  if (ch === '\u200D' && EMOJI.test(before) && EMOJI.test(after)) return true;
  return JOINING_SCRIPT.test(before) || JOINING_SCRIPT.test(after);
}

/** Finds hidden Unicode in `text`: tags (high), bidi controls or 3+ zero-width characters (medium). */
export function hiddenUnicode(text: string, label: string): RuleHit[] {
  if (!text || /^[\x00-\x7F]*$/.test(text)) return [];
  const scrubbed = text.replace(FLAG_SEQUENCE, (m) => ' '.repeat(m.length));
  const tags = [...scrubbed.matchAll(TAG)];
  if (tags.length > 0) {
    const decoded = tags.map((m) => m[0].codePointAt(0)! - 0xe0000).filter((c) => c >= 0x20 && c < 0x7f).map((c) => String.fromCharCode(c)).join('');
    const shown = decoded ? `, hiding the text "${escapeInvisible(decoded.slice(0, 80))}${decoded.length > 80 ? '…' : ''}"` : '';
    return hit(`${label}: ${tags.length} Unicode tag characters (${codePoint(tags[0]![0])}…)${shown}; excerpt ${excerpt(text, tags[0]!.index)}`, 'high');
  }
  const bidi = [...text.matchAll(BIDI)];
  if (bidi.length > 0) {
    const kinds = [...new Set(bidi.map((m) => codePoint(m[0])))].slice(0, 4).join(', ');
    return hit(`${label}: ${bidi.length} bidirectional control characters (${kinds}); excerpt ${excerpt(text, bidi[0]!.index)}`, 'medium');
  }
  const zw = [...text.matchAll(ZERO_WIDTH)].filter((m) => !benignZeroWidth(text, m.index));
  if (zw.length >= 3) {
    const kinds = [...new Set(zw.map((m) => codePoint(m[0])))].slice(0, 4).join(', ');
    return hit(`${label}: ${zw.length} zero-width characters (${kinds}); excerpt ${excerpt(text, zw[0]!.index)}`, 'medium');
  }
  return [];
}

const INGEST_TOOLS = ['WebFetch', 'WebSearch', 'Read', 'Bash', 'Grep', 'mcp__*'];
const CONTENT_TOOLS = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit'];

const inj001 = defineRule(
  {
    id: 'AGT-INJ-001',
    title: 'Hidden Unicode in ingested content',
    category: 'INJ',
    severity: 'medium',
    events: ['PostToolUse', 'PreToolUse'],
    tools: [...INGEST_TOOLS, ...CONTENT_TOOLS],
    attack: ['T1027'],
    atlas: ['AML.T0051.001', 'AML.T0068'],
    owasp: ['LLM01:2025', 'ASI01'],
    description:
      'Tool output (WebFetch, WebSearch, Read, Bash, Grep, MCP) or content the agent writes contains Unicode tag characters (ASCII smuggling, high), bidi controls (Trojan Source) or 3+ zero-width characters (medium); emoji ZWJ sequences, subdivision flags, joining-script ZWNJ and leading BOMs excepted.',
  },
  (facts) => {
    if (facts.hookEvent === 'PostToolUse') {
      const ingest = INGEST_TOOLS.some((t) => (t === 'mcp__*' ? facts.tool.startsWith('mcp__') : t === facts.tool));
      return ingest ? hiddenUnicode(facts.output, `${facts.tool} output`) : [];
    }
    if (facts.hookEvent !== 'PreToolUse' || !CONTENT_TOOLS.includes(facts.tool)) return [];
    for (const t of facts.texts) {
      if (t.source !== 'content' && t.source !== 'new_string') continue;
      const hits = hiddenUnicode(t.text, `${facts.tool} ${t.source}`);
      if (hits.length) return hits;
    }
    return [];
  },
);

/** Instruction-override phrasing (catalogue regex set). */
const OVERRIDE_PATTERNS = [
  /\b(ignore|disregard|forget|override)\b.{0,40}\b(previous|prior|above|earlier|all|system|developer)\b.{0,20}\b(instructions?|prompts?|rules|directives)\b/i,
  /<\/?(system|instructions?)>|\[\/?INST\]|\bnew (system )?instructions?:/i,
  /\b(do not|don't|never)\s+(tell|inform|mention|reveal)\s+(this|the user|anyone)/i,
  /\b(AI|LLM|agent|assistant|Claude|Copilot|Cursor)s?\b[^.\n]{0,60}\b(must|should|need to)\b[^.\n]{0,80}\b(run|execute|curl|fetch|send|upload|post|read)\b/i,
];
/** Shell commands whose output is content from elsewhere (history, issues, the web). */
const EXTERNAL_COMMANDS = new Set(['gh', 'glab', 'hub', 'curl', 'wget', 'http', 'https', 'xh', 'fetch', 'aria2c', 'lynx', 'w3m', 'links', 'jira', 'linear', 'tea']);
/** git subcommands that print other people's commits, messages and notes (not the user's own diff). */
const GIT_EXTERNAL = new Set(['log', 'show', 'shortlog', 'blame', 'notes', 'fetch', 'pull', 'clone', 'remote', 'request-pull']);
/** Vendored or installed third-party code inside a project. */
const VENDORED = ['**/node_modules/**', '**/vendor/**', '**/third_party/**', '**/.venv/**', '**/venv/**', '**/site-packages/**', '**/dist-packages/**', '**/Pods/**', '~/.cargo/registry/**', '~/go/pkg/mod/**'];

/** Whether a tool's output is content from outside the user's own project. */
function untrustedOutput(facts: EventFacts): boolean {
  const tool = facts.tool;
  if (tool === 'WebFetch' || tool === 'WebSearch' || tool.startsWith('mcp__')) return true;
  const external = (f: EventFacts['files'][number]) => !f.inProject || fileMatches(f, VENDORED, facts.home);
  if (tool === 'Read') return facts.files.some((f) => f.via === 'Read' && external(f));
  if (tool === 'Bash') {
    return commands(facts).some((c) => (c.name === 'git' ? GIT_EXTERNAL.has(gitSubcommand(c).sub) : EXTERNAL_COMMANDS.has(c.name))) ||
      facts.files.some((f) => f.access === 'read' && external(f));
  }
  return false;
}

const inj002 = defineRule(
  {
    id: 'AGT-INJ-002',
    title: 'Instruction-override phrasing in ingested content',
    category: 'INJ',
    severity: 'low',
    events: ['PostToolUse'],
    tools: ['WebFetch', 'WebSearch', 'Read', 'Bash', 'mcp__*'],
    attack: [],
    atlas: ['AML.T0051.001', 'AML.T0093'],
    owasp: ['LLM01:2025', 'ASI01', 'Agentic T6'],
    description:
      'Output of WebFetch, WebSearch, MCP tools, Reads outside the project or of vendored code, or Bash commands that print outside content (git log, gh issue view, curl) contains instruction-override phrasing ("ignore previous instructions", <system>, [INST], "AI agents must run …"). Mainly a taint signal for AGT-CORR-001.',
  },
  (facts) => {
    if (facts.hookEvent !== 'PostToolUse' || !facts.output || !untrustedOutput(facts)) return [];
    for (const re of OVERRIDE_PATTERNS) {
      const m = re.exec(facts.output);
      if (m) return hit(`${facts.tool} output: "${escapeInvisible(m[0].slice(0, 160))}"`);
    }
    return [];
  },
);

export const INJ_RULES: Rule[] = [inj001, inj002];
