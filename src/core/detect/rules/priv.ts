/**
 * PRIV: privilege escalation (reference B.4): sudo/su (001), setuid bits and capabilities (002),
 * sudoers and account changes (003), container breakout-style invocations (004).
 */
import { posix } from 'node:path';
import { SHELLS } from '../lists.js';
import { commands, defineRule, hasFlag, hit } from '../rule-kit.js';
import type { EventFacts, Rule, RuleHit, ShellCommand } from '../types.js';
import { PERSIST_TOOLS, dedupe, fileHits, operandList, optionValues, persistEvent, rawCommand, strongest, subcommand, uncertain, writtenFiles } from './persist-kit.js';

const ELEVATORS = new Set(['sudo', 'doas', 'pkexec', 'run0']);
const SWITCHERS = new Set(['su', 'runuser', 'pkexec', 'doas', 'sudo', 'run0']);
const PASSWORD_FEEDERS = new Set(['echo', 'printf', 'cat', 'yes']);
const RAW_SUDO = /(?:^|[;&|(`]\s*|\$\(\s*)(sudo|doas|pkexec)\s+\S/m;

function privHit(facts: EventFacts, cmd: ShellCommand): RuleHit[] {
  const wrapped = cmd.wrappers.some((w) => ELEVATORS.has(w));
  if (!wrapped && !SWITCHERS.has(cmd.name)) return [];
  if (cmd.name === 'sudo' && !wrapped && cmd.args.every((a) => /^(-[Vhk]+|-K|--version|--help|--reset-timestamp|--remove-timestamp)$/.test(a)) && cmd.args.length > 0) return [];
  const wArgs = cmd.name === 'sudo' || cmd.name === 'doas' ? [...cmd.wrapperArgs, ...cmd.args] : cmd.wrapperArgs;
  const reasons: string[] = [];
  if (wArgs.some((a) => /^-[A-Za-z]*S/.test(a) || a === '--stdin')) reasons.push('sudo -S reads the password from stdin');
  const pipe = facts.shell?.pipelines[cmd.pipeline] ?? [];
  const feeder = cmd.stage > 0 ? commands(facts)[pipe[cmd.stage - 1] ?? -1] : undefined;
  if (feeder && PASSWORD_FEEDERS.has(feeder.name) && (wrapped || cmd.name === 'sudo' || cmd.name === 'su')) reasons.push('a password is piped in');
  if ((wrapped || cmd.name === 'sudo' || cmd.name === 'doas') && (cmd.name === 'su' || SHELLS.includes(cmd.name) || wArgs.some((a) => /^-[A-Za-z]*[is]$/.test(a) || a === '--login' || a === '--shell'))) {
    reasons.push('opens a root shell');
  }
  if (cmd.name === 'su') {
    const ops = operandList(cmd).filter((o) => !optionValues(cmd, ['--command', '--shell', '--group'], ['-c', '-s', '-g']).includes(o));
    if (cmd.args.some((a) => a === '-' || a === '-l' || a === '--login') || ops.length === 0 || ops[0] === 'root') reasons.push('switches to root');
  }
  const tool = wrapped ? cmd.wrappers.find((w) => ELEVATORS.has(w)) : cmd.name;
  return hit(cmd.text, reasons.length > 0 ? 'high' : undefined, reasons.length > 0 ? `${tool}: ${reasons.join('; ')}.` : `Runs ${cmd.name || 'a command'} as another user via ${tool}.`);
}

const priv001 = defineRule(
  {
    id: 'AGT-PRIV-001',
    title: 'Privilege elevation (sudo/su/doas/pkexec)',
    category: 'PRIV',
    severity: 'medium',
    tools: ['Bash'],
    attack: ['T1548.003', 'T1078.003'],
    owasp: ['LLM06:2025', 'ASI03'],
    description:
      'A command run through sudo/doas/pkexec or su/runuser; high with sudo -S, a password piped to sudo, sudo su|-i|-s|bash|sh|zsh, or su -|root.',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    for (const cmd of commands(facts)) hits.push(...privHit(facts, cmd));
    if (hits.length === 0 && uncertain(facts)) {
      const m = RAW_SUDO.exec(rawCommand(facts));
      if (m) hits.push(...hit(m[0].trim(), undefined, 'Matched textually: the command line could not be fully parsed.'));
    }
    return strongest(hits, 'medium');
  },
);

/** Whether a chmod mode sets the setuid or setgid bit. */
export function setsSuid(mode: string): boolean {
  if (/^[0-7]{4,5}$/.test(mode)) return (Number(mode.slice(-4, -3)) & 6) !== 0;
  return mode.split(',').some((clause) => /^[ugoa]*[+=][rwxXt]*s/.test(clause));
}

const DANGEROUS_CAPS = /cap_(setuid|setgid|sys_admin|dac_override|dac_read_search|sys_ptrace|sys_module|chown|fowner|setfcap)\b|^(all)?[=+][eip]*$|\ball[=+]/i;

const priv002 = defineRule(
  {
    id: 'AGT-PRIV-002',
    title: 'Setuid/setgid bit or dangerous capability',
    category: 'PRIV',
    severity: 'high',
    tools: ['Bash'],
    attack: ['T1548.001'],
    owasp: ['ASI03'],
    description:
      'chmod u+s/g+s/+s or an octal mode with the setuid/setgid bit (4755, 2755, 6755); install -m 4755; setcap granting cap_setuid, cap_setgid, cap_sys_admin, cap_dac_override, cap_sys_ptrace or all capabilities.',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    for (const cmd of commands(facts)) {
      if (cmd.name === 'chmod') {
        const mode = operandList(cmd).find((o) => !o.startsWith('--reference'));
        if (mode && setsSuid(mode)) hits.push(...hit(cmd.text, undefined, `Mode ${mode} sets the setuid/setgid bit.`));
      } else if (cmd.name === 'install') {
        const mode = optionValues(cmd, ['--mode'], ['-m'])[0];
        if (mode && setsSuid(mode)) hits.push(...hit(cmd.text, undefined, `Mode ${mode} sets the setuid/setgid bit.`));
      } else if (cmd.name === 'setcap') {
        const caps = operandList(cmd).find((o) => DANGEROUS_CAPS.test(o));
        if (caps) hits.push(...hit(cmd.text, undefined, `Grants ${caps}.`));
      }
    }
    return dedupe(hits).slice(0, 1);
  },
);

const ACCOUNT_FILES = [
  '/etc/sudoers', '/etc/sudoers.d/**', '/etc/passwd', '/etc/group', '/etc/shadow', '/etc/gshadow', '/etc/doas.conf',
  '/private/etc/sudoers', '/private/etc/sudoers.d/**', '/etc/subuid', '/etc/subgid', '/etc/pam.d/**', '/etc/security/**',
];
const PRIV_GROUPS = /(^|,)(sudo|wheel|admin|root|docker|lxd|libvirt|adm|disk|shadow|kvm)(,|$)/;
const ACCOUNT_TOOLS = new Set(['useradd', 'adduser', 'passwd', 'chpasswd', 'newusers', 'userdel', 'deluser', 'sysadminctl', 'pw', 'vipw', 'vigr']);

function accountCommand(cmd: ShellCommand): string | undefined {
  const name = cmd.name;
  if (name === 'visudo') return cmd.args.some((a) => /^-[A-Za-z]*c/.test(a) || a === '--check') ? undefined : 'Edits sudoers.';
  if (name === 'usermod') {
    const groups = optionValues(cmd, ['--groups', '--append-groups'], ['-G', '-aG']);
    if (groups.some((g) => PRIV_GROUPS.test(g))) return `Adds a user to ${groups.join(',')}.`;
    if (optionValues(cmd, ['--uid'], ['-u']).includes('0')) return 'Gives a user uid 0.';
    return 'Modifies a user account.';
  }
  if (name === 'gpasswd' && cmd.args.some((a) => a === '-a' || a === '--add' || a === '-M')) {
    const group = operandList(cmd).at(-1) ?? '';
    return PRIV_GROUPS.test(group) ? `Adds a user to ${group}.` : undefined;
  }
  if ((name === 'adduser' || name === 'addgroup') && operandList(cmd).length >= 2 && PRIV_GROUPS.test(operandList(cmd).at(-1)!)) return `Adds a user to ${operandList(cmd).at(-1)}.`;
  if (ACCOUNT_TOOLS.has(name)) return name === 'passwd' && hasFlag(cmd, 'S') ? undefined : `${name} changes accounts or passwords.`;
  if (name === 'dscl' && cmd.args.some((a) => /^-(append|create|merge|passwd)$/.test(a)) && cmd.args.some((a) => /^\/(Groups\/(admin|wheel)|Users\/)/.test(a))) {
    return 'Changes a macOS account or admin group.';
  }
  if (name === 'dseditgroup' && cmd.args.includes('edit') && cmd.args.some((a) => /^(admin|wheel)$/.test(a))) return 'Adds a user to the macOS admin group.';
  return undefined;
}

const priv003 = defineRule(
  {
    id: 'AGT-PRIV-003',
    title: 'sudoers / account / privileged group change',
    category: 'PRIV',
    severity: 'critical',
    tools: PERSIST_TOOLS,
    attack: ['T1548.003', 'T1098', 'T1136.001'],
    owasp: ['ASI03'],
    description:
      'Writes to /etc/sudoers(.d), /etc/passwd, /etc/group, /etc/shadow; visudo; usermod -aG sudo|wheel|admin|docker|lxd|libvirt; useradd/adduser/passwd/chpasswd; dscl . -append /Groups/admin, dseditgroup -o edit -a … admin.',
  },
  (facts) => {
    if (!persistEvent(facts)) return [];
    const hits = fileHits(facts, writtenFiles(facts, ACCOUNT_FILES));
    for (const cmd of commands(facts)) {
      const note = accountCommand(cmd);
      if (note) hits.push(...hit(cmd.text, undefined, note));
    }
    return dedupe(hits).slice(0, 1);
  },
);

const CONTAINER_CLIS = new Set(['docker', 'podman', 'nerdctl', 'finch']);
const DOCKER_VALUE_OPTS = ['-H', '--host', '--context', '-c', '--config', '--log-level', '-l'];
const HOST_MOUNTS = new Set(['/', '/var/run/docker.sock', '/run/docker.sock', '/run/containerd/containerd.sock', '/run/podman/podman.sock', '/var/run/podman/podman.sock', '/proc', '/sys', '/etc', '/root', '/boot', '/dev']);
const BAD_CAPS = /^(CAP_)?(SYS_ADMIN|ALL|SYS_PTRACE|SYS_MODULE|DAC_READ_SEARCH|SYS_RAWIO)$/i;

function mountSources(cmd: ShellCommand): string[] {
  const out = optionValues(cmd, ['--volume'], ['-v']).map((v) => v.split(':')[0]!);
  for (const m of optionValues(cmd, ['--mount'])) {
    const src = /(?:^|,)(?:source|src)=([^,]+)/.exec(m);
    if (src) out.push(src[1]!);
  }
  return out.map((s) => (s.length > 1 ? s.replace(/\/+$/, '') : s));
}

function containerEscape(cmd: ShellCommand): string | undefined {
  if (CONTAINER_CLIS.has(cmd.name)) {
    let sub = subcommand(cmd, DOCKER_VALUE_OPTS);
    if (sub?.name === 'container') sub = { name: cmd.args[sub.index + 1] ?? '', index: sub.index + 1 };
    if (!sub || !/^(run|create|exec)$/.test(sub.name)) return undefined;
    const view = { ...cmd, args: cmd.args.slice(sub.index + 1) };
    const reasons: string[] = [];
    if (view.args.some((a) => a === '--privileged' || a === '--privileged=true')) reasons.push('--privileged');
    for (const ns of ['pid', 'userns', 'uts', 'ipc', 'cgroupns']) if (optionValues(view, [`--${ns}`]).includes('host')) reasons.push(`--${ns}=host`);
    const mounts = mountSources(view).filter((s) => HOST_MOUNTS.has(s));
    if (mounts.length > 0) reasons.push(`mounts ${mounts.join(', ')}`);
    const caps = optionValues(view, ['--cap-add']).filter((c) => BAD_CAPS.test(c));
    if (caps.length > 0) reasons.push(`--cap-add=${caps.join(',')}`);
    if (optionValues(view, ['--security-opt']).some((o) => /^(apparmor|seccomp)[=:]unconfined$/.test(o)) && reasons.length === 0) reasons.push('unconfined security profile');
    return reasons.length > 0 ? `Container with host access: ${reasons.join('; ')}.` : undefined;
  }
  if (cmd.name === 'nsenter') {
    const target = optionValues(cmd, ['--target'], ['-t']);
    return target.includes('1') || cmd.args.includes('-t1') ? 'Enters the namespaces of PID 1 (the host).' : undefined;
  }
  if (cmd.name === 'chroot') {
    const root = operandList(cmd)[0] ?? '';
    return /^\/(host|hostfs|rootfs|proc\/1\/root)(\/|$)/.test(posix.normalize(root)) ? 'chroot into the host file system.' : undefined;
  }
  return undefined;
}

const priv004 = defineRule(
  {
    id: 'AGT-PRIV-004',
    title: 'Container breakout-style invocation',
    category: 'PRIV',
    severity: 'high',
    tools: ['Bash'],
    attack: ['T1611'],
    atlas: ['AML.T0105'],
    owasp: ['ASI03'],
    description:
      'docker/podman run|create|exec with --privileged, --pid=host, host root or docker.sock mounts, --cap-add=SYS_ADMIN; nsenter -t 1; chroot /host.',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    for (const cmd of commands(facts)) {
      const note = containerEscape(cmd);
      if (note) hits.push(...hit(cmd.text, undefined, note));
    }
    return dedupe(hits).slice(0, 1);
  },
);

export const PRIV_RULES: Rule[] = [priv001, priv002, priv003, priv004];
