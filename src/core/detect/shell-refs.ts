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
/** Commands whose operands are files even as bare names without `.` or `/` (`rm -rf spool`, `mv journal old`). */
const BARE_OPERANDS = new Set([...DELETERS, ...COPIERS, 'touch', 'mkdir', 'tee']);
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

/** Downloaders' output-file options (short letter, long name). */
const OUTPUT_OPTS: Readonly<Record<string, { short: string; long: string }>> = {
  curl: { short: 'o', long: '--output' },
  wget: { short: 'O', long: '--output-document' },
};

function argPaths(cmd: ShellCommand): { raw: string; access: FileAccess }[] {
  const name = cmd.name;
  const operands: string[] = [];
  const out: { raw: string; access: FileAccess }[] = [];
  let skippedPattern = !PATTERN_FIRST.has(name);
  const output = OUTPUT_OPTS[name];
  let writeNext = false;
  for (const arg of cmd.args) {
    // `curl -o FILE`, `curl -fsSLo FILE`, `wget -O FILE`, `--output=FILE`: the file is written.
    if (writeNext) {
      writeNext = false;
      if (arg !== '-' && /^[\w.@%+,~$/-][\w.@%+,/{}$-]*$/.test(arg)) {
        out.push({ raw: arg, access: 'write' });
        continue;
      }
    }
    if (output && (arg === output.long || (/^-[a-zA-Z]+$/.test(arg) && arg.endsWith(output.short)))) {
      writeNext = true;
      continue;
    }
    if (output && arg.startsWith(`${output.long}=`)) {
      out.push({ raw: arg.slice(output.long.length + 1), access: 'write' });
      continue;
    }
    const eq = /^-{1,2}[\w-]+=(.+)$/.exec(arg);
    if (eq) {
      if (looksLikePath(eq[1]!)) out.push({ raw: eq[1]!, access: name === 'dd' && arg.startsWith('of=') ? 'write' : 'arg' });
      continue;
    }
    if (name === 'dd' && /^(if|of)=/.test(arg)) {
      out.push({ raw: arg.slice(3), access: arg.startsWith('of=') ? 'write' : 'read' });
      continue;
    }
    const assign = /^[A-Za-z_]\w*=(.*)$/s.exec(arg);
    if (assign) {
      // `export X=/path`, `make DESTDIR=/x`: the value may be a path; the word as a whole is not.
      if (looksLikePath(assign[1]!)) out.push({ raw: assign[1]!, access: 'arg' });
      // curl -F `field=@file` / `field=<file`, httpie `field=@file`: the file's content is sent.
      else if (/^[@<]/.test(assign[1]!) && looksLikePath(assign[1]!.slice(1).replace(/;.*$/, ''))) out.push({ raw: assign[1]!.slice(1).replace(/;.*$/, ''), access: 'read' });
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') continue;
    if (!skippedPattern) {
      skippedPattern = true;
      continue;
    }
    if (arg.startsWith('@') && looksLikePath(arg.slice(1))) out.push({ raw: arg.slice(1), access: 'read' });
    else if (looksLikePath(arg) || (FILE_READERS.has(name) && /^[\w.@%+,-][\w.@%+,/-]*$/.test(arg) && (/[./]/.test(arg) || (BARE_OPERANDS.has(name) && !/^\d+$/.test(arg))))) operands.push(arg);
  }
  const last = operands.length - 1;
  // `sed -i` / `sed --in-place` rewrites its file operands.
  const inPlace = name === 'sed' && cmd.args.some((a) => /^--in-place(=|$)/.test(a) || /^-[a-zA-Z]*i/.test(a));
  operands.forEach((raw, i) => out.push({ raw, access: inPlace ? 'write' : accessOf(name, i === last && operands.length > 1) }));
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
      // The scheme regex would rescan a long run of word characters from every start: only look where a URL can be.
      if (!arg.includes('://')) continue;
      for (const m of (arg.length > 8192 ? arg.slice(0, 8192) : arg).matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi)) out.push(parseUrlRef(m[0], via, index));
    }
    if (HOST_FIRST.has(cmd.name)) {
      const host = cmd.args.find((a, i) => !/^[-+]/.test(a) && !isOptionValue(cmd.name, cmd.args, i) && !/^\d+(-\d+)?$/.test(a));
      if (host && !host.includes('://')) out.push(parseUrlRef(host.replace(/^@/, ''), via, index));
    }
    if (['curl', 'wget', 'http', 'xh'].includes(cmd.name)) {
      for (const [i, a] of cmd.args.entries()) {
        if (!a.startsWith('-') && !a.includes('://') && !isOptionValue(cmd.name, cmd.args, i) && /^[\w-]+(\.[\w-]+)+(:\d+)?(\/\S*)?$/.test(a)) {
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
/** Options that take a separate value, per network tool (the value is not a host or operand). */
const VALUE_OPTIONS: Record<string, ReadonlySet<string>> = {
  curl: new Set([
    '-o', '-H', '-d', '-X', '-u', '-A', '-e', '-b', '-c', '-F', '-T', '-w', '-m', '-x', '-K', '-E', '-r', '-Y', '-y', '-z', '-C', '-D', '-U', '-Q',
    '--data', '--data-binary', '--data-raw', '--data-urlencode', '--header', '--output', '--user', '--request', '--form',
    '--upload-file', '--max-time', '--connect-timeout', '--retry', '--user-agent', '--referer', '--proxy', '--cacert',
    '--cert', '--key', '--resolve', '--connect-to', '--config', '--cookie', '--cookie-jar', '--write-out', '--url',
  ]),
  wget: new Set(['-O', '-o', '-a', '-e', '-t', '-T', '-w', '-U', '-P', '-i', '--header', '--post-data', '--post-file', '--body-data', '--body-file', '--user-agent', '--output-document', '--method']),
  nc: new Set(['-p', '-s', '-w', '-i', '-q', '-x', '-X', '-e', '-c', '-I', '-O', '-T', '-V', '-W']),
  ping: new Set(['-c', '-i', '-s', '-t', '-w', '-W', '-I', '-l', '-p', '-Q', '-m', '-M', '-S']),
  dig: new Set(['-t', '-c', '-p', '-q', '-y', '-k', '-b', '-f', '-x']),
  ssh: new Set(['-i', '-p', '-o', '-l', '-F', '-J', '-L', '-R', '-D', '-b', '-c', '-E', '-e', '-m', '-O', '-Q', '-S', '-W', '-w', '-B', '-P']),
  telnet: new Set(['-l', '-e', '-n', '-b']),
};
const ALIASES: Record<string, string> = { ncat: 'nc', netcat: 'nc', ping6: 'ping', nslookup: 'dig', host: 'dig', drill: 'dig', kdig: 'dig', scp: 'ssh', sftp: 'ssh', http: 'curl', https: 'curl', xh: 'curl' };

function isOptionValue(name: string, args: readonly string[], i: number): boolean {
  const options = VALUE_OPTIONS[ALIASES[name] ?? name];
  return i > 0 && options !== undefined && options.has(args[i - 1]!);
}
