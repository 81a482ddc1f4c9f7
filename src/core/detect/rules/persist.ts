/**
 * PERSIST: persistence through the operating system (reference B.4): shell startup files (001),
 * cron/at (002), systemd (003), launchd and login items (004). Git, SSH, dynamic-linker, agent
 * configuration and package lifecycle persistence (005–009) live in persist-agent.ts.
 */
import { CRON_GLOBS, LAUNCHD_GLOBS, SHELL_RC_GLOBS, SYSTEMD_GLOBS } from '../lists.js';
import { commands, defineRule, hasFlag, hit } from '../rule-kit.js';
import type { Rule, ShellCommand } from '../types.js';
import { PERSIST_AGENT_RULES } from './persist-agent.js';
import { PERSIST_TOOLS, WRITE_TOOLS, dedupe, fileHits, operandList, optionValues, persistEvent, subcommand, writtenFiles } from './persist-kit.js';

const persist001 = defineRule(
  {
    id: 'AGT-PERSIST-001',
    title: 'Shell startup file modified',
    category: 'PERSIST',
    severity: 'high',
    tools: PERSIST_TOOLS,
    attack: ['T1546.004'],
    owasp: ['ASI05', 'Agentic T11'],
    description:
      'A write (Write/Edit, redirect, tee, sed -i, cp/mv/ln target) to a shell startup file: ~/.bashrc, ~/.profile, ~/.zshrc, ~/.zshenv, fish config, /etc/profile(.d), /etc/bash.bashrc, /etc/zsh.',
  },
  (facts) => (persistEvent(facts) ? fileHits(facts, writtenFiles(facts, SHELL_RC_GLOBS)).slice(0, 1) : []),
);

/** `crontab -u USER` value. */
function crontabOperands(cmd: ShellCommand): string[] {
  const user = optionValues(cmd, [], ['-u']);
  return operandList(cmd).filter((o) => !user.includes(o));
}

function cronCommand(cmd: ShellCommand): string | undefined {
  if (cmd.name === 'crontab') {
    if (hasFlag(cmd, 'r')) return 'Removes the crontab.';
    if (hasFlag(cmd, 'e')) return 'Edits the crontab.';
    const ops = crontabOperands(cmd);
    if (hasFlag(cmd, 'lT') && ops.length === 0) return undefined;
    return ops.length === 0 || ops[0] === '-' ? 'Installs a crontab from stdin.' : `Installs crontab file ${ops[0]}.`;
  }
  if (cmd.name === 'at') return hasFlag(cmd, 'lcrdV') ? undefined : 'Schedules an at job.';
  if (cmd.name === 'batch') return 'Schedules a batch job.';
  return undefined;
}

const persist002 = defineRule(
  {
    id: 'AGT-PERSIST-002',
    title: 'Cron / at job created or removed',
    category: 'PERSIST',
    severity: 'high',
    tools: ['Bash', ...WRITE_TOOLS],
    attack: ['T1053.003', 'T1053.002'],
    owasp: ['ASI05'],
    description: 'crontab FILE, crontab - (stdin), crontab -e, crontab -r; writes to /etc/crontab, /etc/cron.*, /var/spool/cron; at/batch jobs. crontab -l is not matched.',
  },
  (facts) => {
    if (!persistEvent(facts)) return [];
    const hits = fileHits(facts, writtenFiles(facts, CRON_GLOBS));
    for (const cmd of commands(facts)) {
      const note = cronCommand(cmd);
      if (note) hits.push(...hit(cmd.text, undefined, note));
    }
    return dedupe(hits).slice(0, 1);
  },
);

/** Services a developer commonly starts or enables on a dev box. */
const DEV_UNITS =
  /^(docker|containerd|podman|colima|postgresql|mysql|mysqld|mariadb|redis|redis-server|valkey|nginx|apache2|httpd|mongod|mongodb|memcached|rabbitmq-server|elasticsearch|php[\d.]*-fpm|libvirtd|ssh|sshd|k3s|minikube)(@[\w.-]*)?(\.(service|socket))?$/;
const SYSTEMCTL_VALUE_OPTS = ['-H', '--host', '-M', '--machine', '--root', '-t', '--type', '-p', '--property', '-n', '--lines', '-o', '--output', '-s', '--signal', '--state', '--kill-whom', '--job-mode'];
const TIMER_OPTS = /^--(on-calendar|on-active|on-boot|on-startup|on-unit-active|on-unit-inactive|timer-property)\b/;

function systemdCommand(cmd: ShellCommand): string | undefined {
  if (cmd.name === 'systemctl') {
    const sub = subcommand(cmd, SYSTEMCTL_VALUE_OPTS);
    if (!sub) return undefined;
    const units = cmd.args.slice(sub.index + 1).filter((a) => !a.startsWith('-'));
    switch (sub.name) {
      case 'daemon-reload':
        return 'Reloads unit files (new or changed units).';
      case 'link':
      case 'edit':
        return `systemctl ${sub.name} of a unit.`;
      case 'enable':
      case 'reenable':
      case 'start':
        return units.length > 0 && units.every((u) => DEV_UNITS.test(u)) ? undefined : `systemctl ${sub.name} of a unit that is not a common dev service.`;
      default:
        return undefined;
    }
  }
  if (cmd.name === 'loginctl' && cmd.args.includes('enable-linger')) return 'Lets user services run without a login session.';
  if (cmd.name === 'systemd-run' && cmd.args.some((a) => TIMER_OPTS.test(a))) return 'Schedules a transient systemd timer.';
  return undefined;
}

const persist003 = defineRule(
  {
    id: 'AGT-PERSIST-003',
    title: 'systemd unit/timer persistence',
    category: 'PERSIST',
    severity: 'high',
    tools: ['Bash', ...WRITE_TOOLS],
    attack: ['T1543.002', 'T1053.006'],
    owasp: ['ASI05'],
    description:
      'Writes to systemd unit directories (~/.config/systemd/user, /etc/systemd/{system,user}, /usr/lib/systemd/system); systemctl [--user] enable|link|edit|daemon-reload|start of a unit not in the dev-service allowlist; loginctl enable-linger; systemd-run timers.',
  },
  (facts) => {
    if (!persistEvent(facts)) return [];
    const hits = fileHits(facts, writtenFiles(facts, SYSTEMD_GLOBS));
    for (const cmd of commands(facts)) {
      const note = systemdCommand(cmd);
      if (note) hits.push(...hit(cmd.text, undefined, note));
    }
    return dedupe(hits).slice(0, 1);
  },
);

const LAUNCHD_EXTRA = [...LAUNCHD_GLOBS, '/Library/StartupItems/**', '~/Library/Application Support/com.apple.backgroundtaskmanagementagent/**'];

function launchdCommand(cmd: ShellCommand): string | undefined {
  if (cmd.name === 'launchctl') {
    const ops = operandList(cmd);
    if (!/^(load|bootstrap|submit|enable)$/.test(ops[0] ?? '')) return undefined;
    const targets = ops.slice(1).filter((o) => !/^(gui|user|system)(\/\d+)?$/.test(o));
    return targets.length > 0 && targets.every((t) => /homebrew\.mxcl\./.test(t)) ? undefined : `launchctl ${ops[0]}.`;
  }
  if (cmd.name === 'osascript' && /login item/i.test(cmd.args.join(' '))) return 'Adds a login item.';
  if (cmd.name === 'sfltool' && cmd.args[0] === 'add-item') return 'Adds a login item.';
  if (cmd.name === 'defaults' && cmd.args[0] === 'write' && /loginwindow/.test(cmd.args[1] ?? '') && cmd.args.some((a) => /^(LoginHook|LogoutHook)$/.test(a))) {
    return 'Sets a login/logout hook.';
  }
  return undefined;
}

const persist004 = defineRule(
  {
    id: 'AGT-PERSIST-004',
    title: 'launchd agent/daemon or login item (macOS)',
    category: 'PERSIST',
    severity: 'high',
    tools: ['Bash', ...WRITE_TOOLS],
    attack: ['T1543.001', 'T1543.004', 'T1547.015'],
    owasp: ['ASI05'],
    description:
      'Writes to ~/Library/LaunchAgents, /Library/LaunchAgents, /Library/LaunchDaemons; launchctl load|bootstrap|submit|enable (homebrew.mxcl.* labels excepted); osascript adding a login item; sfltool add-item; loginwindow hooks.',
  },
  (facts) => {
    if (!persistEvent(facts)) return [];
    const hits = fileHits(facts, writtenFiles(facts, LAUNCHD_EXTRA));
    for (const cmd of commands(facts)) {
      const note = launchdCommand(cmd);
      if (note) hits.push(...hit(cmd.text, undefined, note));
    }
    return dedupe(hits).slice(0, 1);
  },
);

export const PERSIST_RULES: Rule[] = [persist001, persist002, persist003, persist004, ...PERSIST_AGENT_RULES];
