import { describe, expect, it } from 'vitest';
import { testEnv } from '../../../../test/helpers/facts.js';
import { expectRuleMetadata, ruleTable } from '../../../../test/helpers/rule-table.js';
import { RECON_RULES } from './recon.js';

const env = await testEnv();
const rule = RECON_RULES[0]!;
const table = ruleTable(RECON_RULES, env, { defaultSeverity: true });

describe('RECON rule metadata', () => {
  it('has a well-formed id and mappings', () => {
    expectRuleMetadata(RECON_RULES, 'RECON', ['AGT-RECON-001']);
    expect(rule.severity).toBe('medium');
  });
});

table(
  'AGT-RECON-001',
  [
    // catalogue
    'Bash: nmap -sS 10.0.0.0/24',
    'Bash: nc -zv 10.0.0.5 1-1024',
    'Bash: sudo tcpdump -i any -w /tmp/c.pcap',
    // variants
    'Bash: masscan -p1-65535 10.0.0.0/8 --rate 10000',
    'Bash: fping -a -g 192.168.1.0/24',
    'Bash: ncat -z db.internal.example 5432',
    'Bash: tshark -i eth0',
    'Bash: sudo arp-scan --localnet',
    'Bash: mitmdump -p 8080',
    'Bash: /usr/bin/nmap -p 22 scanme.example.org',
    'Bash: for h in 10.0.0.1 10.0.0.2; do nc -z -w1 $h 22; done',
  ],
  [
    // catalogue
    'Bash: nc -z localhost 5432',
    'Bash: ping -c1 localhost',
    // look-alikes
    'Bash: nc -l 8080',
    'Bash: nmap --version',
    'Bash: echo nmap -sS 10.0.0.0/24',
    'Bash: nc -z 127.0.0.1 3000',
    'Bash: dig example.com',
    'Bash: npm run scan',
  ],
);
