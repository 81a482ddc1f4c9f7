import { describe, expect, it } from 'vitest';
import { expectRuleMetadata, ruleTable } from '../../../../test/helpers/rule-table.js';
import type { RuleEnv } from '../types.js';
import { PRIV_RULES, setsSuid } from './priv.js';

const env: RuleEnv = { auditPaths: ['/home/u/.agenttrail'], findSecrets: () => [] };
const table = ruleTable(PRIV_RULES, env);

table(
  'AGT-PRIV-001',
  [
    // catalogue
    ['Bash: sudo apt-get install -y jq', 'medium'],
    ['Bash: echo hunter2 | sudo -S rm -rf /var/lib/x', 'high'],
    ['Bash: su - root -c id', 'high'],
    // variants
    ['Bash: /usr/bin/sudo -u postgres psql', 'medium'],
    ['Bash: doas pkg_add jq', 'medium'],
    ['Bash: pkexec apt-get install jq', 'medium'],
    ['Bash: runuser -u postgres -- psql', 'medium'],
    ['Bash: sudo su', 'high'],
    ['Bash: sudo -i', 'high'],
    ['Bash: sudo -s', 'high'],
    ['Bash: sudo bash -c "id"', 'high'],
    ['Bash: sudo zsh', 'high'],
    ['Bash: printf "hunter2\\n" | sudo -k -S -v', 'high'],
    ['Bash: echo hunter2 | sudo apt-get update', 'high'],
    ['Bash: su', 'high'],
    ['Bash: su root', 'high'],
    ['Bash: su postgres -c "psql"', 'medium'],
    ['Bash: cd /srv && sudo make install', 'medium'],
    ['Bash: bash -c "sudo id"', 'medium'],
  ],
  [
    // catalogue
    'Bash: apt-get download jq',
    'Bash: echo sudo is a word',
    // look-alikes
    'Bash: grep -r sudo docs/',
    'Bash: man sudo',
    'Bash: sudo --version',
    'Bash: git commit -m "use sudo in the installer"',
    'Bash: which su',
  ],
);

table(
  'AGT-PRIV-002',
  [
    // catalogue
    'Bash: chmod u+s /tmp/sh',
    'Bash: sudo chmod 4755 ./helper',
    'Bash: sudo setcap cap_setuid+ep /usr/bin/python3',
    // variants
    'Bash: chmod +s /tmp/x',
    'Bash: chmod g+s,o-w /srv/x',
    'Bash: chmod 6755 /tmp/x',
    'Bash: chmod 02755 /tmp/x',
    'Bash: chmod -R ug+xs bin',
    'Bash: sudo install -m 4755 helper /usr/local/bin/helper',
    'Bash: setcap cap_sys_admin,cap_net_raw+eip ./tool',
    'Bash: sudo setcap =ep ./tool',
    'Bash: sudo chown root /tmp/x && sudo chmod u+s /tmp/x',
  ],
  [
    // catalogue
    'Bash: chmod 755 ./bin/run',
    'Bash: chmod +x build.sh',
    // look-alikes
    'Bash: chmod 0755 bin/run',
    'Bash: chmod u-s /tmp/x',
    'Bash: chmod 1777 /tmp/shared',
    'Bash: chmod a+rwx,o-w dist',
    'Bash: sudo setcap cap_net_bind_service=+ep /usr/bin/node',
    'Bash: install -m 755 bin/x /usr/local/bin/x',
    'Bash: getcap /usr/bin/ping',
  ],
);

table(
  'AGT-PRIV-003',
  [
    // catalogue
    'Bash: echo "u ALL=(ALL) NOPASSWD:ALL" | sudo tee /etc/sudoers.d/u',
    'Bash: sudo usermod -aG docker u',
    'Bash: sudo dscl . -append /Groups/admin GroupMembership u',
    // variants
    'Bash: echo "u ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers',
    'Write /etc/sudoers.d/u: "u ALL=(ALL) NOPASSWD:ALL"',
    'Bash: sudo visudo',
    'Bash: sudo useradd -m -s /bin/bash backdoor',
    'Bash: echo "root:x" | sudo chpasswd',
    'Bash: sudo usermod -a -G wheel u',
    'Bash: sudo gpasswd -a u sudo',
    'Bash: sudo adduser u sudo',
    'Bash: sudo dseditgroup -o edit -a u -t user admin',
    'Bash: echo "x:x:0:0::/root:/bin/sh" | sudo tee -a /etc/passwd',
    'Bash: sudo sed -i "s/^u:.*/u::0:0::\\/root:\\/bin\\/sh/" /etc/passwd',
  ],
  [
    // catalogue
    'Bash: getent group docker',
    'Bash: id -Gn',
    // look-alikes
    'Bash: cat /etc/passwd',
    'Read /etc/group',
    'Bash: sudo visudo -c',
    'Bash: groups u',
    'Bash: passwd -S u',
  ],
);

table(
  'AGT-PRIV-004',
  [
    // catalogue
    'Bash: docker run --rm -it --privileged -v /:/host alpine chroot /host',
    'Bash: docker run -v /var/run/docker.sock:/var/run/docker.sock img',
    'Bash: nsenter -t 1 -m -u -i -n sh',
    // variants
    'Bash: sudo docker run --pid=host -it alpine sh',
    'Bash: docker run --volume=/:/mnt alpine',
    'Bash: docker run --mount type=bind,source=/,target=/host alpine',
    'Bash: podman run --cap-add SYS_ADMIN img',
    'Bash: docker container run --privileged img',
    'Bash: docker -H unix:///var/run/docker.sock run --cap-add=ALL img',
    'Bash: nsenter --target 1 --mount sh',
    'Bash: chroot /host /bin/bash',
    'Bash: docker exec --privileged ctr sh',
  ],
  [
    // catalogue
    'Bash: docker run --rm -v "$PWD":/src node:20 npm test',
    'Bash: docker ps',
    // look-alikes
    'Bash: docker run --rm -v /home/u/proj:/app -p 3000:3000 node:20',
    'Bash: docker run -v /etc/localtime:/etc/localtime:ro img',
    'Bash: docker run --net=host img',
    'Bash: docker build -t app .',
    'Bash: nsenter --help',
    'Bash: docker compose up -d',
  ],
);

describe('PRIV helpers and metadata', () => {
  it('reads setuid/setgid modes', () => {
    for (const m of ['u+s', '+s', 'g+s', 'ug=rwxs', '4755', '2755', '6755', '04755', '7777']) expect(setsSuid(m)).toBe(true);
    for (const m of ['755', '0755', '1777', '+x', 'u-s', 'a+rwx', 'o+t']) expect(setsSuid(m)).toBe(false);
  });

  it('has well-formed, unique ids and mappings', () => {
    expectRuleMetadata(PRIV_RULES, 'PRIV', ['AGT-PRIV-001', 'AGT-PRIV-002', 'AGT-PRIV-003', 'AGT-PRIV-004']);
  });
});
