/**
 * EXEC: code execution the agent should not do on its own (reference B.4): downloads run by an
 * interpreter (001), reverse shells (002, in exec-shell.ts), decode-and-execute and opaque command
 * names (003), execution from temp dirs (004), listeners and tunnels (005, in exec-shell.ts).
 */
import { posix } from 'node:path';
import { isInterpreter } from '../lists.js';
import { commands, defineRule, hit } from '../rule-kit.js';
import type { Rule, RuleHit, ShellCommand } from '../types.js';
import { SUBST, downloadTargets, executedLater, isDecoder, isFetcher, programArg, redirectTargets, sinkOf, stdinRunnerAfter } from './exec-kit.js';
import { EXEC_SHELL_RULES } from './exec-shell.js';
import { dedupe, operandList, rawCommand, uncertain } from './persist-kit.js';

const RAW_PIPE_SH = /\b(?:curl|wget|fetch)\b[^|;&\n]{0,500}\|\s*(?:sudo\s+(?:-\S+\s+){0,5})?(?:\S{0,100}\/)?(?:ba|z|da|k|a)?sh\b/;
const RAW_SUBST_SH = /(?:\b(?:ba|z|da|k)?sh\s+(?:-c\s+)?["']?|\b(?:eval|source)\s+["']?|(?:^|[;&|]\s*)\.\s+)(?:<|\$)\(\s*(?:\S{0,100}\/)?(?:curl|wget)\b/;

const exec001 = defineRule(
  {
    id: 'AGT-EXEC-001',
    title: 'Download piped or substituted into an interpreter',
    category: 'EXEC',
    severity: 'high',
    tools: ['Bash'],
    attack: ['T1059.004', 'T1105'],
    atlas: ['AML.T0050'],
    owasp: ['LLM05:2025', 'ASI05'],
    description:
      'curl/wget output piped into a shell or interpreter reading stdin, or run through sh -c "$(curl …)", bash <(curl …), source <(…), eval "$(curl …)"; or a file downloaded and executed in the same command line.',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const cmds = commands(facts);
    const hits: RuleHit[] = [];
    for (const [i, cmd] of cmds.entries()) {
      if (!isFetcher(cmd)) continue;
      const runner = stdinRunnerAfter(facts, cmd);
      if (runner) hits.push(...hit(`${cmd.text} | ${runner.text}`));
      const sink = sinkOf(cmds, cmd);
      if (sink) hits.push(...hit(sink.text));
      // curl -o x.sh URL && sh x.sh: downloaded, then executed.
      const later = executedLater(facts, i, downloadTargets(cmd).map((t) => facts.resolve(t, cmd.cwd).abs));
      if (later) hits.push(...hit(`${cmd.text} … ${later.text}`, undefined, 'A downloaded file is executed in the same command line.'));
    }
    if (hits.length === 0 && uncertain(facts)) {
      const m = RAW_PIPE_SH.exec(rawCommand(facts)) ?? RAW_SUBST_SH.exec(rawCommand(facts));
      if (m) hits.push(...hit(m[0], undefined, 'Matched textually: the command line could not be fully parsed.'));
    }
    return dedupe(hits).slice(0, 1);
  },
);

/** Interpreter one-liners that decode and run code. */
const DECODE_EXEC = [
  /\b(?:exec|eval)\s*\(\s*(?:__import__\(\s*['"](?:base64|zlib|codecs|marshal|binascii)['"]\s*\)|base64\.|b64decode|codecs\.decode|zlib\.decompress|bytes\.fromhex|marshal\.loads|binascii\.)/,
  /\b(?:eval|Function|execSync|exec|spawnSync|runInThisContext|runInNewContext)\s*\(\s*(?:atob\s*\(|Buffer\.from\s*\()/,
  /Buffer\.from\s*\([^)]{0,200}['"](?:base64|hex|base64url)['"]\s*\)[\s\S]{0,200}?\b(?:eval|Function|exec|execSync|runIn\w*Context)\s*\(/,
  /\b(?:eval|Function|exec|execSync|runIn\w*Context)\s*\([\s\S]{0,200}?Buffer\.from\s*\([^)]{0,200}['"](?:base64|hex|base64url)['"]/,
  /\beval\s*\(?\s*(?:decode_base64|MIME::Base64::decode|pack\s*\(?\s*["']H|unpack\s*\(?\s*["']u)/,
  /\beval\s*\(?\s*(?:Base64\.(?:decode64|strict_decode64|urlsafe_decode64)|\[[^\]]*\]\.pack)/,
  /\beval\s*\(\s*(?:base64_decode|gzinflate|gzuncompress|str_rot13|hex2bin)\s*\(/i,
];
const ENV_PATH_WORD = /^\$\{?(HOME|PWD|OLDPWD|VIRTUAL_ENV|CONDA_PREFIX|PYENV_ROOT|NVM_DIR|CARGO_HOME|GOPATH|GOBIN|GOROOT|JAVA_HOME|ANDROID_HOME|ANDROID_SDK_ROOT|PNPM_HOME|BUN_INSTALL|DENO_INSTALL|CLAUDE_PROJECT_DIR|PROJECT_ROOT|REPO_ROOT|ROOT_DIR|SCRIPT_DIR|DIR)\}?\/[\w@%+=:,./-]+$/;
/** The user's editor or pager: conventional indirection. */
const EDITOR_WORD = /^\$\{?(EDITOR|VISUAL|PAGER|GIT_EDITOR)\}?$/;
const RAW_DECODE_SH = /\b(?:base64\s+(?:-\w*\s+)*(?:-d|-D|--decode)|xxd\s+-r\w*|openssl\s+(?:enc|base64)\b[^|;&\n]{0,300}\s-d)\b[^|;&\n]{0,500}\|\s*(?:sudo\s+)?(?:\S{0,100}\/)?(?:ba|z|da|k)?sh\b/;
/** Producers whose output is conventionally eval'd (environment setup, completions). */
const EVAL_PRODUCERS = new Set([
  'ssh-agent', 'gpg-agent', 'keychain', 'pyenv', 'rbenv', 'nodenv', 'goenv', 'jenv', 'plenv', 'direnv', 'brew', 'conda',
  'mamba', 'micromamba', 'fnm', 'mise', 'rtx', 'asdf', 'zoxide', 'starship', 'dircolors', 'opam', 'luarocks', 'minikube',
  'docker-machine', 'thefuck', 'atuin', 'pdm', 'poetry', 'uv', 'rustup', 'kubectl', 'helm', 'gh', 'npm', 'pnpm', 'register-python-argcomplete',
]);

const exec003 = defineRule(
  {
    id: 'AGT-EXEC-003',
    title: 'Decode-and-execute or dynamic command name',
    category: 'EXEC',
    severity: 'high',
    tools: ['Bash'],
    attack: ['T1140', 'T1027', 'T1059.004'],
    atlas: ['AML.T0068'],
    owasp: ['ASI05'],
    description:
      'base64 -d, xxd -r, openssl enc -d, rev or printf \'\\x..\' output run by an interpreter or eval; interpreter one-liners that exec decoded code; eval of runtime-generated code; a command whose name is an expansion ($x, $(…)), so what runs cannot be known.',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const cmds = commands(facts);
    const hits: RuleHit[] = [];
    const anyDecoder = cmds.some(isDecoder);
    const assigned = new Set(cmds.flatMap((c) => [...c.assigns.map((a) => a.name), ...(c.name === 'export' ? c.args.map((a) => a.split('=')[0]!) : [])]));
    for (const [i, cmd] of cmds.entries()) {
      if (isDecoder(cmd)) {
        const runner = stdinRunnerAfter(facts, cmd);
        if (runner) hits.push(...hit(`${cmd.text} | ${runner.text}`));
        const sink = sinkOf(cmds, cmd);
        if (sink) hits.push(...hit(sink.text));
        const later = executedLater(facts, i, redirectTargets(cmd).map((t) => facts.resolve(t, cmd.cwd).abs));
        if (later) hits.push(...hit(`${cmd.text} … ${later.text}`, undefined, 'Decoded data is written to a file that is then executed.'));
      }
      if (isInterpreter(cmd.name) && DECODE_EXEC.some((re) => re.test(cmd.args.join(' ')))) hits.push(...hit(cmd.text));
      // `$HOME/bin/tool`, `"$VIRTUAL_ENV/bin/python"` (a known directory variable plus a literal path) and `$EDITOR`
      // name what runs, unless the line itself assigns the variable.
      const known = ENV_PATH_WORD.exec(cmd.word) ?? EDITOR_WORD.exec(cmd.word);
      if (cmd.dynamicName && !(known && !assigned.has(known[1]!))) {
        const viaSubst = /^\$\(|^`/.test(cmd.word) || /^\$\(|^`/.test(cmd.text.trimStart());
        const high = viaSubst || anyDecoder || stdinRunnerAfter(facts, cmd) !== undefined;
        hits.push(...hit(cmd.text, high ? 'high' : 'medium', high ? 'The command name is computed at run time.' : 'The command name is a variable: what runs cannot be known.'));
      }
      if (cmd.name === 'eval' || cmd.name === 'source' || cmd.name === '.') {
        const opaque = evalOpaque(cmds, i, cmd);
        if (opaque) hits.push(...hit(cmd.text, 'medium', opaque));
      }
    }
    if (uncertain(facts)) {
      const raw = rawCommand(facts);
      const m = RAW_DECODE_SH.exec(raw) ?? DECODE_EXEC.map((re) => re.exec(raw)).find((x) => x);
      if (m) hits.push(...hit(m[0], undefined, 'Matched textually: the command line could not be fully parsed.'));
    }
    // Decode-and-execute first, then opaque names.
    hits.sort((a, b) => Number(a.severity === 'medium') - Number(b.severity === 'medium'));
    return dedupe(hits).slice(0, 1);
  },
);

/** Why an eval/source runs code the analysis cannot see, or undefined when it is literal or conventional. */
function evalOpaque(cmds: readonly ShellCommand[], index: number, cmd: ShellCommand): string | undefined {
  const program = cmd.name === 'eval' ? cmd.args.join(' ') : (operandList(cmd)[0] ?? '');
  const subst = /\$\(|`|<\(/.test(program);
  if (cmd.name !== 'eval' && !subst) return undefined; // source "$HOME/.cargo/env"
  if (!/[$`]|<\(/.test(program)) return undefined; // literal code: parsed and checked as commands
  const children = cmds.filter((c) => c.parent === index && SUBST.has(c.via));
  if (children.some((c) => isFetcher(c) || isDecoder(c))) return undefined; // EXEC-001 / the decoder branch
  const conventional = (c: ShellCommand) =>
    EVAL_PRODUCERS.has(c.name) || c.args.some((a) => /^(completions?|shellenv|init|hook|env|shell-init|activate)$/.test(a));
  if (children.length > 0 && children.every(conventional)) return undefined;
  if (subst && children.length === 0 && /\$\(\s*(?:\S*\/)?(?:ssh-agent|brew|pyenv|rbenv|direnv|conda)\b/.test(program)) return undefined;
  return subst ? 'eval/source of runtime-generated code.' : 'eval of a variable: the code is only known at run time.';
}

const TMP_DIRS = ['/tmp/', '/var/tmp/', '/dev/shm/', '/private/tmp/', '/private/var/tmp/'];

const exec004 = defineRule(
  {
    id: 'AGT-EXEC-004',
    title: 'Execute from temp or shared-memory dirs',
    category: 'EXEC',
    severity: 'medium',
    tools: ['Bash'],
    attack: ['T1059.004', 'T1204.002'],
    owasp: ['ASI05'],
    description:
      'A command run by path from /tmp, /var/tmp or /dev/shm (cd-relative paths included), or a script under /dev/shm run by an interpreter.',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    for (const cmd of commands(facts)) {
      if (cmd.dynamicName) continue;
      let target: string | undefined;
      if (cmd.word.includes('/')) target = facts.resolve(cmd.word, cmd.cwd).abs;
      else if (isInterpreter(cmd.name)) {
        const p = programArg(cmd);
        if (p && !p.code && p.value.includes('/')) {
          const abs = facts.resolve(p.value, cmd.cwd).abs;
          if (abs.startsWith('/dev/shm/')) target = abs;
        }
      }
      if (target && TMP_DIRS.some((d) => target!.startsWith(d))) {
        const hidden = posix.basename(target).startsWith('.');
        const shm = target.startsWith('/dev/shm/');
        hits.push(...hit(cmd.text, undefined, shm ? 'Runs code from shared memory (/dev/shm).' : hidden ? 'Runs a hidden file from a temp directory.' : undefined));
      }
    }
    return dedupe(hits).slice(0, 1);
  },
);

export const EXEC_RULES: Rule[] = [exec001, ...EXEC_SHELL_RULES.slice(0, 1), exec003, exec004, ...EXEC_SHELL_RULES.slice(1)];
