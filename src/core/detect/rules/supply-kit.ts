/** Package-manager command parsing for the SUPPLY rules: install commands, their package specs and names. */
import { commands } from '../rule-kit.js';
import type { EventFacts, ShellCommand } from '../types.js';
import type { Eco } from './supply-names.js';

/** Operands of `args`, skipping the values of options in `valueOpts`. */
export function specsOf(args: readonly string[], valueOpts: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i + 1));
      break;
    }
    if (valueOpts.includes(a)) i++;
    else if (!a.startsWith('-')) out.push(a);
  }
  return out;
}

/** Package name of an npm spec (`@s/n@1` → `@s/n`, `n@latest` → `n`). */
export function npmName(spec: string): string {
  const m = /^(@[^/@]+\/[^@]+|[^@]+)(@.*)?$/.exec(spec);
  return m ? m[1]! : spec;
}

/** Normalised PyPI name of a requirement spec (`Requests[socks]>=2` → `requests`). */
export function pypiName(spec: string): string {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec);
  return (m ? m[1]! : spec).toLowerCase().replace(/[-_.]+/g, '-');
}

export interface Install {
  readonly eco: Eco | 'go' | 'gem' | 'brew' | 'conda';
  readonly specs: string[];
  readonly cmd: ShellCommand;
  /** Arguments after the install verb. */
  readonly rest: readonly string[];
  readonly global: boolean;
}

const NPM_INSTALL = /^(i|in|ins|inst|insta|instal|install|isnt|isnta|isntal|isntall|add)$/;
const NPM_VALUE_OPTS = ['-w', '--workspace', '--prefix', '--registry', '--tag', '--cache', '--userconfig', '--filter', '-F', '--dir', '-C', '--cwd', '--backend', '--omit', '--include'];
const PIP_VALUE_OPTS = [
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links',
  '--trusted-host', '-t', '--target', '--prefix', '--root', '--platform', '--python-version', '--only-binary', '--no-binary',
  '--upgrade-strategy', '--src', '--python', '-p', '--index', '--default-index', '--group', '--extra', '--optional', '--dev-group',
  '--cert', '--client-cert', '--proxy', '--timeout', '--retries', '--log', '--cache-dir', '-G', '--source',
];
const OTHER_VALUE_OPTS = ['-c', '--channel', '-n', '--name', '-p', '--prefix', '--version', '--vers', '--git', '--branch', '--tag', '--rev', '--path', '--features', '-F', '--registry', '--index', '--root', '--target', '-v', '--source', '-s'];

function pipInstallArgs(cmd: ShellCommand): readonly string[] | undefined {
  const n = cmd.name;
  const a = cmd.args;
  if (/^pip[\d.]*$/.test(n) && a[0] === 'install') return a.slice(1);
  if (/^python[\d.]*$/.test(n) && a[0] === '-m' && /^pip[\d.]*$/.test(a[1] ?? '') && a[2] === 'install') return a.slice(3);
  if (n === 'uv' && a[0] === 'pip' && a[1] === 'install') return a.slice(2);
  if ((n === 'uv' || n === 'poetry' || n === 'pdm') && a[0] === 'add') return a.slice(1);
  if (n === 'pipenv' && a[0] === 'install') return a.slice(1);
  if (n === 'pipx' && a[0] === 'install') return a.slice(1);
  return undefined;
}

export const isLocalSpec = (s: string) => /^(\.{1,2}(\/|$)|\/|~|file:|link:|workspace:|portal:)/.test(s) || /\.(tgz|tar\.gz|whl|zip)$/.test(s) && !/^https?:/.test(s);

export function installOf(cmd: ShellCommand): Install | undefined {
  const n = cmd.name;
  const a = cmd.args;
  const global = a.includes('-g') || a.includes('--global') || (n === 'yarn' && a[0] === 'global');
  if (['npm', 'pnpm', 'yarn', 'bun'].includes(n)) {
    const verbAt = n === 'yarn' && a[0] === 'global' ? 1 : a.findIndex((x) => !x.startsWith('-'));
    const verb = a[verbAt] ?? '';
    const ok = n === 'npm' ? NPM_INSTALL.test(verb) : n === 'yarn' ? verb === 'add' : /^(add|install|i)$/.test(verb);
    if (!ok) return undefined;
    const rest = a.slice(verbAt + 1);
    return { eco: 'npm', specs: specsOf(rest, NPM_VALUE_OPTS).filter((s) => !isLocalSpec(s)), cmd, rest, global };
  }
  const pip = pipInstallArgs(cmd);
  if (pip) {
    const specs = specsOf(pip, PIP_VALUE_OPTS).filter((s) => !isLocalSpec(s) && !/^(pip|setuptools|wheel)([<>=!~[]|$)/i.test(s));
    return { eco: 'pypi', specs, cmd, rest: pip, global: false };
  }
  const other = (eco: Install['eco'], from: number): Install => {
    const rest = a.slice(from);
    return { eco, specs: specsOf(rest, OTHER_VALUE_OPTS).filter((s) => !isLocalSpec(s) && !s.includes('...')), cmd, rest, global: false };
  };
  if (n === 'cargo' && /^(add|install)$/.test(a[0] ?? '')) return other('cargo', 1);
  if (n === 'go' && /^(get|install)$/.test(a[0] ?? '')) return other('go', 1);
  if (n === 'gem' && a[0] === 'install') return other('gem', 1);
  if (n === 'brew' && a[0] === 'install') return other('brew', 1);
  if (/^(conda|mamba|micromamba)$/.test(n) && a[0] === 'install') return other('conda', 1);
  return undefined;
}

export function installs(facts: EventFacts): Install[] {
  return commands(facts).map(installOf).filter((x): x is Install => x !== undefined);
}
