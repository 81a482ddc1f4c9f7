/**
 * Go formatting that Loki's messages are made of (strconv.Quote, %q, %#U, time.RFC3339, go-humanize),
 * reproduced so that our error texts match Loki's byte for byte.
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Returns whether Go's strconv.IsPrint holds for a code point (letters, marks, numbers, punctuation, symbols, ASCII space). */
export function isGoPrint(cp: number): boolean {
  if (cp < 0x7f) return cp >= 0x20;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

function escapeRune(cp: number, quote: number): string {
  if (cp === quote || cp === 0x5c) return `\\${String.fromCodePoint(cp)}`;
  if (isGoPrint(cp)) return String.fromCodePoint(cp);
  switch (cp) {
    case 0x07: return '\\a';
    case 0x08: return '\\b';
    case 0x0c: return '\\f';
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    case 0x0b: return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** Code points of a string, a lone surrogate read as U+FFFD (what Go sees after decoding). */
function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0xfffd;
    out.push(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp);
  }
  return out;
}

/** Go's strconv.Quote (also `%q` of a string); `maxRunes` gives `%.Nq`. */
export function goQuote(text: string, maxRunes = Infinity): string {
  let out = '"';
  let n = 0;
  for (const cp of codePoints(text)) {
    if (n++ >= maxRunes) break;
    out += escapeRune(cp, 0x22);
  }
  return `${out}"`;
}

/** Go's `%q` of a rune (strconv.QuoteRune): `'x'`. */
export function goQuoteRune(cp: number): string {
  return `'${escapeRune(cp, 0x27)}'`;
}

/** Go's `%#U` of a rune: `U+0071 'q'`, without the quoted form when it is not printable. */
export function goUnicode(cp: number): string {
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return isGoPrint(cp) ? `${hex} '${String.fromCodePoint(cp)}'` : hex;
}

const NS_PER_SECOND = 1_000_000_000n;

/** Go's `time.Unix(0, ns).UTC().Format(time.RFC3339)`, e.g. `2019-10-11T18:23:58Z` (no fraction). */
export function rfc3339(ns: bigint): string {
  let seconds = ns / NS_PER_SECOND;
  if (ns < 0n && seconds * NS_PER_SECOND !== ns) seconds -= 1n;
  const ms = Number(seconds) * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return `${ns}ns`;
  const date = new Date(ms);
  const iso = date.toISOString();
  // toISOString writes years outside 0..9999 as ±YYYYYY; Go writes them with their plain digits.
  const year = date.getUTCFullYear();
  const yearText = year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0');
  return `${yearText}${iso.slice(iso.indexOf('-', 1), iso.indexOf('.'))}Z`;
}

const SI_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/** go-humanize's Bytes (SI units): 16777216 → `17 MB`. */
export function humanizeBytes(size: number): string {
  if (size < 10) return `${size} B`;
  const e = Math.floor(Math.log(size) / Math.log(1000));
  const unit = SI_UNITS[e] ?? 'EB';
  const value = Math.floor((size / 1000 ** e) * 10 + 0.5) / 10;
  return value < 10 ? `${value.toFixed(1)} ${unit}` : `${value.toFixed(0)} ${unit}`;
}
