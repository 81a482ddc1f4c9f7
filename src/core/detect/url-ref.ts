import type { UrlRef } from './types.js';

/** Parses a URL (or a bare host) into a UrlRef; unparsable input keeps an empty host. */
export function parseUrlRef(raw: string, via: string, command?: number): UrlRef {
  const extra = command === undefined ? {} : { command };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return { raw, host: '', href: raw, pathname: '', search: '', via, ...extra };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  try {
    const u = new URL(withScheme);
    return { raw, host: u.hostname.replace(/\.$/, '').toLowerCase(), href: u.href, pathname: u.pathname, search: u.search, via, ...extra };
  } catch {
    return { raw, host: '', href: raw, pathname: '', search: '', via, ...extra };
  }
}
