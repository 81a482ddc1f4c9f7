/** RECON (reference B.4): network scanning, discovery and sniffing tools. */
import { commands, defineRule, hit } from '../rule-kit.js';
import { isLocalHost } from '../lists.js';
import type { EventFacts, Rule, RuleHit, ShellCommand } from '../types.js';

/** Scanners and discovery tools: always reconnaissance. */
const SCANNERS = new Set([
  'nmap', 'masscan', 'zmap', 'rustscan', 'arp-scan', 'netdiscover', 'unicornscan', 'naabu', 'hping3', 'nbtscan', 'onesixtyone',
  'enum4linux', 'nikto', 'dnsrecon', 'dnsenum', 'amass', 'subfinder',
]);
/** Sniffers and interception proxies (T1040). */
const SNIFFERS = new Set(['tcpdump', 'tshark', 'dumpcap', 'ngrep', 'termshark', 'mitmproxy', 'mitmdump', 'mitmweb', 'ettercap', 'bettercap', 'arpspoof', 'responder']);
const NETCATS = new Set(['nc', 'ncat', 'netcat']);

/** Whether a netcat port scan (`nc -z`) targets a host other than this machine. */
function remoteZeroScan(facts: EventFacts, cmd: ShellCommand, index: number): boolean {
  if (!cmd.args.some((a) => /^-[a-zA-Z]*z/.test(a))) return false;
  const hosts = facts.urls.filter((u) => u.command === index);
  return hosts.length === 0 ? false : hosts.some((u) => !u.host || !isLocalHost(u.host));
}

const recon001 = defineRule(
  {
    id: 'AGT-RECON-001',
    title: 'Network scanning / discovery tools',
    category: 'RECON',
    severity: 'medium',
    tools: ['Bash'],
    attack: ['T1046', 'T1040'],
    atlas: [],
    owasp: ['ASI02'],
    description:
      'Port scanners and discovery tools (nmap, masscan, zmap, rustscan, arp-scan, netdiscover), fping -g, nc -z against a host other than this machine, and sniffers or interception proxies (tcpdump, tshark, ngrep, mitmproxy).',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    commands(facts).forEach((cmd, i) => {
      const n = cmd.name;
      if (
        SCANNERS.has(n) || SNIFFERS.has(n) ||
        (n === 'fping' && cmd.args.some((a) => a === '-g' || a === '--generate')) ||
        (NETCATS.has(n) && remoteZeroScan(facts, cmd, i))
      ) {
        if (!cmd.args.every((a) => /^(-V|--version|-h|--help)$/.test(a)) || cmd.args.length === 0) hits.push(...hit(cmd.text));
      }
    });
    return hits;
  },
);

export const RECON_RULES: Rule[] = [recon001];
