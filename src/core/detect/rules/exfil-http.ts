/**
 * Argument parsing of HTTP clients (curl, wget, httpie/xh) for the EXFIL rules: which words are
 * their targets, and which local files they send. Pure.
 */
import type { ShellCommand } from '../types.js';

/** curl short options that take a value (attached or as the next word). */
export const CURL_SHORT_VALUE = 'AbcCdDeEFHKmoPQrTtuUwxXyYz';
/** curl long options that take a value when written without `=`. */
export const CURL_LONG_VALUE = /^--(?:data(?:-binary|-ascii|-raw|-urlencode)?|json|form(?:-string)?|upload-file|header|output|user|request|user-agent|referer|cookie|cookie-jar|proxy|url|config|write-out|max-time|connect-timeout|retry|range|cacert|cert|key|resolve|connect-to|netrc-file|variable|expand-[\w-]+|proxy-user|oauth2-bearer|output-dir|dns-servers|interface|local-port|limit-rate|max-filesize|retry-delay|retry-max-time|trace|trace-ascii|stderr|dump-header|ciphers|pinnedpubkey|unix-socket|abstract-unix-socket|doh-url|aws-sigv4|mail-from|mail-rcpt|ftp-port|quote)$/;
const WGET_SHORT_VALUE = /^-[OoPUaeiBTtwQlAXDR]$/;
const WGET_LONG_VALUE = /^--(?:header|output-document|output-file|user-agent|post-data|post-file|body-data|body-file|method|directory-prefix|user|password|http-user|http-password|referer|tries|timeout|wait|quota|level|accept|reject|domains|exclude-domains|load-cookies|save-cookies|input-file|base|ca-certificate|certificate|private-key)$/;

/** Operands of curl or wget (their URLs, possibly bare hosts), option values skipped; `--url X` included. */
export function httpTargets(cmd: ShellCommand): string[] {
  const out: string[] = [];
  const args = cmd.args;
  const curl = cmd.name === 'curl';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--url') {
      out.push(args[++i] ?? '');
      continue;
    }
    if (a.startsWith('--url=')) {
      out.push(a.slice(6));
      continue;
    }
    if (a.startsWith('--')) {
      if (!a.includes('=') && (curl ? CURL_LONG_VALUE : WGET_LONG_VALUE).test(a)) i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      if (curl) {
        for (let j = 1; j < a.length; j++) {
          if (!CURL_SHORT_VALUE.includes(a[j]!)) continue;
          if (j + 1 === a.length) i++;
          break;
        }
      } else if (WGET_SHORT_VALUE.test(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out.filter(Boolean);
}

/** A file an HTTP client sends: `@file` data, `-F f=@file`, `-T file`, `--post-file`, httpie `@file`. */
export interface Upload {
  /** The file as written; '-' for stdin. */
  readonly file: string;
  readonly text: string;
}

/** Uploaded file of one curl option value, if it sends a file. */
function curlValueFile(opt: string, value: string): string | undefined {
  if (/^(?:d|--data|--data-binary|--data-ascii|--json)$/.test(opt)) return value.startsWith('@') ? value.slice(1) : undefined;
  if (opt === '--data-urlencode') {
    const m = /^[^=@]*@(.+)$/.exec(value);
    return m?.[1];
  }
  if (opt === 'F' || opt === '--form') {
    const m = /^[^=]+=[@<]([^;]+)/.exec(value);
    return m?.[1];
  }
  if (opt === 'T' || opt === '--upload-file') return value;
  return undefined;
}

function curlUploads(cmd: ShellCommand): Upload[] {
  const out: Upload[] = [];
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const long = /^(--[\w-]+)(?:=(.*))?$/s.exec(a);
    if (long) {
      if (!CURL_LONG_VALUE.test(long[1]!)) continue;
      const value = long[2] ?? args[++i] ?? '';
      const file = curlValueFile(long[1]!, value);
      if (file) out.push({ file, text: `${long[1]} ${value}` });
      continue;
    }
    if (!/^-[A-Za-z]/.test(a)) continue;
    for (let j = 1; j < a.length; j++) {
      const ch = a[j]!;
      if (!CURL_SHORT_VALUE.includes(ch)) continue;
      const value = j + 1 < a.length ? a.slice(j + 1) : (args[++i] ?? '');
      const file = curlValueFile(ch, value);
      if (file) out.push({ file, text: `-${ch} ${value}` });
      break;
    }
  }
  return out;
}

function wgetUploads(cmd: ShellCommand): Upload[] {
  const out: Upload[] = [];
  cmd.args.forEach((a, i) => {
    const m = /^--(post-file|body-file)(?:=(.*))?$/.exec(a);
    if (m) out.push({ file: m[2] ?? cmd.args[i + 1] ?? '', text: a });
  });
  return out.filter((u) => u.file);
}

/**
 * httpie/xh request items after the (optional METHOD and the) URL: `@file` (body), `field@file`
 * (file field), `field=@file`, `field:=@file`.
 */
function httpieUploads(cmd: ShellCommand): Upload[] {
  const out: Upload[] = [];
  const ops = cmd.args.filter((a) => !a.startsWith('-'));
  const urlAt = /^[A-Z]+$/.test(ops[0] ?? '') ? 1 : 0;
  for (const a of ops.slice(urlAt + 1)) {
    const m = /^[^=:@\s/]*(?:=@|:=@|@)(.+)$/.exec(a);
    if (m) out.push({ file: m[1]!, text: a });
  }
  return out;
}

export function uploadsOf(cmd: ShellCommand): Upload[] {
  if (cmd.name === 'curl') return curlUploads(cmd);
  if (cmd.name === 'wget' || cmd.name === 'wget2') return wgetUploads(cmd);
  if (['http', 'https', 'xh', 'xhs'].includes(cmd.name)) return httpieUploads(cmd);
  return [];
}
