/**
 * DESTR-003..005 (reference B.4): git history destruction, permission blasts, and destructive
 * cloud, infrastructure and database commands.
 */
import { isInside } from '../../event/scope.js';
import { commands, defineRule, hit } from '../rule-kit.js';
import type { EventFacts, Rule, RuleHit, Severity, ShellCommand } from '../types.js';
import { gitSubcommand, homePath, inTempScratch, operandsOf, SYSTEM_DIRS, underAny, worse } from './shell-targets.js';

/** Branches whose rewrite or deletion is critical. */
const PROTECTED_REF = /^(?:refs\/heads\/)?(?:main|master|release\/.+|prod.*)$/;
/** `git push` options that take a separate value. */
const PUSH_VALUE_OPTS = new Set(['-o', '--push-option', '--repo', '--receive-pack', '--exec']);

/** Severity of a `git push`: deletes and forced updates high, critical on protected refs; leases medium. */
function pushSeverity(args: readonly string[]): Severity | undefined {
  const cluster = (ch: string) => args.some((a) => /^-[a-zA-Z]+$/.test(a) && a.includes(ch));
  if (args.includes('--dry-run') || cluster('n')) return undefined;
  const force = args.includes('--force') || cluster('f');
  const lease = args.some((a) => a.startsWith('--force-with-lease') || a === '--force-if-includes');
  const mirror = args.includes('--mirror');
  const del = args.includes('--delete') || cluster('d');
  const every = args.includes('--all') || args.includes('--branches');
  const positionals = args.filter((a, i) => !a.startsWith('-') && !PUSH_VALUE_OPTS.has(args[i - 1] ?? ''));
  const refspecs = positionals.slice(1);
  let sev: Severity | undefined;
  const consider = (dst: string, base: Severity) => {
    const ref = dst.replace(/^refs\/heads\//, '');
    sev = worse(sev, PROTECTED_REF.test(ref) ? 'critical' : base);
  };
  for (const spec of refspecs) {
    const plus = spec.startsWith('+');
    const s = plus ? spec.slice(1) : spec;
    const dst = s.includes(':') ? s.slice(s.indexOf(':') + 1) : s;
    if (s.startsWith(':') || del) consider(dst, 'high');
    else if (plus || force || mirror) consider(dst, 'high');
    else if (lease) consider(dst, 'medium');
  }
  if (mirror || ((force || lease) && every)) sev = 'critical';
  if (!sev && refspecs.length === 0 && (force || del)) sev = 'high';
  if (!sev && refspecs.length === 0 && lease) sev = 'medium';
  if (args.includes('--prune')) sev = worse(sev, 'high');
  return sev;
}

/** Pathspecs that cover the whole working tree. */
const WHOLE_TREE = new Set(['.', './', ':/', '*', ':(top)', ':/*', '..']);

/** Severity of one git command per the catalogue sub-cases. */
export function gitSeverity(cmd: ShellCommand): Severity | undefined {
  const { sub, args } = gitSubcommand(cmd);
  const cluster = (ch: string) => args.some((a) => /^-[a-zA-Z]+$/.test(a) && a.includes(ch));
  switch (sub) {
    case 'push':
      return pushSeverity(args);
    case 'reset':
      return args.includes('--hard') ? 'medium' : undefined;
    case 'clean':
      return (args.includes('--force') || cluster('f')) && !args.includes('--dry-run') && !cluster('n') ? 'medium' : undefined;
    case 'checkout':
      return args.includes('-f') || args.includes('--force') || args.some((a) => WHOLE_TREE.has(a)) ? 'medium' : undefined;
    case 'restore': {
      const staged = args.includes('--staged') || cluster('S');
      const worktree = args.includes('--worktree') || cluster('W');
      return (!staged || worktree) && args.some((a) => WHOLE_TREE.has(a)) ? 'medium' : undefined;
    }
    case 'switch':
      return args.includes('--discard-changes') || args.includes('-f') || args.includes('--force') ? 'medium' : undefined;
    case 'filter-branch':
    case 'filter-repo':
    case 'prune':
      return 'high';
    case 'reflog':
      return args[0] === 'expire' && args.some((a) => /^--expire(-unreachable)?=(now|all)$/.test(a)) ? 'high' : undefined;
    case 'gc':
      return args.some((a) => /^--prune=(now|all)$/.test(a)) ? 'high' : undefined;
    case 'branch':
      return args.includes('-D') || cluster('D') || ((args.includes('--delete') || cluster('d')) && (args.includes('--force') || cluster('f'))) ? 'low' : undefined;
    case 'stash':
      return args[0] === 'clear' || args[0] === 'drop' ? 'low' : undefined;
    default:
      return undefined;
  }
}

const destr003 = defineRule(
  {
    id: 'AGT-DESTR-003',
    title: 'Git history or working-tree destruction',
    category: 'DESTR',
    severity: 'high',
    tools: ['Bash'],
    attack: ['T1485', 'T1565.001'],
    atlas: ['AML.T0101'],
    owasp: ['LLM06:2025'],
    description:
      'Forced or deleting git push (critical on main/master/release/*/prod*; --force-with-lease medium), filter-branch/filter-repo, reflog expire/gc --prune=now (high); reset --hard, clean -f, checkout/restore of the whole tree (medium); branch -D, stash clear/drop (low).',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    for (const cmd of commands(facts)) {
      const sev = cmd.name === 'git' ? gitSeverity(cmd) : cmd.name === 'git-filter-repo' ? 'high' : undefined;
      if (sev) hits.push(...hit(cmd.text, sev));
    }
    return hits;
  },
);

/** Whether a chmod mode makes files writable by others (777, o+w, a+rwx…). */
export function worldWritable(mode: string): boolean {
  if (/^[0-7]{3,5}$/.test(mode)) return (Number(mode.at(-1)) & 2) !== 0;
  return mode.split(',').some((clause) => {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    return !!m && /[oa]/.test(m[1]!) && m[2] !== '-' && m[3]!.includes('w');
  });
}

const CHMOD_OPT = /^-[RfvchHLP]+$|^--/;
/** Places where world-writable or recursive permission changes are a blast. */
const SENSITIVE_DIRS = ['~/.ssh', '~/.gnupg', '~/.aws', '~/.kube', '/etc'];
/** Home caches whose ownership is routinely repaired (`chown -R $USER ~/.npm`): medium, not high. */
const HOME_CACHES = ['~/.npm', '~/.cache', '~/.yarn', '~/.pnpm-store', '~/.nvm', '~/.cargo', '~/.rustup', '~/.local', '~/.config', '~/go', '~/.m2', '~/.gradle'];

/** Whether `path` is /, the home dir, a system dir, or inside a credential or /etc dir. */
function broadOrSensitive(facts: EventFacts, path: string): boolean {
  return path === '/' || path === facts.home || SYSTEM_DIRS.has(path) || SENSITIVE_DIRS.some((d) => isInside(path, homePath(d, facts.home)));
}

function permissionSeverity(facts: EventFacts, cmd: ShellCommand): Severity | undefined {
  const recursive = cmd.args.some((a) => a === '--recursive' || (/^-[a-zA-Z]+$/.test(a) && a.includes('R')));
  if (cmd.name === 'chmod') {
    const reference = cmd.args.some((a) => a.startsWith('--reference'));
    const words = cmd.args.filter((a) => !CHMOD_OPT.test(a));
    const mode = reference ? '' : (words[0] ?? '');
    const targets = (reference ? words : words.slice(1)).map((t) => facts.resolve(t, cmd.cwd));
    const ww = worldWritable(mode);
    if (recursive && ww) return 'high';
    const broad = (p: string) => p === '/' || p === facts.home || SYSTEM_DIRS.has(p);
    if (ww && targets.some((t) => broadOrSensitive(facts, t.abs) || broadOrSensitive(facts, t.real))) return 'high';
    if (recursive && targets.some((t) => broad(t.abs) || broad(t.real))) return 'high';
    return undefined;
  }
  if (!recursive) return undefined;
  // chown/chgrp -R: the first operand is the owner unless --reference names a file.
  const ops = operandsOf(cmd);
  const targets = cmd.args.some((a) => a.startsWith('--reference')) ? ops : ops.slice(1);
  let sev: Severity | undefined;
  for (const raw of targets) {
    if (/`|\$(?!HOME\b|\{HOME\})/.test(raw)) continue;
    const t = facts.resolve(raw, cmd.cwd);
    for (const p of new Set([t.abs, t.real])) {
      if (isInside(p, facts.projectRoot) || inTempScratch(p, facts.projectRoot, facts.home)) continue;
      sev = worse(sev, underAny(p, HOME_CACHES, facts.home, true) ? 'medium' : 'high');
    }
  }
  return sev;
}

const destr004 = defineRule(
  {
    id: 'AGT-DESTR-004',
    title: 'Permission blast (chmod/chown -R on broad or sensitive paths)',
    category: 'DESTR',
    severity: 'high',
    tools: ['Bash'],
    attack: ['T1222.002'],
    atlas: [],
    owasp: ['LLM06:2025'],
    description:
      'chmod -R with a world-writable mode (777, a+rwx, o+w…); world-writable or recursive chmod of /, ~, system dirs, ~/.ssh or /etc; chown/chgrp -R of a path outside the project (medium for home caches such as ~/.npm).',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    for (const cmd of commands(facts)) {
      if (cmd.name !== 'chmod' && cmd.name !== 'chown' && cmd.name !== 'chgrp') continue;
      const sev = permissionSeverity(facts, cmd);
      if (sev) hits.push(...hit(cmd.text, sev));
    }
    return hits;
  },
);

const SQL_CLIENTS = new Set([
  'psql', 'pgcli', 'mysql', 'mariadb', 'mycli', 'sqlite3', 'sqlite', 'litecli', 'duckdb', 'sqlcmd', 'clickhouse-client',
  'clickhouse', 'cockroach', 'cqlsh', 'snowsql', 'usql', 'bq', 'wrangler', 'turso', 'mongosh', 'mongo', 'supabase', 'neonctl', 'sqlplus',
]);
const SQL_DROP = /\bDROP\s+(?:DATABASE|SCHEMA|TABLE)\b|\bTRUNCATE\s+(?:TABLE\s+)?[\w"`[]|\bdropDatabase\s*\(|\.drop\s*\(\s*\)|\bFLUSHALL\b|\bFLUSHDB\b/i;
const SQL_DELETE = /\bDELETE\s+FROM\s+[\w."`[\]]+/i;

/** Returns the destructive SQL statement in `text` (DROP, TRUNCATE, or DELETE FROM without WHERE). */
export function destructiveSql(text: string): string | undefined {
  for (const stmt of text.split(';')) {
    const drop = SQL_DROP.exec(stmt);
    if (drop) return stmt.trim();
    if (SQL_DELETE.test(stmt) && !/\bWHERE\b/i.test(stmt)) return stmt.trim();
  }
  return undefined;
}

/** Positional words of a CLI call, skipping the values of `--opt value` options listed in `valueOpts`. */
function positionals(args: readonly string[], valueOpts: ReadonlySet<string>): string[] {
  return args.filter((a, i) => !a.startsWith('-') && !valueOpts.has(args[i - 1] ?? ''));
}

const AWS_VALUE_OPTS = new Set(['--profile', '--region', '--output', '--endpoint-url', '--query', '--color', '--ca-bundle', '--cli-read-timeout', '--cli-connect-timeout']);
const KUBE_VALUE_OPTS = new Set(['-n', '--namespace', '--context', '--kubeconfig', '-s', '--server', '--cluster', '--user', '-l', '--selector', '-f', '--filename', '-o', '--output']);
const KUBE_BROAD = /^(ns|namespaces?|pv|persistentvolumes?|pvc|persistentvolumeclaims?|crds?|customresourcedefinitions?|nodes?|no|all)(\/|$|,)/;

/** Severity of a cloud, infrastructure or database CLI call. */
function infraSeverity(cmd: ShellCommand, pipelineText: string): Severity | undefined {
  const { name, args } = cmd;
  const has = (...flags: string[]) => args.some((a) => flags.includes(a));
  if (['terraform', 'tofu', 'terragrunt', 'pulumi', 'cdk', 'cdktf'].includes(name)) {
    const pos = positionals(args, new Set(['-chdir', '-var', '-var-file', '--stack', '-s']));
    if (pos[0] === 'destroy' || (pos[0] === 'apply' && has('-destroy', '--destroy'))) return 'high';
    if (name === 'pulumi' && pos[0] === 'stack' && pos[1] === 'rm') return 'high';
    return undefined;
  }
  if ((name === 'serverless' || name === 'sls') && args[0] === 'remove') return 'high';
  if (name === 'aws') {
    const [service, op = ''] = positionals(args, AWS_VALUE_OPTS);
    if (service === 's3') return (op === 'rm' && has('--recursive')) || (op === 'rb' && has('--force')) ? 'high' : undefined;
    return /^(delete|terminate)-/.test(op) && !/^delete-message/.test(op) || op === 'schedule-key-deletion' ? 'high' : undefined;
  }
  if (name === 'gcloud') {
    const pos = positionals(args, new Set(['--project', '--zone', '--region', '--format', '--account', '--configuration']));
    if (pos.includes('delete') || (pos[0] === 'storage' && pos[1] === 'rm' && has('-r', '--recursive'))) return has('--quiet', '-q') ? 'critical' : 'high';
    return undefined;
  }
  if (name === 'gsutil') {
    const pos = positionals(args, new Set(['-o', '-h', '-u']));
    return (pos[0] === 'rm' && args.some((a) => /^-[a-zA-Z]*[rR]/.test(a))) || pos[0] === 'rb' ? 'high' : undefined;
  }
  if (name === 'az') {
    const pos = positionals(args, new Set(['--name', '-n', '--resource-group', '-g', '--subscription', '--output', '-o', '--query']));
    return pos.some((p) => p === 'delete' || p === 'purge' || p === 'delete-batch') ? 'high' : undefined;
  }
  if (name === 'kubectl' || name === 'oc') {
    const pos = positionals(args, KUBE_VALUE_OPTS);
    if (pos[0] !== 'delete') return undefined;
    return has('--all', '-A', '--all-namespaces') || KUBE_BROAD.test(pos[1] ?? '') ? 'high' : undefined;
  }
  if (name === 'helm') {
    const pos = positionals(args, new Set(['-n', '--namespace', '--kube-context', '--kubeconfig']));
    return ['uninstall', 'delete', 'del', 'un'].includes(pos[0] ?? '') ? 'high' : undefined;
  }
  if (name === 'docker' || name === 'podman') {
    const pos = positionals(args, new Set(['-H', '--host', '--context', '-c', '--config']));
    if (pos[0] === 'system' && pos[1] === 'prune' && has('--volumes')) return 'high';
    if (pos[0] === 'volume' && pos[1] === 'prune') return 'high';
    return undefined;
  }
  if (name === 'dropdb' || (name === 'mysqladmin' && args.some((a) => a === 'drop' || a === 'DROP'))) return 'high';
  if (name === 'redis-cli' && args.some((a) => /^(flushall|flushdb)$/i.test(a))) return 'high';
  if (SQL_CLIENTS.has(name)) {
    const bodies = cmd.redirects.map((r) => r.body ?? '').join('\n');
    if (destructiveSql(`${args.join(' ')};${bodies};${pipelineText}`)) return 'high';
  }
  return undefined;
}

/** MCP input keys that carry SQL. */
const SQL_KEYS = new Set(['sql', 'query', 'statement', 'statements', 'sql_query', 'sqlQuery', 'queryText', 'command', 'script']);

const destr005 = defineRule(
  {
    id: 'AGT-DESTR-005',
    title: 'Destructive cloud / infra / database command',
    category: 'DESTR',
    severity: 'high',
    tools: ['Bash', 'mcp__*'],
    attack: ['T1485', 'T1490', 'T1529'],
    atlas: ['AML.T0101'],
    owasp: ['LLM06:2025', 'ASI02'],
    description:
      'terraform/tofu/pulumi destroy, aws s3 rm --recursive / rb --force / delete-* / terminate-*, gcloud … delete (critical with --quiet), az … delete, kubectl delete of namespaces or --all, helm uninstall, docker system prune --volumes, and SQL DROP/TRUNCATE/DELETE-without-WHERE in database clients or MCP database tools.',
  },
  (facts) => {
    if (facts.tool.startsWith('mcp__')) {
      for (const [key, value] of Object.entries(facts.input)) {
        const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
        if (!SQL_KEYS.has(key)) continue;
        for (const text of texts) {
          const stmt = destructiveSql(text);
          if (stmt) return hit(`${facts.tool}: ${stmt}`);
        }
      }
      return [];
    }
    if (facts.tool !== 'Bash') return [];
    const cmds = commands(facts);
    const hits: RuleHit[] = [];
    for (const cmd of cmds) {
      // `echo "DROP TABLE x" | psql`: what the other stages of the pipeline print is the SQL.
      const others = facts.shell?.pipelines[cmd.pipeline]?.filter((i) => cmds[i] !== cmd).map((i) => {
        const c = cmds[i]!;
        return ['echo', 'printf', 'cat'].includes(c.name) ? `${c.args.join(' ')};${c.redirects.map((r) => r.body ?? '').join(';')}` : '';
      });
      const sev = infraSeverity(cmd, (others ?? []).join(';'));
      if (sev) hits.push(...hit(cmd.text, sev));
    }
    return hits;
  },
);

export const DESTR_INFRA_RULES: Rule[] = [destr003, destr004, destr005];
