/**
 * SCOPE (reference B.4): the agent working outside its project — file tools outside the root,
 * path traversal and symlink escapes, shell directory changes and writes outside the root, and
 * broad filesystem enumeration.
 */
import { isInside } from '../../event/scope.js';
import { commands, defineRule, hit, operands, pathMatcher } from '../rule-kit.js';
import type { EventFacts, FileRef, Rule, RuleHit, ShellCommand } from '../types.js';
import { findRoots, gitSubcommand, inTempScratch, optionValue, underAny } from './shell-targets.js';

const FILE_TOOLS = ['Read', 'NotebookRead', 'LS', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Grep', 'Glob'];
const WRITE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

/** Claude Code's own per-user state the agent legitimately reads and writes (plans, project memory). */
const AGENT_STATE_DIRS = ['~/.claude/projects', '~/.claude/plans', '~/.claude/todos'];

/** Read-only toolchain and dependency locations: reading them is ordinary coding work. */
const TOOLCHAIN_GLOBS = [
  '/usr/include/**', '/usr/lib/**', '/usr/lib64/**', '/usr/share/**', '/usr/local/include/**', '/usr/local/lib/**',
  '/usr/local/share/**', '/usr/local/Cellar/**', '/opt/homebrew/**', '/Library/Developer/**', '/Applications/Xcode.app/**',
  '/nix/store/**', '**/node_modules/**', '**/site-packages/**', '**/dist-packages/**',
  '~/.cargo/registry/**', '~/.cargo/git/**', '~/.rustup/**', '~/go/pkg/mod/**', '~/.npm/**', '~/.cache/**',
  '~/.m2/repository/**', '~/.gradle/caches/**', '~/.pyenv/versions/**', '~/.nvm/versions/**', '~/.rbenv/versions/**',
  '~/.gem/ruby/**', '~/.bun/install/cache/**', '~/.deno/**', '~/.local/lib/**', '~/.local/share/uv/**',
];

function inTemp(path: string, home: string, projectRoot: string): boolean {
  return inTempScratch(path, projectRoot, home, true) || path.startsWith('/dev/');
}

/** Whether an out-of-project file access is allowlisted (temp, agent state, toolchain reads). */
function scopeAllowed(facts: EventFacts, f: FileRef, write: boolean): boolean {
  const paths = [f.abs, f.real];
  if (paths.every((p) => inTemp(p, facts.home, facts.projectRoot) || underAny(p, AGENT_STATE_DIRS, facts.home))) return true;
  return !write && paths.every((p) => pathMatcher(TOOLCHAIN_GLOBS, facts.home)(p));
}

const scope001 = defineRule(
  {
    id: 'AGT-SCOPE-001',
    title: 'File tool outside the project root',
    category: 'SCOPE',
    severity: 'medium',
    tools: FILE_TOOLS,
    attack: ['T1005', 'T1083'],
    atlas: [],
    owasp: ['LLM06:2025', 'ASI02'],
    description:
      'Read/Write/Edit/Grep/Glob on a path whose real location is outside the project root, except temp dirs, Claude Code\'s own plans and project memory, and reads of toolchain and dependency dirs. Write/Edit high, Read low, Grep/Glob low (medium on / or ~).',
  },
  (facts) => {
    if (!FILE_TOOLS.includes(facts.tool)) return [];
    const write = WRITE_TOOLS.has(facts.tool);
    const f = facts.files.find((x) => x.via === facts.tool && !x.inProject && !scopeAllowed(facts, x, write));
    if (!f) return [];
    if (write) return hit(f.raw, 'high');
    if (f.access === 'search') return hit(f.raw, f.abs === '/' || f.abs === facts.home ? 'medium' : 'low');
    return hit(f.raw, 'low');
  },
);

const DOTDOT = /(^|\/)\.\.(\/|$)/;
/** Symlinked dependency dirs (npm link, pnpm workspaces) point outside the project by design. */
const LINKED_DEPS = /(^|\/)node_modules\//;

const scope002 = defineRule(
  {
    id: 'AGT-SCOPE-002',
    title: 'Path traversal or symlink escape',
    category: 'SCOPE',
    severity: 'high',
    tools: [...FILE_TOOLS, 'Bash'],
    attack: ['T1083'],
    atlas: [],
    owasp: ['LLM06:2025'],
    description:
      'A path with a `..` segment whose lexical resolution leaves the project root, or a path inside the root whose real location (symlinks followed) is outside it (CWE-59). High for writes and deletes, medium for reads.',
  },
  (facts) => {
    const hits: RuleHit[] = [];
    for (const f of facts.files) {
      if (f.via === 'cd' || f.via === 'pushd' || inTemp(f.abs, facts.home, facts.projectRoot)) continue;
      const writes = f.access === 'write' || f.access === 'delete';
      let note: string | undefined;
      if (DOTDOT.test(f.raw) && !isInside(f.abs, facts.projectRoot)) note = `\`..\` leads outside the project to ${f.abs}`;
      else if (isInside(f.abs, facts.projectRoot) && !f.inProject && !inTemp(f.real, facts.home, facts.projectRoot) && (writes || !LINKED_DEPS.test(f.abs))) {
        note = `a symlink inside the project leads to ${f.real}`;
      }
      if (note && !hits.some((h) => h.evidence === f.raw)) hits.push(...hit(f.raw, writes ? 'high' : 'medium', note));
    }
    return hits;
  },
);

/** Options that run a tool in another directory: `git -C`, `make -C`, `npm --prefix`… */
function directoryOption(cmd: ShellCommand): string | undefined {
  switch (cmd.name) {
    case 'git':
      return optionValue(gitSubcommand(cmd).globals, '-C', null);
    case 'make':
    case 'gmake':
      return optionValue(cmd.args, '-C', '--directory');
    case 'npm':
      return optionValue(cmd.args, null, '--prefix');
    case 'pnpm':
      return optionValue(cmd.args, '-C', '--dir');
    case 'yarn':
      return optionValue(cmd.args, null, '--cwd');
    case 'cargo':
      return optionValue(cmd.args, null, '--manifest-path');
    case 'tar':
      return optionValue(cmd.args, '-C', '--directory');
    default:
      return undefined;
  }
}

const IN_PLACE = /^-[a-zA-Z]*i|^--in-place/;

/** Why a shell command leaves the project (directory change or write), or ''. */
function shellEscape(facts: EventFacts, cmd: ShellCommand, index: number): string {
  const outside = (raw: string) => {
    const r = facts.resolve(raw, cmd.cwd);
    return !r.inProject && !inTemp(r.abs, facts.home, facts.projectRoot) && !inTemp(r.real, facts.home, facts.projectRoot) ? r.abs : '';
  };
  if (cmd.name === 'cd' || cmd.name === 'pushd') {
    const target = operands(cmd)[0] ?? (cmd.name === 'cd' && cmd.args.length === 0 ? '~' : undefined);
    if (target && target !== '-' && !/^[+-]\d+$/.test(target) && !/`|\$(?!HOME\b|\{HOME\})/.test(target)) {
      const where = outside(target);
      if (where) return `changes directory to ${where}`;
    }
    return '';
  }
  const dir = directoryOption(cmd);
  if (dir && !/`|\$(?!HOME\b|\{HOME\})/.test(dir)) {
    const where = outside(dir);
    if (where) return `runs ${cmd.name} in ${where}`;
  }
  for (const f of facts.files) {
    if (f.command !== index || f.inProject || inTemp(f.abs, facts.home, facts.projectRoot) || inTemp(f.real, facts.home, facts.projectRoot)) continue;
    if (f.access === 'write' || f.access === 'delete') return `writes ${f.abs}`;
    if (f.access === 'read' && (cmd.name === 'sed' || cmd.name === 'perl') && cmd.args.some((a) => IN_PLACE.test(a))) return `edits ${f.abs} in place`;
  }
  return '';
}

const scope003 = defineRule(
  {
    id: 'AGT-SCOPE-003',
    title: 'Shell working-directory or write escape',
    category: 'SCOPE',
    severity: 'medium',
    tools: ['Bash'],
    attack: ['T1083', 'T1005'],
    atlas: [],
    owasp: ['LLM06:2025', 'ASI02'],
    description:
      'cd/pushd to a directory outside the project root; git -C, make -C, npm --prefix, pnpm --dir, yarn --cwd outside it; write verbs (cp/mv destination, tee, touch, mkdir, sed -i, ln, rm) or > / >> redirects targeting outside the root (temp dirs and /dev excepted). Follows the cwd across `cd X && …`.',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    commands(facts).forEach((cmd, i) => {
      const why = shellEscape(facts, cmd, i);
      if (why) hits.push(...hit(cmd.text, undefined, `The command ${why}.`));
    });
    return hits;
  },
);

/** Whether `path` is /, the home directory or an ancestor of it (`/home`, `/Users`). */
function broadRoot(facts: EventFacts, raw: string, cwd: string): boolean {
  if (/`|\$(?!HOME\b|\{HOME\})/.test(raw)) return false;
  const r = facts.resolve(raw, cwd);
  return [r.abs, r.real].some((p) => p === '/' || isInside(facts.home, p));
}

function shallow(cmd: ShellCommand, flag: string): boolean {
  const depth = optionValue(cmd.args, flag, null);
  return depth !== undefined && Number(depth) <= 1;
}

/** Whether a command walks a whole filesystem or home tree. */
function enumerates(facts: EventFacts, cmd: ShellCommand): boolean {
  const { name, args, cwd } = cmd;
  const ops = operands(cmd);
  const cluster = (ch: string) => args.some((a) => /^-[a-zA-Z]+$/.test(a) && a.includes(ch));
  switch (name) {
    case 'find':
      return !shallow(cmd, '-maxdepth') && findRoots(cmd).some((r) => broadRoot(facts, r, cwd));
    case 'locate':
    case 'mlocate':
    case 'plocate':
      return true;
    case 'fd':
    case 'fdfind': {
      const base = optionValue(args, null, '--base-directory') ?? optionValue(args, null, '--search-path');
      return (base !== undefined && broadRoot(facts, base, cwd)) || ops.slice(1).some((o) => broadRoot(facts, o, cwd)) || (ops.length <= 1 && broadRoot(facts, '.', cwd));
    }
    case 'tree':
      return !shallow(cmd, '-L') && (ops.length ? ops : ['.']).some((o) => broadRoot(facts, o, cwd));
    case 'du':
      return (cluster('a') || args.includes('--all')) && (ops.length ? ops : ['.']).some((o) => broadRoot(facts, o, cwd));
    case 'ls':
      return (cluster('R') || args.includes('--recursive')) && (ops.length ? ops : ['.']).some((o) => broadRoot(facts, o, cwd));
    case 'rg':
    case 'ag': {
      const paths = args.includes('--files') ? ops : ops.slice(1);
      return (paths.length ? paths : ['.']).some((o) => broadRoot(facts, o, cwd));
    }
    case 'grep':
    case 'egrep':
    case 'fgrep':
      return (cluster('r') || cluster('R') || args.includes('--recursive')) && ops.slice(1).some((o) => broadRoot(facts, o, cwd));
    default:
      return false;
  }
}

const scope004 = defineRule(
  {
    id: 'AGT-SCOPE-004',
    title: 'Broad filesystem enumeration',
    category: 'SCOPE',
    severity: 'medium',
    tools: ['Bash', 'Grep', 'Glob'],
    attack: ['T1083', 'T1217'],
    atlas: [],
    owasp: ['ASI02'],
    description: 'find, fd, locate, tree, du -a, ls -R, rg/grep -r rooted at /, ~ or $HOME (or an ancestor of home); Grep or Glob over / or ~ with any pattern.',
  },
  (facts) => {
    if (facts.tool === 'Grep' || facts.tool === 'Glob') {
      const f = facts.files.find((x) => x.via === facts.tool && x.access === 'search' && (x.abs === '/' || isInside(facts.home, x.abs)));
      return f ? hit(`${facts.tool} ${f.raw}${typeof facts.input.pattern === 'string' ? ` (pattern ${facts.input.pattern})` : ''}`) : [];
    }
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    for (const cmd of commands(facts)) if (enumerates(facts, cmd)) hits.push(...hit(cmd.text));
    return hits;
  },
);

export const SCOPE_RULES: Rule[] = [scope001, scope002, scope003, scope004];
