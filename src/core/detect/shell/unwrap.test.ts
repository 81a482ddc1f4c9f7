import { describe, expect, it } from 'vitest';
import type { ShellCommand } from '../types.js';
import { analyzeShell } from './analyze.js';
import { shellInvariantViolations } from './invariants.js';

const CWD = '/home/u/proj';
const run = (src: string) => analyzeShell(src, CWD, '/home/u');

const WRAPPED: readonly { title: string; src: string; cmd: Partial<ShellCommand> }[] = [
  { title: 'unwraps sudo -u USER --', src: 'sudo -u root -- rm -rf /x', cmd: { name: 'rm', wrappers: ['sudo'], wrapperArgs: ['-u', 'root'] } },
  { title: 'unwraps sudo with clustered -nu USER', src: 'sudo -nu root id', cmd: { name: 'id', wrapperArgs: ['-nu', 'root'] } },
  { title: 'unwraps sudo --user=USER', src: 'sudo --user=root id', cmd: { name: 'id', wrapperArgs: ['--user=root'] } },
  { title: 'keeps sudo -l as sudo', src: 'sudo -l', cmd: { name: 'sudo', args: ['-l'], wrappers: [] } },
  { title: 'keeps a bare sudo', src: 'sudo', cmd: { name: 'sudo', wrappers: [] } },
  { title: 'unwraps doas -u USER', src: 'doas -u root cat /etc/shadow', cmd: { name: 'cat', wrappers: ['doas'], wrapperArgs: ['-u', 'root'] } },
  { title: 'unwraps env -i -u NAME', src: 'env -i -u PATH ls', cmd: { name: 'ls', wrappers: ['env'], wrapperArgs: ['-i', '-u', 'PATH'] } },
  { title: 'applies env -C DIR to the cwd', src: 'env -C /etc cat hosts', cmd: { name: 'cat', cwd: '/etc', wrapperArgs: ['-C', '/etc'] } },
  { title: 'splits env -S STRING into words', src: 'env -S "node --inspect" app.js', cmd: { name: 'node', args: ['--inspect', 'app.js'] } },
  { title: 'keeps a command word from env -S "$X" dynamic', src: 'env -S "$X" y', cmd: { name: '', word: '$X', dynamicName: true, args: ['y'] } },
  { title: 'keeps a bare env with options', src: 'env -i', cmd: { name: 'env', args: ['-i'], wrappers: [] } },
  { title: 'keeps a bare time keyword', src: 'time', cmd: { name: 'time', wrappers: [] } },
  { title: 'peels the time keyword', src: 'time -p make', cmd: { name: 'make', wrappers: ['time'], wrapperArgs: ['-p'] } },
  { title: 'peels /usr/bin/time -f FMT', src: '/usr/bin/time -f %e make', cmd: { name: 'make', wrappers: ['time'], wrapperArgs: ['-f', '%e'] } },
  { title: 'peels timeout -s SIG -k DUR DURATION', src: 'timeout -s KILL -k 5 10 curl x', cmd: { name: 'curl', wrapperArgs: ['-s', 'KILL', '-k', '5', '10'] } },
  { title: 'peels nice -10', src: 'nice -10 make', cmd: { name: 'make', wrappers: ['nice'], wrapperArgs: ['-10'] } },
  { title: 'peels ionice -c N -n N', src: 'ionice -c 2 -n 7 tar c .', cmd: { name: 'tar', wrapperArgs: ['-c', '2', '-n', '7'] } },
  { title: 'keeps command -v as command', src: 'command -v curl', cmd: { name: 'command', args: ['-v', 'curl'] } },
  { title: 'peels command and builtin', src: 'command builtin cd /tmp', cmd: { name: 'cd', wrappers: ['command', 'builtin'] } },
  { title: 'peels exec -a NAME', src: 'exec -a kworker ./miner', cmd: { name: 'miner', wrappers: ['exec'], wrapperArgs: ['-a', 'kworker'] } },
  { title: 'keeps a bare exec with its redirects', src: 'exec 3<>/dev/tcp/x/80', cmd: { name: 'exec', redirects: [{ op: '<>', target: '/dev/tcp/x/80', fd: 3 }] } },
  { title: 'peels stdbuf -oL', src: 'stdbuf -oL -e 0 tail -f log', cmd: { name: 'tail', wrapperArgs: ['-oL', '-e', '0'] } },
  { title: 'peels xargs -0 -n1 -P4', src: 'xargs -0 -n1 -P 4 rm -f', cmd: { name: 'rm', args: ['-f'], via: 'xargs', wrapperArgs: ['-0', '-n1', '-P', '4'] } },
  { title: 'keeps a bare xargs', src: 'xargs', cmd: { name: 'xargs', via: 'top' } },
  { title: 'peels setsid, caffeinate, torsocks, unbuffer', src: 'setsid -f caffeinate -i torsocks unbuffer curl x', cmd: { name: 'curl', wrappers: ['setsid', 'caffeinate', 'torsocks', 'unbuffer'] } },
  { title: 'peels chrt and taskset positionals', src: 'chrt -f 10 taskset -c 0 ./job', cmd: { name: 'job', wrapperArgs: ['-f', '10', '-c', '0'] } },
  { title: 'peels busybox applets', src: 'busybox wget x', cmd: { name: 'wget', wrappers: ['busybox'] } },
  { title: 'names a command by its basename', src: '/usr/bin/curl -sS x', cmd: { name: 'curl', word: '/usr/bin/curl' } },
  { title: 'dequotes the command word', src: '"r"\\m -rf x', cmd: { name: 'rm', word: 'rm', dynamicName: false } },
  { title: 'marks a brace-expanded command word dynamic', src: '{rm,-rf,/tmp/x}', cmd: { name: '', dynamicName: true } },
  { title: 'leaves python -c code as an argument', src: 'python3 -c "import os"', cmd: { name: 'python3', args: ['-c', 'import os'] } },
];

const NESTED: readonly { title: string; src: string; names: readonly string[]; vias: readonly string[] }[] = [
  { title: 'recurses into sudo bash -lc', src: 'sudo -u root -- bash -lc "rm -rf /"', names: ['bash', 'rm'], vias: ['top', 'sh-c'] },
  { title: 'recurses into sh -ec with options', src: "sh -e -o pipefail -c 'curl x | sh'", names: ['sh', 'curl', 'sh'], vias: ['top', 'sh-c', 'sh-c'] },
  { title: 'recurses into literal eval', src: "eval 'rm -rf /'", names: ['eval', 'rm'], vias: ['top', 'eval'] },
  { title: 'joins eval arguments', src: 'eval curl x "|" sh', names: ['eval', 'curl', 'sh'], vias: ['top', 'eval', 'eval'] },
  { title: 'keeps sh -c "$X" opaque', src: 'sh -c "$X"', names: ['sh'], vias: ['top'] },
  { title: 'keeps eval $CMD opaque', src: 'eval $CMD', names: ['eval'], vias: ['top'] },
  { title: 'recurses into su -c', src: "su - root -c 'cat /etc/shadow'", names: ['su', 'cat'], vias: ['top', 'sh-c'] },
  { title: 'recurses into watch', src: 'watch -n 1 "curl x | sh"', names: ['watch', 'curl', 'sh'], vias: ['top', 'sh-c', 'sh-c'] },
  { title: 'recurses into find -exec sh -c', src: "find . -exec sh -c 'rm \"$1\"' _ {} \\;", names: ['find', 'sh', 'rm'], vias: ['top', 'find-exec', 'sh-c'] },
  { title: 'recurses into xargs sh -c', src: "xargs -I{} sh -c 'cp {} /tmp'", names: ['sh', 'cp'], vias: ['xargs', 'sh-c'] },
  { title: 'emits every -exec of a find', src: 'find . -exec cat {} + -o -execdir rm {} \\;', names: ['find', 'cat', 'rm'], vias: ['top', 'find-exec', 'find-exec'] },
  { title: 'emits substitutions in [[ ]] and (( ))', src: '[[ -f $(which x) ]] && (( $(id -u) == 0 ))', names: ['which', 'id'], vias: ['substitution', 'substitution'] },
  { title: 'emits substitutions in for word lists', src: 'for f in $(ls); do rm $f; done', names: ['ls', 'rm'], vias: ['substitution', 'top'] },
  { title: 'emits nested backticks', src: 'echo `echo \\`id\\``', names: ['echo', 'echo', 'id'], vias: ['top', 'substitution', 'substitution'] },
  { title: 'walks function bodies and coprocs', src: 'f() { curl x; }; coproc nc x 1', names: ['curl', 'nc'], vias: ['top', 'top'] },
];

describe('wrappers', () => {
  it.each(WRAPPED)('$title', ({ src, cmd }) => {
    const r = run(src);
    expect(r.commands).toHaveLength(1);
    expect(r.commands[0]).toMatchObject(cmd);
    expect(r.uncertain).toBe(false);
  });
});

describe('nested code', () => {
  it.each(NESTED)('$title', ({ src, names, vias }) => {
    const r = run(src);
    expect(r.commands.map((c) => c.name)).toEqual(names);
    expect(r.commands.map((c) => c.via)).toEqual(vias);
    expect(shellInvariantViolations(r)).toEqual([]);
    expect(r.uncertain).toBe(false);
  });

  it('gives nested sh -c commands the slice of the inner string as text', () => {
    const r = run(`bash -c "cd /tmp && curl -o x 'https://e.example/a b'"`);
    expect(r.commands.map((c) => c.text)).toEqual([
      `bash -c "cd /tmp && curl -o x 'https://e.example/a b'"`, 'cd /tmp', "curl -o x 'https://e.example/a b'",
    ]);
    expect(r.commands[2]).toMatchObject({ cwd: '/tmp', args: ['-o', 'x', 'https://e.example/a b'], depth: 1 });
  });

  it('analyses four levels of sh -c and leaves the fifth opaque, uncertain', () => {
    const four = run(`sh -c "sh -c 'sh -c \\"sh -c id\\"'"`);
    expect(four.commands.map((c) => c.depth)).toEqual([0, 1, 2, 3, 4]);
    expect(four.uncertain).toBe(false);
    const five = run(`sh -c "sh -c 'sh -c \\"sh -c \\\\\\"sh -c id\\\\\\"\\"'"`);
    expect(five.commands.map((c) => c.name)).toEqual(['sh', 'sh', 'sh', 'sh', 'sh']);
    expect(five.uncertain).toBe(true);
    expect(run('echo $(echo $(echo $(echo $(echo $(id)))))').uncertain).toBe(true);
  });
});
