import { parseUrlRef } from './url-ref.js';
import { DNS_TOOLS } from './lists.js';
import type { FileAccess, ShellAnalysis, ShellCommand, UrlRef } from './types.js';

/** A path named by a shell command, before resolution. */
export interface ShellPath {
  readonly raw: string;
  readonly access: FileAccess;
  readonly via: string;
  readonly cwd: string;
  readonly command: number;
}

const DELETERS = new Set(['rm', 'rmdir', 'shred', 'unlink', 'truncate', 'srm', 'wipe']);
const WRITERS = new Set(['tee', 'touch', 'mkdir', 'chmod', 'chown', 'chgrp', 'chattr', 'setfacl', 'crontab']);
const COPIERS = new Set(['cp', 'mv', 'install', 'ln', 'rsync', 'scp']);
/** Commands whose every non-option argument is a file (so bare names like `secrets.json` count). */
const FILE_READERS = new Set([
  'cat', 'tac', 'less', 'more', 'head', 'tail', 'nl', 'od', 'xxd', 'hexdump', 'strings', 'base64', 'base32', 'gzip', 'bzip2',
  'xz', 'zip', 'tar', 'source', '.', 'stat', 'file', 'wc', 'md5sum', 'sha256sum', 'sha1sum', 'openssl', 'gpg', 'diff', 'cmp',
  'vi', 'vim', 'nano', 'emacs', 'code', 'bat', 'jq', 'yq', 'sort', 'uniq', 'cut', 'awk', 'sed', 'grep', 'egrep', 'fgrep', 'rg', 'ag',
  ...DELETERS, ...WRITERS, ...COPIERS,
]);
/** Commands whose first non-option argument is a pattern or program, not a file. */
const PATTERN_FIRST = new Set(['grep', 'egrep', 'fgrep', 'rg', 'ag', 'awk', 'sed', 'jq', 'yq']);
const IGNORED_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/stdin', '/dev/tty', '-']);

/** Returns whether a shell word looks like a path (`/x`, `~/x`, `./x`, `../x`, `.env`, `a/b`, `$HOME/x`). */
export function looksLikePath(word: string): boolean {
  if (!word || word.length > 4096 || /^[a-z][a-z0-9+.-]*:\/\//i.test(word)) return false;
  if (/^(\/|~(\/|$)|\.\.?\/|\$HOME(\/|$)|\$\{HOME\}(\/|$))/.test(word)) return true;
  if (/^\.[A-Za-z0-9_]/.test(word)) return true;
  return /^[\w@%+=:,.-]+\/[\w@%+=:,./-]*$/.test(word) && !word.includes('://');
}

/** Every path a parsed command line reads, writes, deletes or names, with its access (reference B.1). */
export function shellFiles(shell: ShellAnalysis, _home: string): ShellPath[] {
  const out: ShellPath[] = [];
  shell.commands.forEach((cmd, index) => {
    const push = (raw: string, access: FileAccess) => {
      const cleaned = raw.replace(/^@/, '');
      if (!cleaned || IGNORED_TARGETS.has(cleaned) || /^\$(?!HOME\b|\{HOME\})/.test(cleaned)) return;
      out.push({ raw: cleaned, access, via: cmd.name || 'shell', cwd: cmd.cwd, command: index });
    };
    if (cmd.word && /^(\/|\.\.?\/|~\/)/.test(cmd.word)) push(cmd.word, 'exec');
    argPaths(cmd).forEach(({ raw, access }) => push(raw, access));
    for (const r of cmd.redirects) {
      if (!r.target || /^\d+$|^-$/.test(r.target) || r.op.startsWith('<<')) continue;
      const access: FileAccess = r.op === '<' ? 'read' : r.op === '<>' ? 'write' : 'write';
      if (r.op.includes('&') && /^\d+$/.test(r.target)) continue;
      out.push({ raw: r.target, access, via: 'redirect', cwd: cmd.cwd, command: index });
    }
  });
  return out;
}

function argPaths(cmd: ShellCommand): { raw: string; access: FileAccess }[] {
  const name = cmd.name;
  const operands: string[] = [];
  const out: { raw: string; access: FileAccess }[] = [];
  let skippedPattern = !PATTERN_FIRST.has(name);
  for (const arg of cmd.args) {
    const eq = /^-{1,2}[\w-]+=(.+)$/.exec(arg);
    if (eq) {
      if (looksLikePath(eq[1]!)) out.push({ raw: eq[1]!, access: name === 'dd' && arg.startsWith('of=') ? 'write' : 'arg' });
      continue;
    }
    if (name === 'dd' && /^(if|of)=/.test(arg)) {
      out.push({ raw: arg.slice(3), access: arg.startsWith('of=') ? 'write' : 'read' });
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') continue;
    if (!skippedPattern) {
      skippedPattern = true;
      continue;
    }
    if (arg.startsWith('@') && looksLikePath(arg.slice(1))) out.push({ raw: arg.slice(1), access: 'read' });
    else if (looksLikePath(arg) || (FILE_READERS.has(name) && /^[\w.@%+,-][\w.@%+,/-]*$/.test(arg) && /[./]/.test(arg))) operands.push(arg);
  }
  const last = operands.length - 1;
  operands.forEach((raw, i) => out.push({ raw, access: accessOf(name, i === last && operands.length > 1) }));
  return out;
}

function accessOf(name: string, isLastOperand: boolean): FileAccess {
  if (DELETERS.has(name)) return 'delete';
  if (WRITERS.has(name)) return 'write';
  if (COPIERS.has(name)) return isLastOperand ? 'write' : 'read';
  if (name === 'cd' || name === 'pushd') return 'arg';
  return FILE_READERS.has(name) ? 'read' : 'arg';
}

const HOST_FIRST = new Set(['nc', 'ncat', 'netcat', 'telnet', ...DNS_TOOLS]);

/** Every URL or network host a parsed command line names. */
export function shellUrls(shell: ShellAnalysis): UrlRef[] {
  const out: UrlRef[] = [];
  shell.commands.forEach((cmd, index) => {
    const via = cmd.name || 'shell';
    for (const arg of cmd.args) {
      for (const m of arg.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi)) out.push(parseUrlRef(m[0], via, index));
    }
    if (HOST_FIRST.has(cmd.name)) {
      const host = cmd.args.find((a, i) => !/^[-+]/.test(a) && !isOptionValue(cmd.args, i) && !/^\d+(-\d+)?$/.test(a));
      if (host && !host.includes('://')) out.push(parseUrlRef(host.replace(/^@/, ''), via, index));
    }
    if (['curl', 'wget', 'http', 'xh'].includes(cmd.name)) {
      for (const [i, a] of cmd.args.entries()) {
        if (!a.startsWith('-') && !a.includes('://') && !isOptionValue(cmd.args, i) && /^[\w-]+(\.[\w-]+)+(:\d+)?(\/\S*)?$/.test(a)) {
          out.push(parseUrlRef(a, via, index));
        }
      }
    }
    if (['ssh', 'scp', 'sftp', 'rsync'].includes(cmd.name)) {
      for (const a of cmd.args) {
        const m = /^(?:[\w.-]+@)?([\w.-]+\.[a-z]{2,}|\d+\.\d+\.\d+\.\d+)(?::|$)/i.exec(a);
        if (m && !a.startsWith('-')) out.push(parseUrlRef(m[1]!, via, index));
      }
    }
  });
  return out;
}

/** Options of network tools that take a separate value (the value is not a host or operand). */
const VALUE_OPTIONS = new Set([
  '-o', '-O', '-H', '-d', '-X', '-u', '-A', '-e', '-b', '-c', '-F', '-T', '-w', '-p', '-i', '-m', '-x', '-q', '-t', '-W', '-s',
  '--data', '--data-binary', '--data-raw', '--header', '--output', '--user', '--request', '--form', '--upload-file',
  '-P', '-l', '-I', '-l', '-k', '--max-time', '--connect-timeout', '--retry', '--user-agent', '--referer',
]);

function isOptionValue(args: readonly string[], i: number): boolean {
  return i > 0 && VALUE_OPTIONS.has(args[i - 1]!);
}
