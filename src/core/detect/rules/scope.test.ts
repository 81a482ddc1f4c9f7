import { describe, expect, it } from 'vitest';
import { example, factsOf, testEnv, toolPayload } from '../../../../test/helpers/facts.js';
import { expectRuleMetadata, findRule, ruleTable } from '../../../../test/helpers/rule-table.js';
import type { EventFacts, Rule } from '../types.js';
import { SCOPE_RULES } from './scope.js';

const env = await testEnv();
const rule = (id: string): Rule => findRule(SCOPE_RULES, id);
const table = ruleTable(SCOPE_RULES, env, { defaultSeverity: true });

describe('SCOPE rule metadata', () => {
  it('has well-formed, unique ids and mappings', () => {
    expectRuleMetadata(SCOPE_RULES, 'SCOPE', ['AGT-SCOPE-001', 'AGT-SCOPE-002', 'AGT-SCOPE-003', 'AGT-SCOPE-004']);
  });
});

/** `NotebookEdit path` and `Glob pattern (path P)` besides the catalogue forms. */
function make(spec: string): EventFacts {
  const nb = /^NotebookEdit (\S+)$/.exec(spec);
  if (nb) return factsOf(toolPayload('NotebookEdit', { notebook_path: nb[1], new_source: 'x' }));
  const glob = /^Glob (\S+) \(path (\S+)\)$/.exec(spec);
  if (glob) return factsOf(toolPayload('Glob', { pattern: glob[1], path: glob[2] }));
  return example(spec);
}

table(
  'AGT-SCOPE-001',
  [
    // catalogue
    ['Write /home/u/other-repo/src/index.ts: "x"', 'high'],
    ['Read /etc/hosts', 'low'],
    ['Edit ~/.gitconfig: "[user]" → "[user]\\n name=x"', 'high'],
    // variants
    ['Read ../other/secrets.txt', 'low'],
    ['Glob ~/.ssh/*', 'low'],
    ['Grep  (path ~, pattern password)', 'medium'],
    ['Grep  (path /, pattern x)', 'medium'],
    ['Write /var/www/index.html: "x"', 'high'],
    ['Write /usr/include/x.h: "x"', 'high'],
    ['Read /usr/include/../../etc/passwd', 'low'],
    ['NotebookEdit /home/u/other/nb.ipynb', 'high'],
    ['Write ~/.claude/settings.json: "{}"', 'high'],
    ['Glob *.pem (path /home/u/.aws)', 'low'],
  ],
  [
    // catalogue
    'Read src/index.ts',
    'Write /tmp/scratch.txt: "x"',
    'Read /home/u/proj/README.md',
    // look-alikes
    'Read /usr/include/stdio.h',
    'Read /home/u/.cargo/registry/src/index.crates.io/serde/lib.rs',
    'Read /home/u/other/node_modules/react/index.js',
    'Write ~/.claude/plans/plan-1.md: "x"',
    'Read ~/.claude/projects/-home-u-proj/sess-1.jsonl',
    'Grep  (path src, pattern x)',
    'Glob **/*.ts',
    'Read /private/var/folders/x1/T/out.txt',
  ],
  make,
);

it('AGT-SCOPE-001 judges the real location (symlinked project files are outside)', () => {
  const realpath = (p: string) => (p.startsWith('/home/u/proj/link') ? p.replace('/home/u/proj/link', '/etc') : p);
  const f = factsOf(toolPayload('Read', { file_path: 'link/passwd' }), { realpath });
  expect(rule('AGT-SCOPE-001').match(f, env)[0]?.severity).toBe('low');
});

const linked = (p: string) =>
  p.startsWith('/home/u/proj/link') ? p.replace('/home/u/proj/link', '/etc') : p.startsWith('/home/u/proj/node_modules/mylib') ? p.replace('/home/u/proj/node_modules/mylib', '/home/u/mylib') : p;

table(
  'AGT-SCOPE-002',
  [
    // catalogue
    ['Read ../../.ssh/id_rsa', 'medium'],
    ['Write src/../../other/x.ts: "x"', 'high'],
    ['Bash: cp build/app.js ../../../etc/cron.d/', 'high'],
    // variants
    ['Bash: cat ../../etc/passwd', 'medium'],
    ['Edit ../sibling/file.ts: "a" → "b"', 'high'],
    ['Bash: rm -rf ../other', 'high'],
    ['symlink Read link/shadow', 'medium'],
    ['symlink Write link/cron.d/x', 'high'],
  ],
  [
    // catalogue
    'Read src/../README.md',
    'Read packages/a/../b/index.ts',
    // look-alikes
    'Bash: cd .. && ls',
    'Read ../../../tmp/x.txt',
    'Bash: ls ./src/../dist',
    'Read /etc/hosts',
    'symlink Read node_modules/mylib/index.js',
  ],
  (spec) => {
    const m = /^symlink (Read|Write) (\S+)$/.exec(spec);
    if (m) return factsOf(toolPayload(m[1]!, { file_path: m[2], content: 'x' }), { realpath: linked });
    return example(spec);
  },
);

table(
  'AGT-SCOPE-003',
  [
    // catalogue
    'Bash: cd ~/other-project && git pull',
    'Bash: cd /etc && cat hosts',
    'Bash: echo x > ~/notes.txt',
    // variants
    'Bash: pushd /var/www',
    'Bash: git -C ~/other pull',
    'Bash: make -C /usr/src/linux',
    'Bash: npm --prefix ../other install',
    'Bash: touch ~/.hushlogin',
    'Bash: cp dist/app.js /var/www/',
    'Bash: mkdir -p ~/bin',
    'Bash: sudo sed -i s/a/b/ /etc/hosts',
    'Bash: cd',
    'Bash: cd .. && npm install',
    'Bash: echo y >> "$HOME/.profile"',
  ],
  [
    // catalogue
    'Bash: cd src && ls',
    'Bash: npm test > /tmp/out.txt 2>&1',
    'Bash: cd /tmp && ls',
    // look-alikes
    'Bash: git -C packages/a status',
    'Bash: echo x > /dev/null',
    'Bash: cp a.txt b.txt',
    'Bash: cat /etc/hosts',
    'Bash: npm test | tee /tmp/log.txt',
    'Bash: make -C build',
    'Bash: cd "$PROJECT_DIR" && ls',
    'Bash: git commit -C HEAD --amend',
  ],
);

table(
  'AGT-SCOPE-004',
  [
    // catalogue
    'Bash: find / -name "*.pem" 2>/dev/null',
    'Bash: ls -laR ~',
    'Grep  (path ~, pattern password)',
    // variants
    'Bash: find $HOME -name id_rsa',
    'Bash: locate id_rsa',
    'Bash: tree ~',
    'Bash: du -a /',
    'Bash: rg --files ~',
    'Bash: grep -r "API_KEY" ~',
    'Bash: fd -H .env /',
    'Bash: cd ~ && find . -name "*.key"',
    'Bash: find /home -name .env',
    'Glob ~/**/*.pem',
    'Glob /**/id_rsa',
    'Grep  (path /, pattern BEGIN RSA)',
  ],
  [
    // catalogue
    'Bash: find . -name "*.ts"',
    'Bash: ls ~',
    // look-alikes
    'Bash: find ~ -maxdepth 1 -name ".*rc"',
    'Bash: tree -L 1 ~',
    'Bash: rg TODO src',
    'Grep  (path src, pattern x)',
    'Glob **/*.ts',
    'Bash: du -sh ~',
    'Bash: ls -R src',
    'Bash: find ~/proj/src -name "*.ts"',
  ],
);
