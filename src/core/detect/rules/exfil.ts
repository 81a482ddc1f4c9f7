/**
 * EXFIL (part 1, command structure): file uploads by HTTP clients, credential content flowing into
 * network tools, raw socket egress, pushes and publishes to unexpected places, and archiving or
 * encoding credential directories (security reference B.4). Host-, URL- and content-based EXFIL
 * rules are in exfil-net.ts; EXFIL_RULES has all of them.
 */
import { NET_TOOLS, isInterpreter, isLocalHost } from '../lists.js';
import { commands, defineRule, evidenceOf, hasFlag, hit, operands } from '../rule-kit.js';
import type { EventFacts, RuleHit, ShellCommand } from '../types.js';
import { uploadsOf } from './exfil-http.js';
import { EXFIL_NET_RULES } from './exfil-net.js';
import { allLocal, ancestors, isCredPath, opaqueCode, opaqueEntries, opaquePaths, sensitiveKind, sensitiveShellRefs, tier1Of, urlsOf } from './exfil-util.js';

const exfil001 = defineRule(
  {
    id: 'AGT-EXFIL-001',
    title: 'Local file uploaded by HTTP client',
    category: 'EXFIL',
    severity: 'medium',
    tools: ['Bash'],
    attack: ['T1567', 'T1048'],
    atlas: ['AML.T0086'],
    owasp: ['ASI02'],
    description:
      'curl -d/--data*/--json @file, -F field=@file or field=<file, -T/--upload-file; wget --post-file/--body-file; httpie/xh @file or field@file; stdin (`@-`, `-T -`) counts when it is fed by a pipe or a redirect. Local destinations are ignored. High when the file is a credential store or secret file, or the destination is a paste/request-bin/tunnel host.',
  },
  (facts) => {
    if (facts.tool !== 'Bash' || !facts.shell) return [];
    const hits: RuleHit[] = [];
    for (const [i, cmd] of commands(facts).entries()) {
      const uploads = uploadsOf(cmd);
      if (uploads.length === 0) continue;
      const urls = urlsOf(facts, i);
      if (allLocal(urls)) continue;
      const stdinFile = cmd.redirects.find((r) => r.op === '<')?.target;
      const fed = cmd.stage > 0 || stdinFile !== undefined || cmd.redirects.some((r) => r.op.startsWith('<<'));
      const files = uploads.filter((u) => u.file !== '-' && u.file !== '.').map((u) => u.file);
      if (files.length === 0 && !fed) continue;
      if (stdinFile && uploads.some((u) => u.file === '-' || u.file === '.')) files.push(stdinFile);
      const sensitive = files.some((f) => {
        const { abs, real } = facts.resolve(f, cmd.cwd);
        return sensitiveKind(abs, real, facts.home) !== undefined;
      });
      const tier1 = urls.some((u) => tier1Of(u));
      hits.push(...hit(cmd.text, sensitive || tier1 ? 'high' : undefined, sensitive ? 'The uploaded file holds credentials or secrets.' : tier1 ? 'The destination is a paste, request-bin or tunnel service.' : undefined));
    }
    return hits.slice(0, 3);
  },
);

/** Interpreter one-liners that talk to the network. */
const NET_ONE_LINER = /https?:\/\/|\bsocket\b|urllib|requests\.(?:post|put|get)|http\.client|\bfetch\(|net\.connect|Net::HTTP|IO::Socket|LWP|HTTP::Tiny|TCPSocket|fsockopen|curl_exec/;
const NET_WORD = new RegExp(`(?:^|[\\s;|&(\`/])(?:${NET_TOOLS.filter((t) => t !== 'openssl').join('|')})\\s`);
/** Commands that load a secret file into the shell rather than print it. */
const LOADERS = new Set(['source', '.', 'set', 'export', 'dotenv']);

/** Whether a command sends data over the network (to somewhere other than this machine). */
function isNetSender(facts: EventFacts, cmd: ShellCommand, index: number): boolean {
  const net = NET_TOOLS.includes(cmd.name) ? cmd.name !== 'openssl' || cmd.args.includes('s_client') : isInterpreter(cmd.name) && cmd.args.some((a) => NET_ONE_LINER.test(a));
  return net && !allLocal(urlsOf(facts, index));
}

const exfil002 = defineRule(
  {
    id: 'AGT-EXFIL-002',
    title: 'Credential/secret content piped to a network tool',
    category: 'EXFIL',
    severity: 'critical',
    tools: ['Bash'],
    attack: ['T1041', 'T1048', 'T1132', 'T1560'],
    atlas: ['AML.T0086'],
    owasp: ['LLM02:2025', 'ASI01', 'ASI02'],
    description:
      'In one command line (a pipeline, or a list joined by &&, || or ;, nested sh -c included) a command reads a credential store, credential directory or secret file and a later command (or an enclosing one, for `curl -d "$(cat …)"`) is a network tool or an interpreter with a network one-liner; also a network tool that itself sends such a file to a remote host.',
  },
  (facts) => {
    if (facts.tool !== 'Bash' || !facts.shell) return [];
    const cmds = commands(facts);
    const senders = cmds.map((c, i) => isNetSender(facts, c, i));
    if (!senders.some(Boolean)) return [];
    for (const r of sensitiveShellRefs(facts, ['read', 'arg'])) {
      const reader = cmds[r.command]!;
      if (LOADERS.has(reader.name)) continue;
      if (senders[r.command]) {
        if (urlsOf(facts, r.command).some((u) => u.host && !isLocalHost(u.host))) return hit(reader.text, undefined, `Sends ${r.raw}.`);
        continue;
      }
      const up = ancestors(cmds, r.command).find((j) => senders[j]);
      if (up !== undefined) return hit(cmds[up]!.text, undefined, `Sends ${r.raw}.`);
      const later = cmds.findIndex((c, j) => j > r.command && senders[j] && !ancestors(cmds, r.command).includes(j));
      if (later >= 0) return hit(evidenceOf(`${reader.text} … ${cmds[later]!.text}`), undefined, `Reads ${r.raw}, then sends data.`);
    }
    // Fail closed on code the parser could not look into (bash -c "…$(x)…", interpreter one-liners, parse errors).
    for (const { code, command } of opaqueEntries(facts)) {
      const p = opaquePaths(facts, code).find((x) => sensitiveKind(x.abs, x.real, facts.home) !== undefined && !code.includes(`-i ${x.raw}`));
      if (!p) continue;
      if (NET_WORD.test(code) || NET_ONE_LINER.test(code)) return hit(code, undefined, `Reads ${p.raw} and uses the network (unparsed code).`);
      const sink = command < 0 ? -1 : cmds.findIndex((c, j) => senders[j] && (j > command || ancestors(cmds, command).includes(j)));
      if (sink >= 0) return hit(evidenceOf(`${cmds[command]!.text} … ${cmds[sink]!.text}`), undefined, `Reads ${p.raw}, then sends data.`);
    }
    return [];
  },
);

/** AGT-EXFIL-005: raw sockets. */
const RAW_CLIENTS = new Set(['nc', 'ncat', 'netcat', 'telnet']);
const DEV_NET = /^\/dev\/(?:tcp|udp)\/([^/]+)\/\d+/;
const DEV_NET_TEXT = /\/dev\/(?:tcp|udp)\/([^/\s'"]+)\/\d+/g;
const SOCAT_NET = /^(?:tcp[46]?|udp[46]?|openssl|ssl|sctp)(?:-(?:connect|sendto))?:([^:,]+):\d+/i;
const SOCAT_SOURCE = /^(?:file|open|gopen|create|exec|system|pipe):/i;

const exfil005 = defineRule(
  {
    id: 'AGT-EXFIL-005',
    title: 'Raw socket egress (netcat, socat, /dev/tcp)',
    category: 'EXFIL',
    severity: 'high',
    tools: ['Bash'],
    attack: ['T1048', 'T1095'],
    atlas: ['AML.T0086'],
    description:
      'nc/ncat/netcat/telnet connecting out (not -l, not -z) with stdin from a file redirect or a pipe; socat from a file, a program, or piped stdin to a TCP/UDP/SSL address; or any redirect or argument to /dev/tcp/… or /dev/udp/…. Local destinations are ignored.',
  },
  (facts) => {
    if (facts.tool !== 'Bash' || !facts.shell) return [];
    const cmds = commands(facts);
    for (const [i, cmd] of cmds.entries()) {
      for (const r of cmd.redirects) {
        const m = DEV_NET.exec(r.target);
        if (m && !isLocalHost(m[1]!)) return hit(cmd.text);
      }
      // stdin from a pipe or a file (a literal heredoc or herestring is a hand-written request, not a file).
      const fed = cmd.stage > 0 || cmd.redirects.some((r) => r.op === '<');
      if (RAW_CLIENTS.has(cmd.name)) {
        if (!fed || hasFlag(cmd, 'lz', ['--listen'])) continue;
        const urls = urlsOf(facts, i);
        if (!allLocal(urls)) return hit(cmd.text);
      } else if (cmd.name === 'socat') {
        const net = cmd.args.map((a) => SOCAT_NET.exec(a)?.[1]).find((h) => h !== undefined && !isLocalHost(h.toLowerCase()));
        if (!net) continue;
        const source = cmd.args.some((a) => SOCAT_SOURCE.test(a)) || (fed && cmd.args.some((a) => /^(?:-|stdin|stdio)$/i.test(a)));
        if (source) return hit(cmd.text);
      }
    }
    for (const f of facts.files) {
      const m = DEV_NET.exec(f.abs);
      if (m && f.via !== 'redirect' && !isLocalHost(m[1]!)) return hit(f.command !== undefined ? cmds[f.command]!.text : f.raw);
    }
    for (const code of opaqueCode(facts)) {
      for (const m of code.matchAll(DEV_NET_TEXT)) if (!isLocalHost(m[1]!)) return hit(code, undefined, 'Raw socket in unparsed shell code.');
    }
    return [];
  },
);

/** AGT-EXFIL-008: pushes and publishes. */
const GIT_GLOBAL_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path']);
/** A git remote given as a URL or scp-like `user@host:path` rather than a remote name or a local path. */
const REMOTE_URL = /^[a-z][a-z0-9+.-]*:\/\/|^[\w.-]+@[\w.-]+:|^[\w-]+(\.[\w-]+)+:(?!\/\/)/i;

/** git's subcommand and the words after it, global options skipped. */
function gitSub(cmd: ShellCommand): { sub: string; rest: string[] } | undefined {
  const a = cmd.args;
  for (let i = 0; i < a.length; i++) {
    if (GIT_GLOBAL_VALUE.has(a[i]!)) {
      i++;
      continue;
    }
    if (a[i]!.startsWith('-')) continue;
    return { sub: a[i]!, rest: a.slice(i + 1) };
  }
  return undefined;
}

const PUBLISHERS: readonly { name: string; seq: readonly string[] }[] = [
  { name: 'npm', seq: ['publish'] }, { name: 'pnpm', seq: ['publish'] }, { name: 'yarn', seq: ['publish'] }, { name: 'yarn', seq: ['npm', 'publish'] },
  { name: 'bun', seq: ['publish'] }, { name: 'twine', seq: ['upload'] }, { name: 'cargo', seq: ['publish'] }, { name: 'poetry', seq: ['publish'] },
  { name: 'gem', seq: ['push'] }, { name: 'uv', seq: ['publish'] }, { name: 'hatch', seq: ['publish'] }, { name: 'flit', seq: ['publish'] },
];

function exfil008Match(cmd: ShellCommand): string | undefined {
  const ops = operands(cmd);
  if (cmd.name === 'git') {
    const g = gitSub(cmd);
    if (!g) return undefined;
    const rest = g.rest.filter((a) => !a.startsWith('-'));
    if (g.sub === 'remote' && (rest[0] === 'add' || rest[0] === 'set-url') && rest.slice(1).some((a) => REMOTE_URL.test(a))) return 'Adds or changes a git remote URL.';
    if (g.sub === 'push') {
      if (g.rest.some((a) => /^--repo=/.test(a) && REMOTE_URL.test(a.slice(7)))) return 'Pushes to a URL instead of a configured remote.';
      if (rest[0] && REMOTE_URL.test(rest[0])) return 'Pushes to a URL instead of a configured remote.';
    }
    return undefined;
  }
  if (cmd.name === 'gh') {
    if (ops[0] === 'gist' && ops[1] === 'create') return 'Creates a gist.';
    if (ops[0] === 'repo' && ops[1] === 'create' && cmd.args.some((a) => a === '--public' || a === '--visibility=public' || (a === 'public' && cmd.args[cmd.args.indexOf(a) - 1] === '--visibility'))) {
      return 'Creates a public repository.';
    }
    return undefined;
  }
  for (const p of PUBLISHERS) {
    if (p.name !== cmd.name || !p.seq.every((s, j) => ops[j] === s)) continue;
    if (cmd.args.includes('--dry-run') || (cmd.name === 'cargo' && cmd.args.includes('-n'))) return undefined;
    return 'Publishes a package.';
  }
  return undefined;
}

const exfil008 = defineRule(
  {
    id: 'AGT-EXFIL-008',
    title: 'Push or publish to an unexpected destination',
    category: 'EXFIL',
    severity: 'medium',
    tools: ['Bash'],
    attack: ['T1567.001'],
    atlas: ['AML.T0086'],
    owasp: ['ASI02'],
    description:
      'git remote add|set-url with a URL, git push to a URL instead of a remote name, gh gist create, gh repo create --public, and package publishing (npm/pnpm/yarn/bun publish, twine upload, cargo publish, poetry publish, gem push…; dry runs excluded). There is no organisation allowlist yet, so every such command is recorded.',
  },
  (facts) => {
    if (facts.tool !== 'Bash' || !facts.shell) return [];
    for (const cmd of commands(facts)) {
      const note = exfil008Match(cmd);
      if (note) return hit(cmd.text, undefined, note);
    }
    return [];
  },
);

/** AGT-EXFIL-009: archive or encode a home or credential directory. */
const ARCHIVERS = new Set(['tar', 'bsdtar', 'gtar', 'zip', '7z', '7za', '7zz', 'rar', 'gzip', 'pigz', 'bzip2', 'xz', 'zstd', 'lz4', 'base64', 'base32', 'basenc', 'xxd', 'uuencode', 'cpio', 'ditto']);
const OPENSSL_ENCODE = /^(?:enc|base64|aes|des|bf|cast|camellia|chacha|rc4|sm4|seed|aria)/;

function exfil009Target(facts: EventFacts, cmd: ShellCommand, index: number): string | undefined {
  const home = facts.home.replace(/\/+$/, '');
  const isHomeLike = (abs: string) => {
    const p = abs.replace(/\/+$/, '') || '/';
    // `~/*`, `~/.*`, `~/{.,}*`: every entry of home.
    return p === home || (p.startsWith(`${home}/`) && !p.slice(home.length + 1).includes('/') && /^[.{},]*\*+$/.test(p.slice(home.length + 1)));
  };
  const sensitive = (abs: string, real: string) => isHomeLike(abs) || isCredPath(abs, facts.home) || sensitiveKind(abs, real, facts.home) === 'cred-dir';
  // tar -C DIR: later operands are relative to DIR.
  let base = cmd.cwd;
  const tarLike = cmd.name === 'tar' || cmd.name === 'bsdtar' || cmd.name === 'gtar';
  for (let i = 0; i < cmd.args.length; i++) {
    const a = cmd.args[i]!;
    if (tarLike && (a === '-C' || a === '--directory')) {
      base = facts.resolve(cmd.args[++i] ?? '.', base).abs;
      continue;
    }
    if (tarLike && a.startsWith('--directory=')) {
      base = facts.resolve(a.slice(12), base).abs;
      continue;
    }
    if (a.startsWith('-') || /^https?:/.test(a)) continue;
    const { abs, real } = facts.resolve(a, base);
    if (sensitive(abs, real)) return a;
  }
  for (const f of facts.files) if (f.command === index && f.access === 'read' && sensitive(f.abs, f.real)) return f.raw;
  return undefined;
}

const exfil009 = defineRule(
  {
    id: 'AGT-EXFIL-009',
    title: 'Archive or encode a home/credential directory',
    category: 'EXFIL',
    severity: 'high',
    tools: ['Bash'],
    attack: ['T1560.001', 'T1132', 'T1005'],
    owasp: ['ASI02'],
    description:
      'tar/zip/7z/rar/gzip/base64/xxd/openssl enc (and similar) with an argument that is $HOME itself (or all of its entries), a credential store, or a credential directory (~/.ssh, ~/.aws, ~/.gnupg, cloud CLI and browser profile directories); tar -C is followed.',
  },
  (facts) => {
    if (facts.tool !== 'Bash' || !facts.shell) return [];
    for (const [i, cmd] of commands(facts).entries()) {
      const encoder = ARCHIVERS.has(cmd.name) || (cmd.name === 'openssl' && OPENSSL_ENCODE.test(cmd.args[0] ?? ''));
      if (!encoder) continue;
      const target = exfil009Target(facts, cmd, i);
      if (target !== undefined) return hit(cmd.text, undefined, `Archives or encodes ${target}.`);
    }
    return [];
  },
);

const OWN_RULES = [exfil001, exfil002, exfil005, exfil008, exfil009];

export const EXFIL_RULES = [...OWN_RULES, ...EXFIL_NET_RULES].sort((a, b) => a.id.localeCompare(b.id));
