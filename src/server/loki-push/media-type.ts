/**
 * Go's mime.ParseMediaType, as far as Loki's push routing depends on it (loki.md §1.1): the
 * lower-cased media type, or one of Go's error texts (`mime: no media type`, ...).
 */

/** A parsed Content-Type: the media type, or the error Go's parser reports. */
export type MediaTypeResult = { readonly mediaType: string } | { readonly error: string };

const TSPECIALS = '()<>@,;:\\"/[]?=';
const isTokenChar = (c: string): boolean => {
  const code = c.charCodeAt(0);
  return code > 0x20 && code < 0x7f && !TSPECIALS.includes(c);
};
// Go trims with unicode.IsSpace.
const trimLeft = (v: string): string => v.replace(/^[\s\u0085]+/u, '');

function consumeToken(v: string): [token: string, rest: string] {
  let i = 0;
  while (i < v.length && isTokenChar(v[i]!)) i++;
  return [v.slice(0, i), v.slice(i)];
}

function consumeValue(v: string): [value: string, rest: string] {
  if (v === '') return ['', v];
  if (v[0] !== '"') return consumeToken(v);
  let out = '';
  for (let i = 1; i < v.length; i++) {
    const c = v[i]!;
    if (c === '"') return [out, v.slice(i + 1)];
    if (c === '\\' && i + 1 < v.length && TSPECIALS.includes(v[i + 1]!)) {
      out += v[++i];
      continue;
    }
    if (c === '\r' || c === '\n') return ['', v];
    out += c;
  }
  return ['', v];
}

function consumeParam(v: string): [key: string, rest: string] {
  let rest = trimLeft(v);
  if (!rest.startsWith(';')) return ['', v];
  rest = trimLeft(rest.slice(1));
  let key: string;
  [key, rest] = consumeToken(rest);
  if (key === '') return ['', v];
  rest = trimLeft(rest);
  if (!rest.startsWith('=')) return ['', v];
  rest = trimLeft(rest.slice(1));
  const [value, after] = consumeValue(rest);
  if (value === '' && after === rest) return ['', v];
  return [key.toLowerCase(), after];
}

function checkMediaType(mediaType: string): string | undefined {
  const [type, rest] = consumeToken(mediaType);
  if (type === '') return 'mime: no media type';
  if (rest === '') return undefined;
  if (!rest.startsWith('/')) return 'mime: expected slash after first token';
  const [subtype, after] = consumeToken(rest.slice(1));
  if (subtype === '') return 'mime: expected token after slash';
  if (after !== '') return 'mime: unexpected content after media subtype';
  return undefined;
}

/** Parses a Content-Type header value the way Go's mime.ParseMediaType does (parameters are checked, not returned). */
export function parseMediaType(header: string): MediaTypeResult {
  const cut = header.indexOf(';');
  const base = cut < 0 ? header : header.slice(0, cut);
  const mediaType = base.toLowerCase().trim();
  const error = checkMediaType(mediaType);
  if (error) return { error };
  const seen = new Set<string>();
  let v = header.slice(base.length);
  while (v.length > 0) {
    v = trimLeft(v);
    if (v === '') break;
    const [key, rest] = consumeParam(v);
    if (key === '') {
      if (rest.trim() === ';') break;
      return { error: 'mime: invalid media parameter' };
    }
    if (seen.has(key)) return { error: 'mime: duplicate parameter name' };
    seen.add(key);
    v = rest;
  }
  return { mediaType };
}
