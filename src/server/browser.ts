import type { IncomingMessage } from 'node:http';

/**
 * Returns whether a browser sent the request. Hook clients and Loki clients are not browsers; a web page
 * the user has open can still reach 127.0.0.1 with a "simple" cross-site POST, so intake endpoints refuse
 * requests that carry Origin or a cross-site Sec-Fetch-Site.
 */
export function isFromBrowser(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  return req.headers.origin !== undefined || (site !== undefined && site !== 'none' && site !== 'same-origin');
}
