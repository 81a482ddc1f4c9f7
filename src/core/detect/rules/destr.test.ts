import { describe, expect, it } from 'vitest';
import { example, factsOf, toolPayload, testEnv } from '../../../../test/helpers/facts.js';
import { expectRuleMetadata, findRule, ruleTable } from '../../../../test/helpers/rule-table.js';
import type { EventFacts, Rule } from '../types.js';
import { DESTR_RULES } from './destr.js';

const env = await testEnv();
const rule = (id: string): Rule => findRule(DESTR_RULES, id);
const table = ruleTable(DESTR_RULES, env, { defaultSeverity: true });

describe('DESTR rule metadata', () => {
  it('has well-formed, unique ids and mappings', () => {
    expectRuleMetadata(DESTR_RULES, 'DESTR', ['AGT-DESTR-001', 'AGT-DESTR-002', 'AGT-DESTR-003', 'AGT-DESTR-004', 'AGT-DESTR-005', 'AGT-DESTR-006']);
  });
});

table(
  'AGT-DESTR-001',
  [
    // catalogue
    ['Bash: rm -rf ~/', 'critical'],
    ['Bash: cd /home/u/proj && rm -rf ../', 'critical'],
    ['Bash: sudo rm -rf --no-preserve-root /', 'critical'],
    // variants
    ['Bash: rm -rf $HOME', 'critical'],
    ['Bash: rm --recursive --force /home/u/', 'critical'],
    ['Bash: rm -fr /*', 'critical'],
    ['Bash: /bin/rm -Rf "$HOME"/*', 'critical'],
    ['Bash: sh -c "rm -rf ~"', 'critical'],
    ['Bash: rm -r -- /', 'critical'],
    ['Bash: rm -rf .', 'critical'],
    ['Bash: cd .. && rm -rf proj', 'critical'],
    ['Bash: sudo rm -rf /etc', 'critical'],
    ['Bash: rm -rf ~/.*', 'critical'],
    ['Bash: rm -rf /home/u/other-repo', 'high'],
    ['Bash: rm -r ../sibling', 'high'],
    ['Bash: rm -rf ~/Documents', 'high'],
    ['Bash: find ~ -delete', 'critical'],
    ['Bash: find /home/u/other -name "*.pyc" -delete', 'high'],
    ['Bash: find / -name x | xargs rm -rf', 'high'],
    ['Bash: find / -exec rm -rf {} \\;', 'critical'],
    ['Bash: rm -rf /home/u/proj/', 'critical'],
    // zsh-only syntax: the parse is uncertain, the rule still fires
    ['Bash: rm -rf ~/ =(ls)', 'critical'],
  ],
  [
    // catalogue
    'Bash: rm -rf node_modules dist',
    'Bash: rm -rf /tmp/build-123',
    'Bash: find . -name "*.log" -delete',
    // look-alikes
    'Bash: rm -rf /tmp/*',
    'Bash: rm -rf ~/.cache/pip',
    'Bash: rm -f ~/notes.txt',
    'Bash: rm -rf build/* ./dist coverage',
    'Bash: echo rm -rf /',
    'Bash: git rm -r --cached src',
    'Bash: rm -rf "$TMPDIR/x"',
    'Bash: find . -type f -exec rm {} \\;',
    'Bash: cd packages/a && rm -rf ../b/dist',
  ],
);

it('AGT-DESTR-001 follows symlinks of entered directories', () => {
  const realpath = (p: string) => (p.startsWith('/home/u/proj/link') ? p.replace('/home/u/proj/link', '/home/u/data') : p);
  const f = factsOf(toolPayload('Bash', { command: 'rm -rf link/' }), { realpath });
  expect(rule('AGT-DESTR-001').match(f, env)[0]?.severity).toBe('high');
});

table(
  'AGT-DESTR-002',
  [
    'Bash: dd if=/dev/zero of=/dev/sda bs=1M',
    'Bash: sudo mkfs.ext4 /dev/nvme0n1p1',
    'Bash: diskutil eraseDisk APFS X disk2',
    'Bash: cat image.iso > /dev/sdb',
    'Bash: sudo wipefs -a /dev/sda',
    'Bash: sudo parted -s /dev/sda mklabel gpt',
    'Bash: sudo shred -n1 /dev/nvme0n1',
    'Bash: sudo dd if=x.img of=/dev/rdisk4 bs=4m',
    'Bash: sudo sh -c "cat /dev/zero > /dev/sda"',
    'Bash: sudo sgdisk --zap-all /dev/sdb',
    ['Bash: mkfs.ext4 -F rootfs.img', 'medium'],
  ],
  [
    'Bash: dd if=/dev/urandom of=test.bin bs=1k count=4',
    'Bash: df -h',
    'Bash: sudo fdisk -l',
    'Bash: sudo parted /dev/sda print',
    'Bash: diskutil list',
    'Bash: lsblk -f',
    'Bash: sudo dd if=/dev/sda of=backup.img bs=4M',
    'Bash: echo hi > /dev/null',
    'Bash: ls -l /dev/sda',
  ],
);

table(
  'AGT-DESTR-003',
  [
    ['Bash: git push --force origin main', 'critical'],
    ['Bash: git reset --hard HEAD~5', 'medium'],
    ['Bash: git clean -fdx', 'medium'],
    ['Bash: git push -f origin feature/x', 'high'],
    ['Bash: git push origin +main', 'critical'],
    ['Bash: git push origin HEAD:refs/heads/master --force', 'critical'],
    ['Bash: git push origin --delete release/1.2', 'critical'],
    ['Bash: git push origin :old-branch', 'high'],
    ['Bash: git push --force-with-lease origin feature/x', 'medium'],
    ['Bash: git push --force-with-lease origin master', 'critical'],
    ['Bash: git push --mirror backup', 'critical'],
    ['Bash: git -C ../x push -fu origin prod-eu', 'critical'],
    ['Bash: git push --force', 'high'],
    ['Bash: git filter-branch --tree-filter "rm -f secrets" HEAD', 'high'],
    ['Bash: git reflog expire --expire=now --all', 'high'],
    ['Bash: git gc --prune=now --aggressive', 'high'],
    ['Bash: git branch -D feat', 'low'],
    ['Bash: git stash clear', 'low'],
    ['Bash: git checkout -- .', 'medium'],
    ['Bash: git restore .', 'medium'],
  ],
  [
    'Bash: git push origin feature/x',
    'Bash: git reset --soft HEAD~1',
    'Bash: git status',
    'Bash: git push -u origin feature/x',
    'Bash: git restore --staged .',
    'Bash: git checkout -b new-branch',
    'Bash: git branch -d merged',
    'Bash: git clean -n',
    'Bash: git push --dry-run --force origin main',
    'Bash: git stash pop',
    'Bash: git gc',
    'Bash: git checkout -- src/index.ts',
    'Bash: echo git push --force origin main',
  ],
);

table(
  'AGT-DESTR-004',
  [
    'Bash: chmod -R 777 /var/www',
    'Bash: sudo chmod 777 ~/.ssh',
    'Bash: chown -R nobody /home/u',
    'Bash: chmod -R a+rwx .',
    'Bash: chmod --recursive o+w src',
    'Bash: sudo chmod 0777 /etc/passwd',
    'Bash: sudo chmod -R 700 /',
    ['Bash: sudo chown -R u ~/.npm', 'medium'],
    'Bash: sudo chown -R u:u /usr/local/lib',
  ],
  [
    'Bash: chmod -R 755 dist',
    'Bash: chmod +x scripts/build.sh',
    'Bash: chmod 777 tmp.sh',
    'Bash: chown -R u:u ./data',
    'Bash: sudo chown -R u /tmp/x',
    'Bash: chmod 600 ~/.ssh/id_rsa',
    'Bash: chmod -R go-w ~/.ssh',
    'Bash: chmod 755 ~/bin/tool',
  ],
);

const mcp = (spec: string): EventFacts => example(spec);

table(
  'AGT-DESTR-005',
  [
    'Bash: terraform destroy -auto-approve',
    'Bash: aws s3 rm s3://prod-data --recursive',
    'Bash: psql "$DATABASE_URL" -c "DROP TABLE users;"',
    ['Bash: gcloud compute instances delete vm1 --zone us-east1-b --quiet', 'critical'],
    'Bash: gcloud sql instances delete prod-db',
    'Bash: kubectl delete ns prod',
    'Bash: kubectl -n app delete pods --all',
    'Bash: helm uninstall web',
    'Bash: docker system prune -af --volumes',
    'Bash: aws --profile prod ec2 terminate-instances --instance-ids i-1',
    'Bash: aws iam delete-user --user-name ci',
    'Bash: echo "DROP DATABASE app;" | mysql -u root',
    'Bash: sqlite3 app.db "DELETE FROM users"',
    'Bash: psql <<EOF\nTRUNCATE users;\nEOF',
    'Bash: terraform apply -destroy -auto-approve',
    'Bash: az group delete -n rg --yes',
    'Bash: redis-cli FLUSHALL',
    'mcp__postgres__query {"sql":"DROP TABLE users"}',
  ],
  [
    'Bash: terraform plan',
    'Bash: aws s3 ls s3://prod-data',
    'Bash: psql -c "SELECT count(*) FROM users"',
    'Bash: kubectl delete pod web-1',
    'Bash: sqlite3 app.db "DELETE FROM sessions WHERE expired = 1"',
    'Bash: kubectl get ns',
    'Bash: terraform plan -destroy',
    'Bash: docker system prune -f',
    'Bash: aws s3 cp build s3://site --recursive',
    'Bash: helm list',
    'Bash: grep -r "DROP TABLE" migrations/',
    'mcp__postgres__query {"sql":"SELECT 1"}',
  ],
  mcp,
);

table(
  'AGT-DESTR-006',
  [
    'Bash: :(){ :|:& };:',
    'Bash: fallocate -l 500G /tmp/fill',
    'Bash: bomb() { bomb | bomb & }; bomb',
    'Bash: fallocate --length=1T /tmp/x',
    'Bash: fallocate -l11G big',
    'Bash: dd if=/dev/zero of=/tmp/big bs=1G count=100',
    'Bash: yes > /dev/null &',
    'Bash: while true; do node server.js & done',
    'Bash: python3 -c "import os\nwhile True: os.fork()"',
  ],
  [
    'Bash: fallocate -l 10M test.img',
    'Bash: function build() { npm run build; }',
    'Bash: fallocate -l 2G swapfile',
    'Bash: while true; do sleep 1; done',
    'Bash: yes | npx create-vite app',
    'Bash: dd if=/dev/zero of=x bs=1M count=100',
    'Bash: while true; do curl -sf localhost:3000 && break; sleep 1; done',
  ],
);

describe('AGT-DESTR-001 with a project that lives in a temp dir', () => {
  const inTemp = (command: string) => factsOf(toolPayload('Bash', { command }, { cwd: '/tmp/ws-1/proj' }), { projectDir: '/tmp/ws-1/proj' });
  const destr001 = DESTR_RULES.find((r) => r.id === 'AGT-DESTR-001')!;
  it.each(['rm -rf ../bait', 'rm -rf /tmp/ws-1/other', 'rm -rf ..'])('fires on the neighbours of the project: %s', async (command) => {
    expect(destr001.match(inTemp(command), await testEnv()).length).toBeGreaterThan(0);
  });
  it.each(['rm -rf /tmp/build-123', 'rm -rf dist', 'rm -rf /tmp/ws-1/proj/node_modules'])('is silent on scratch and project paths: %s', async (command) => {
    expect(destr001.match(inTemp(command), await testEnv())).toEqual([]);
  });
});
