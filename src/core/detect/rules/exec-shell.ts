/** EXEC-002 (reverse shells) and EXEC-005 (listeners, tunnels, ad-hoc file servers). */
import { INTERPRETERS, SHELLS, isLocalHost } from '../lists.js';
import { commands, defineRule, hasFlag, hit } from '../rule-kit.js';
import type { EventFacts, Rule, RuleHit, ShellCommand } from '../types.js';
import { runsStdin } from './exec-kit.js';
import { dedupe, operandList, optionValues, rawCommand, subcommand } from './persist-kit.js';

const NETCATS = new Set(['nc', 'ncat', 'netcat', 'nc.traditional', 'nc.openbsd']);
const DEV_NET = /^\/dev\/(tcp|udp)\/([^/]+)\/\d+/;

/**
 * Reverse-shell forms matched on the raw command line, always (reference B.2 mitigation 3):
 * Sigma "Suspicious Reverse Shell Command Line" keywords. Gaps are bounded to keep matching linear.
 */
const RAW_REVERSE = [
  /\b(?:ba|z|k|da)?sh\s+-i\b[^\n]{0,300}?[<>]&?\s*\/dev\/(?:tcp|udp)\/\S+/,
  /(?:\d?<>|>&|&>)\s*\/dev\/(?:tcp|udp)\/[^\s/]+\/\d+/,
  /\b0<&\d{2,}\b[^\n]{0,300}\/dev\/(?:tcp|udp)\/|\/dev\/(?:tcp|udp)\/[^\n]{0,300}\b0<&\d{2,}/,
  /\bmk(?:fifo|nod)\b[^\n]{0,300}?\b(?:nc|ncat|netcat|telnet|openssl\s+s_client)\b/,
  /\bsocat\b[^\n]{0,300}?\b(?:exec|system):/i,
  /(?:^|[\s;&|(])(?:\S{0,100}\/)?(?:nc|ncat|netcat)\s[^;&|\n]{0,200}?\s(?:-[a-z]*[ec]\s+["']?(?:\S*\/)?(?:ba|z|da)?sh\b|--(?:sh-exec|exec|lua-exec)\b)/,
];

/**
 * Interpreter socket one-liners (PayloadsAllTheThings): every sign must appear in the code. Checked
 * on the interpreter's arguments, and on each raw line naming the interpreter (lines up to 8 KiB).
 */
const ONE_LINERS: readonly { readonly name: RegExp; readonly signs: readonly RegExp[] }[] = [
  { name: /\bpython[\d.]*\b/, signs: [/\bsocket\b/, /\.connect\s*\(/, /\bdup2\b|pty\.spawn|subprocess\.(?:call|Popen|run)|\bos\.system\b/] },
  { name: /\bperl\b/, signs: [/IO::Socket|\bsocket\s*\(/, /\bexec\b|\bsystem\b|open\s*\(\s*STD(?:IN|OUT)/] },
  { name: /\bruby\b/, signs: [/TCPSocket\.(?:new|open)/, /\bexec\b|\bspawn\b|IO\.popen|\bsystem\b/] },
  { name: /\bphp\b/, signs: [/fsockopen\s*\(/, /\bexec\b|shell_exec|\bsystem\b|passthru|proc_open|popen/] },
  {
    name: /\b(?:node|nodejs|bun|deno)\b/,
    signs: [/require\(\s*['"](?:node:)?(?:net|child_process)['"]\s*\)|from\s+['"](?:node:)?net['"]/, /\.connect\s*\(|createConnection/, /\b(?:spawn|exec)\s*\(\s*['"](?:\/bin\/)?(?:ba)?sh\b/],
  },
];

function oneLinerIn(text: string): boolean {
  return ONE_LINERS.some((o) => o.name.test(text) && o.signs.every((re) => re.test(text)));
}

/** The raw line holding a reverse shell, when the structure did not show one. */
function rawReverse(raw: string): string | undefined {
  for (const re of RAW_REVERSE) {
    const m = re.exec(raw);
    if (m) return m[0];
  }
  for (const line of raw.split('\n')) if (line.length <= 8192 && oneLinerIn(line)) return line;
  return undefined;
}

const isShellName = (n: string) => SHELLS.includes(n) || n === 'exec' || INTERPRETERS.includes(n);

function devNetHit(cmd: ShellCommand): boolean {
  const targets = cmd.redirects.filter((r) => DEV_NET.test(r.target));
  if (targets.length === 0) return false;
  const local = targets.every((r) => isLocalHost(DEV_NET.exec(r.target)![2]!));
  if (isShellName(cmd.name) || cmd.wrappers.includes('exec')) return true;
  if (local) return false;
  return targets.length > 1 || targets.some((r) => r.op.includes('&') || r.op === '<>') || cmd.redirects.some((r) => /^[<>]&$/.test(r.op) && /^\d+$/.test(r.target));
}

const NET_SHELL_PEERS = new Set([...NETCATS, 'telnet', 'socat', 'openssl', 'cryptcat', 'sbd']);

const exec002 = defineRule(
  {
    id: 'AGT-EXEC-002',
    title: 'Reverse shell',
    category: 'EXEC',
    severity: 'critical',
    tools: ['Bash'],
    attack: ['T1059.004', 'T1059.006', 'T1071'],
    atlas: ['AML.T0072'],
    owasp: ['ASI05'],
    description:
      'bash -i >& /dev/tcp/…, exec N<>/dev/tcp/…, mkfifo … | nc, nc/ncat -e/-c/--sh-exec, socat EXEC:/SYSTEM:, a network peer piped into a shell, and python/perl/ruby/php/node socket one-liners that hand the socket to a shell.',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const cmds = commands(facts);
    const hits: RuleHit[] = [];
    const hasFifo = cmds.some((c) => c.name === 'mkfifo' || (c.name === 'mknod' && c.args.includes('p')));
    for (const cmd of cmds) {
      if (devNetHit(cmd)) hits.push(...hit(cmd.text));
      if (NETCATS.has(cmd.name)) {
        const exec = hasFlag(cmd, 'ec', ['--sh-exec', '--exec', '--lua-exec']) || cmd.args.some((a) => /^--(sh-exec|exec|lua-exec)=/.test(a));
        if (exec || hasFifo) hits.push(...hit(cmd.text));
      }
      if (cmd.name === 'socat' && cmd.args.some((a) => /^(exec|system):/i.test(a) || /,\s*(exec|system):/i.test(a))) hits.push(...hit(cmd.text));
      if ((cmd.name === 'telnet' || (cmd.name === 'openssl' && cmd.args[0] === 's_client')) && hasFifo) hits.push(...hit(cmd.text));
    }
    // nc host port | sh | nc host port2: a network peer feeding an interactive shell.
    for (const pipe of facts.shell?.pipelines ?? []) {
      const stages = pipe.map((i) => cmds[i]!);
      const shell = stages.find((c) => SHELLS.includes(c.name) && c.stage > 0 && runsStdin(c));
      const peer = shell && stages.find((c) => NET_SHELL_PEERS.has(c.name) && c.stage < shell.stage);
      if (shell && peer) hits.push(...hit(`${peer.text} | ${shell.text}`));
    }
    for (const cmd of cmds) if (/^(python|perl|ruby|php|node|nodejs|bun|deno)/.test(cmd.name) && oneLinerIn(`${cmd.name} ${cmd.args.join(' ')}`)) hits.push(...hit(cmd.text));
    if (hits.length === 0) {
      const m = rawReverse(rawCommand(facts));
      if (m) {
        const cmd = cmds.find((c) => c.text !== '' && (c.text.includes(m) || m.includes(c.text)));
        hits.push(...hit(cmd?.text ?? m));
      }
    }
    return dedupe(hits).slice(0, 1);
  },
);

const LOCAL_BIND = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i;
const TUNNEL_PKGS = new Set(['localtunnel', 'lt']);

function listener(cmd: ShellCommand): string | undefined {
  const name = cmd.name;
  if (/^python[\d.]*$/.test(name)) {
    const m = cmd.args.indexOf('-m');
    const mod = m >= 0 ? cmd.args[m + 1] : undefined;
    if (mod === 'http.server' || mod === 'SimpleHTTPServer') {
      const bind = optionValues(cmd, ['--bind'], ['-b']);
      return bind.length > 0 && bind.every((b) => LOCAL_BIND.test(b)) ? undefined : 'Serves files over HTTP on every interface.';
    }
    return undefined;
  }
  if (NETCATS.has(name)) return hasFlag(cmd, 'l', ['--listen']) ? 'Opens a network listener.' : undefined;
  if (name === 'socat') return cmd.args.some((a) => /^(tcp[46]?|udp[46]?|openssl|sctp[46]?)-listen:/i.test(a)) ? 'Opens a network listener.' : undefined;
  if (name === 'ngrok') return /^(http|tcp|tls|start|tunnel)$/.test(subcommand(cmd, ['--config', '--authtoken', '--region'])?.name ?? '') ? 'Opens a public tunnel.' : undefined;
  if (name === 'cloudflared') {
    const sub = operandList(cmd);
    return sub[0] === 'tunnel' && (cmd.args.some((a) => a === '--url' || a.startsWith('--url=')) || sub[1] === 'run') ? 'Opens a public tunnel.' : undefined;
  }
  if (name === 'ssh') {
    const fwd = hasFlag(cmd, 'RD') || optionValues(cmd, [], ['-o']).some((o) => /^(RemoteForward|DynamicForward)\b/i.test(o));
    return fwd ? 'Opens a remote port forward or SOCKS proxy.' : undefined;
  }
  if (name === 'lt' && cmd.args.some((a) => a === '--port' || a === '-p' || a.startsWith('--port='))) return 'Opens a public tunnel.';
  if (['npx', 'bunx', 'pnpx'].includes(name) || (['pnpm', 'yarn'].includes(name) && cmd.args[0] === 'dlx') || (name === 'npm' && /^(exec|x)$/.test(cmd.args[0] ?? ''))) {
    const ops = operandList(cmd).filter((o) => !/^(dlx|exec|x)$/.test(o));
    const pkg = (ops[0] ?? '').replace(/(.)@.*$/, '$1');
    return TUNNEL_PKGS.has(pkg) ? 'Opens a public tunnel.' : undefined;
  }
  if (name === 'tailscale' && /^(funnel|serve)$/.test(cmd.args[0] ?? '')) return 'Exposes a local port through a tunnel.';
  return undefined;
}

const exec005 = defineRule(
  {
    id: 'AGT-EXEC-005',
    title: 'Listener, tunnel or ad-hoc file server',
    category: 'EXEC',
    severity: 'medium',
    tools: ['Bash'],
    attack: ['T1572', 'T1090', 'T1105'],
    owasp: ['ASI02'],
    description:
      'python -m http.server not bound to localhost, nc/ncat -l, socat TCP-LISTEN, ngrok http|tcp, cloudflared tunnel --url, ssh -R/-D, npx localtunnel, tailscale funnel.',
  },
  (facts: EventFacts) => {
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    for (const cmd of commands(facts)) {
      const note = listener(cmd);
      if (note) hits.push(...hit(cmd.text, undefined, note));
    }
    return dedupe(hits).slice(0, 1);
  },
);

export const EXEC_SHELL_RULES: Rule[] = [exec002, exec005];
