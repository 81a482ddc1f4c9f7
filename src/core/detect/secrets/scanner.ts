/**
 * The secret scanner: finds secrets in text with the detector table (patterns.ts), fingerprints
 * them with this installation's HMAC key, and redacts them from text and JSON-like values.
 *
 * It runs in the collector on every event, so the hot path is kept cheap:
 * - one lowercase copy of the text per call; a detector's regex only runs when the text contains
 *   one of its keywords (gitleaks' prefilter), each distinct keyword looked up at most once;
 * - at most MAX_SCAN_CHARS of each string are scanned; the rest is returned untouched;
 * - fingerprints are computed only for the matches that survive overlap resolution.
 */
import { createHmac, createSecretKey } from 'node:crypto';
import type { SecretMatch } from '../types.js';
import { shannonEntropy } from './entropy.js';
import { SECRET_PATTERNS, type SecretPattern, type Span } from './patterns.js';

/** Characters (UTF-16 code units) of one string that are scanned: 1 MiB. */
export const MAX_SCAN_CHARS = 1 << 20;

export interface SecretScannerOptions {
  /** HMAC-SHA256 key of this installation: fingerprints are keyed so they cannot be brute-forced offline. */
  readonly key: Uint8Array;
  /**
   * Which matches redactText/redactValue replace: 'known' (default) only specific token formats
   * (patterns with `known: true`), 'all' also generic and heuristic matches.
   */
  readonly redactKinds?: 'known' | 'all';
  /** Matches to ignore (test keys, accepted findings): by fingerprint or by exact secret value. */
  readonly allow?: { readonly fingerprints?: readonly string[]; readonly values?: readonly string[] };
}

export interface SecretScanner {
  /** Every secret in `text` (first MAX_SCAN_CHARS), overlaps resolved, sorted by start. */
  findSecrets(text: string): SecretMatch[];
  /** `text` with each redactable secret replaced by `[REDACTED:<kind>:<fingerprint>]`, and every match found. */
  redactText(text: string): { text: string; matches: SecretMatch[] };
  /**
   * Redacts the strings inside plain objects and arrays at any depth (values, not keys). Returns
   * new containers only along the paths that changed; never mutates `value`.
   */
  redactValue<T>(value: T): { value: T; matches: SecretMatch[] };
}

/** Distinct keywords of all detectors, and for each detector the indexes of its keywords. */
const KEYWORDS: string[] = [];
const PATTERN_KEYWORDS: readonly (readonly number[])[] = SECRET_PATTERNS.map((pattern) =>
  pattern.keywords.map((keyword) => {
    let i = KEYWORDS.indexOf(keyword);
    if (i < 0) i = KEYWORDS.push(keyword) - 1;
    return i;
  }),
);

interface Candidate {
  readonly pattern: SecretPattern;
  /** Index in SECRET_PATTERNS: the tie-breaker between equal spans. */
  readonly order: number;
  readonly start: number;
  readonly end: number;
}

interface Found extends SecretMatch {
  readonly known: boolean;
}

function secretSpan(match: RegExpExecArray, pattern: SecretPattern): Span | null {
  const indices = match.indices!;
  if (pattern.secretGroup !== undefined) {
    const group = indices[pattern.secretGroup];
    return group ? { start: group[0], end: group[1] } : null;
  }
  for (let g = 1; g < indices.length; g++) {
    const group = indices[g];
    if (group) return { start: group[0], end: group[1] };
  }
  return { start: match.index, end: match.index + match[0].length };
}

/** Texts at least this long get the trigram pass before keyword lookups. */
const TRIGRAM_MIN_CHARS = 8192;

/** Index of a 4-gram of 7-bit characters in a 2^21-bit table (hashed: 4-grams have 2^28 values). */
function quadgramSlot(x: number): number {
  return Math.imul(x, 0x9e3779b1) >>> 11;
}

/**
 * Marks the keywords that cannot occur in `lower` because one of their trigrams (exact table) or
 * 4-grams (hashed table) does not: one pass over the text instead of a full `includes` scan per
 * absent keyword (about 100 of them), which is what dominates on large inputs. Characters outside
 * ASCII map to 0x7f, which no keyword contains. Two-character keywords are left to `includes`.
 */
function ruleOutKeywords(lower: string, present: Int8Array): void {
  const trigrams = new Uint32Array(1 << 16); // 2^21 bits: every trigram of 7-bit characters
  const quadgrams = new Uint32Array(1 << 16);
  let a = 0x7f;
  let b = 0x7f;
  let c = 0x7f;
  for (let i = 0; i < lower.length; i++) {
    let d = lower.charCodeAt(i);
    if (d > 0x7f) d = 0x7f;
    const t = (b << 14) | (c << 7) | d;
    trigrams[t >>> 5]! |= 1 << (t & 31);
    const q = quadgramSlot((a << 21) | t);
    quadgrams[q >>> 5]! |= 1 << (q & 31);
    a = b;
    b = c;
    c = d;
  }
  for (let k = 0; k < KEYWORDS.length; k++) {
    const keyword = KEYWORDS[k]!;
    for (let i = 0; i + 3 <= keyword.length; i++) {
      const t = (keyword.charCodeAt(i) << 14) | (keyword.charCodeAt(i + 1) << 7) | keyword.charCodeAt(i + 2);
      const q = i + 4 <= keyword.length ? quadgramSlot((t << 7) | keyword.charCodeAt(i + 3)) : -1;
      if ((trigrams[t >>> 5]! & (1 << (t & 31))) === 0 || (q >= 0 && (quadgrams[q >>> 5]! & (1 << (q & 31))) === 0)) {
        present[k] = -1;
        break;
      }
    }
  }
}

/** Every detector hit in `text`, overlapping ones included. */
function candidates(text: string): Candidate[] {
  const lower = text.toLowerCase();
  const present = new Int8Array(KEYWORDS.length); // 0 not looked up yet, 1 present, -1 absent
  if (text.length >= TRIGRAM_MIN_CHARS) ruleOutKeywords(lower, present);
  const out: Candidate[] = [];
  for (let order = 0; order < SECRET_PATTERNS.length; order++) {
    const pattern = SECRET_PATTERNS[order]!;
    let wanted = false;
    for (const k of PATTERN_KEYWORDS[order]!) {
      if (present[k] === 0) present[k] = lower.includes(KEYWORDS[k]!) ? 1 : -1;
      if (present[k] === 1) {
        wanted = true;
        break;
      }
    }
    if (!wanted) continue;
    const regex = pattern.regex;
    regex.lastIndex = 0;
    try {
      for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
        if (m[0].length === 0) {
          regex.lastIndex++;
          continue;
        }
        let span = secretSpan(m, pattern);
        if (span && pattern.refine) span = pattern.refine(m, text, span);
        if (!span || span.end <= span.start) continue;
        if (pattern.entropy !== undefined && shannonEntropy(text.slice(span.start, span.end)) < pattern.entropy) continue;
        out.push({ pattern, order, start: span.start, end: span.end });
      }
    } finally {
      regex.lastIndex = 0;
    }
  }
  return out;
}

/**
 * Keeps one match per overlapping group: specific (known) formats first, then the longer span,
 * then the earlier start, then the earlier detector. The result is sorted by start.
 */
function resolveOverlaps(found: Candidate[]): Candidate[] {
  if (found.length <= 1) return found;
  found.sort(
    (a, b) =>
      Number(b.pattern.known) - Number(a.pattern.known) || b.end - b.start - (a.end - a.start) || a.start - b.start || a.order - b.order,
  );
  const kept: Candidate[] = []; // non-overlapping, sorted by start (hence by end too)
  for (const c of found) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (kept[mid]!.start < c.start) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && kept[lo - 1]!.end > c.start) continue;
    if (lo < kept.length && kept[lo]!.start < c.end) continue;
    kept.splice(lo, 0, c);
  }
  return kept;
}

type Container = unknown[] | Record<string, unknown>;

function isContainer(value: unknown): value is Container {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

interface Frame {
  readonly src: Container;
  /** Own enumerable keys of an object; null for an array (walked by index). */
  readonly keys: readonly string[] | null;
  readonly length: number;
  i: number;
  copy: Container | null;
  readonly parent: Frame | null;
  readonly parentKey: string | number;
}

function frameOf(src: Container, parent: Frame | null, parentKey: string | number): Frame {
  const keys = Array.isArray(src) ? null : Object.keys(src);
  return { src, keys, length: keys ? keys.length : (src as unknown[]).length, i: 0, copy: null, parent, parentKey };
}

/** Defines `key` as an own, plain data property (so `__proto__` never reaches the prototype setter). */
function define(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Writes `value` at `key` of the frame's copy, made on the first write. */
function assign(frame: Frame, key: string | number, value: unknown): void {
  if (!frame.copy) {
    const src = frame.src;
    if (Array.isArray(src)) {
      frame.copy = src.slice();
    } else {
      const copy = Object.create(Object.getPrototypeOf(src) as object | null) as Record<string, unknown>;
      for (const k of frame.keys!) define(copy, k, src[k]);
      frame.copy = copy;
    }
  }
  define(frame.copy, key, value);
}

export function createSecretScanner(options: SecretScannerOptions): SecretScanner {
  const key = createSecretKey(Buffer.from(options.key));
  const redactAll = options.redactKinds === 'all';
  const allowedFingerprints = new Set(options.allow?.fingerprints ?? []);
  const allowedValues = new Set(options.allow?.values ?? []);

  const fingerprint = (value: string): string => createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 16);

  function find(text: string): Found[] {
    if (typeof text !== 'string' || text.length === 0) return [];
    const scanned = text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text;
    const out: Found[] = [];
    for (const c of resolveOverlaps(candidates(scanned))) {
      const value = scanned.slice(c.start, c.end);
      if (allowedValues.has(value)) continue;
      const fp = fingerprint(value);
      if (allowedFingerprints.has(fp)) continue;
      out.push({ kind: c.pattern.id, start: c.start, end: c.end, fingerprint: fp, known: c.pattern.known });
    }
    return out;
  }

  const toMatch = (f: Found): SecretMatch => ({ kind: f.kind, start: f.start, end: f.end, fingerprint: f.fingerprint });

  function redactText(text: string): { text: string; matches: SecretMatch[] } {
    const found = find(text);
    let out = '';
    let last = 0;
    let redacted = false;
    for (const f of found) {
      if (!f.known && !redactAll) continue;
      out += `${text.slice(last, f.start)}[REDACTED:${f.kind}:${f.fingerprint}]`;
      last = f.end;
      redacted = true;
    }
    return { text: redacted ? out + text.slice(last) : text, matches: found.map(toMatch) };
  }

  function redactValue<T>(value: T): { value: T; matches: SecretMatch[] } {
    const matches: SecretMatch[] = [];
    const redactString = (s: string): string => {
      const r = redactText(s);
      for (const m of r.matches) matches.push(m);
      return r.text;
    };
    if (typeof value === 'string') return { value: redactString(value) as T, matches };
    if (!isContainer(value)) return { value, matches };

    // Iterative post-order walk: deep values cannot overflow the stack; shared sub-objects are
    // redacted once; a cycle back to an ancestor is left pointing at the original.
    const done = new Map<object, unknown>();
    const active = new Set<object>([value]);
    const stack: Frame[] = [frameOf(value, null, '')];
    let result: unknown = value;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.i < frame.length) {
        const k: string | number = frame.keys ? frame.keys[frame.i]! : frame.i;
        frame.i++;
        const child = (frame.src as Record<string | number, unknown>)[k];
        let next: unknown = child;
        if (typeof child === 'string') {
          next = redactString(child);
        } else if (isContainer(child)) {
          if (done.has(child)) next = done.get(child);
          else if (!active.has(child)) {
            active.add(child);
            stack.push(frameOf(child, frame, k));
            continue;
          }
        }
        if (next !== child) assign(frame, k, next);
      } else {
        stack.pop();
        active.delete(frame.src);
        const out = frame.copy ?? frame.src;
        done.set(frame.src, out);
        if (!frame.parent) result = out;
        else if (out !== frame.src) assign(frame.parent, frame.parentKey, out);
      }
    }
    return { value: result as T, matches };
  }

  return {
    findSecrets: (text) => find(text).map(toMatch),
    redactText,
    redactValue,
  };
}
