/**
 * DESTR: destruction of files, disks and resources (reference B.4). DESTR-001, -002 and -006
 * live here; git, permission and cloud/database destruction (003–005) in destr-infra.ts.
 */
import { posix } from 'node:path';
import { isInside } from '../../event/scope.js';
import { commands, defineRule, hasFlag, hit } from '../rule-kit.js';
import type { EventFacts, Rule, RuleHit, Severity, ShellCommand } from '../types.js';
import { DESTR_INFRA_RULES } from './destr-infra.js';
import { deleteSeverity, deleteTargets, findRoots, operandsOf, optionValue, rawCommand, worse } from './shell-targets.js';

const FIND_FILTERS = new Set(['-name', '-iname', '-path', '-ipath', '-wholename', '-regex', '-iregex', '-mtime', '-mmin', '-atime', '-newer', '-size', '-user', '-empty', '-type', '-perm', '-links']);

const RM_NAMES = new Set(['rm', 'shred', 'unlink', 'srm']);

function findDeletes(cmd: ShellCommand): boolean {
  return cmd.args.some((a, i) => a === '-delete' || (/^-(exec|execdir|ok|okdir)$/.test(a) && RM_NAMES.has(posix.basename(cmd.args[i + 1] ?? ''))));
}

function findSeverity(facts: EventFacts, cmd: ShellCommand): Severity | undefined {
  let sev: Severity | undefined;
  for (const root of findRoots(cmd)) {
    for (const t of deleteTargets(facts, root, cmd.cwd)) {
      // find deletes what it matches below its start: inside the project (the root included) that is ordinary cleanup.
      if (!isInside(t.path, facts.projectRoot)) sev = worse(sev, deleteSeverity(facts, { path: t.path, contents: true }));
    }
  }
  // A filtered find (`-name '*.pyc'`) removes some files, not the tree.
  if (sev === 'critical' && cmd.args.some((a) => FIND_FILTERS.has(a))) sev = 'high';
  return sev;
}

const RAW_RM_ROOT = /\brm\s+(?:-{1,2}[\w-]+\s+)*(?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)(?:\s+-{1,2}[\w-]+)*\s+(?:--\s+)?["']?(?:\/|~|\$HOME|\$\{HOME\})\/?\*?["']?(?=$|[\s;&|)])/;

const destr001 = defineRule(
  {
    id: 'AGT-DESTR-001',
    title: 'Recursive delete outside the project or of critical paths',
    category: 'DESTR',
    severity: 'critical',
    tools: ['Bash'],
    attack: ['T1485', 'T1070.004'],
    atlas: ['AML.T0101'],
    owasp: ['LLM06:2025', 'ASI02'],
    description:
      'rm -r of /, the home directory, the project root or an ancestor, a system directory (critical) or any other path outside the project (high), except temp and cache dirs; find … -delete / -exec rm outside the project.',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    const cmds = commands(facts);
    for (const cmd of cmds) {
      let sev: Severity | undefined;
      if (cmd.name === 'rm' && hasFlag(cmd, 'rR', ['--recursive'])) {
        if (cmd.args.includes('--no-preserve-root')) sev = 'critical';
        for (const raw of operandsOf(cmd)) for (const t of deleteTargets(facts, raw, cmd.cwd)) sev = worse(sev, deleteSeverity(facts, t));
        // `find <dir> … | xargs rm -rf`: the targets are what find lists.
        if (cmd.via === 'xargs' || cmd.wrappers.includes('xargs')) {
          const finder = facts.shell?.pipelines[cmd.pipeline]?.map((i) => cmds[i]!).find((c) => c.name === 'find');
          if (finder) sev = worse(sev, findSeverity(facts, finder));
        }
      } else if (cmd.name === 'find' && findDeletes(cmd)) {
        sev = findSeverity(facts, cmd);
      }
      if (sev) hits.push(...hit(cmd.text, sev));
    }
    if (hits.length === 0 && (facts.shell?.uncertain ?? true) && RAW_RM_ROOT.test(rawCommand(facts))) {
      return hit(RAW_RM_ROOT.exec(rawCommand(facts))![0], 'critical', 'Recursive delete of / or the home directory in a command that could not be parsed.');
    }
    return hits;
  },
);

/** Raw block devices (whole disks, partitions, md/dm/mapper volumes). */
export const RAW_DEVICE = /^\/dev\/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|r?disk\d|md\d|dm-\d|mapper\/|nbd\d)/;
/** Commands that change a file's metadata, not its bytes. */
const META_ONLY = new Set(['chmod', 'chown', 'chgrp', 'chattr', 'setfacl', 'touch', 'mkdir', 'ls', 'stat']);
const PARTITIONERS = new Set(['fdisk', 'sfdisk', 'cfdisk', 'gdisk', 'sgdisk', 'cgdisk']);
const PARTED_DESTROY = new Set(['mklabel', 'mktable', 'mkpart', 'mkpartfs', 'rm', 'resizepart', 'resize', 'rescue', 'mkfs']);
const PARTITION_READONLY = new Set(['-l', '--list', '-d', '--dump', '-p', '--print', '-s', '--show-size', '-v', '-V', '--verify', '--version', '-h', '--help', '-J', '--json', '-i', '--info', '-O', '--print-mbr']);
const DISKUTIL_DESTROY = /^(eraseDisk|eraseVolume|reformat|zeroDisk|randomDisk|secureErase|partitionDisk|splitPartition|mergePartitions|deleteVolume|apfs)$/;
const APFS_DESTROY = /^(deleteContainer|deleteVolume|eraseVolume|deleteSnapshot)$/;

function devOperands(cmd: ShellCommand): string[] {
  return operandsOf(cmd).filter((a) => RAW_DEVICE.test(a));
}

const destr002 = defineRule(
  {
    id: 'AGT-DESTR-002',
    title: 'Disk or filesystem destruction',
    category: 'DESTR',
    severity: 'critical',
    tools: ['Bash'],
    attack: ['T1561.001', 'T1561.002', 'T1485'],
    atlas: ['AML.T0101'],
    owasp: ['ASI02'],
    description:
      'dd or any write/redirect to a raw block device, mkfs*/mke2fs/wipefs, shred/blkdiscard of a device, partition editors (fdisk, sfdisk, parted, sgdisk) beyond listing, diskutil erase/partition.',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    const cmds = commands(facts);
    const flagged = new Set<number>();
    for (const f of facts.files) {
      if ((f.access === 'write' || f.access === 'delete') && RAW_DEVICE.test(f.abs) && !META_ONLY.has(f.via) && f.command !== undefined && !flagged.has(f.command)) {
        flagged.add(f.command);
        hits.push(...hit(cmds[f.command]?.text ?? f.raw));
      }
    }
    cmds.forEach((cmd, i) => {
      if (flagged.has(i)) return;
      const n = cmd.name;
      let sev: Severity | undefined;
      const devs = devOperands(cmd);
      if (/^mkfs(\.|$)|^mke2fs$|^mkswap$|^newfs(_\w+)?$|^mkdosfs$/.test(n)) {
        // On an image file (`mkfs.ext4 rootfs.img`) it only formats that file.
        if (devs.length > 0) sev = 'critical';
        else if (operandsOf(cmd).length > 0) sev = 'medium';
      } else if (n === 'wipefs') sev = 'critical';
      else if ((n === 'shred' || n === 'blkdiscard' || n === 'wipe') && devs.length > 0) sev = 'critical';
      else if (n === 'parted') {
        if (devs.length > 0 && cmd.args.some((a) => PARTED_DESTROY.has(a))) sev = 'critical';
      } else if (PARTITIONERS.has(n)) {
        if (!cmd.args.some((a) => PARTITION_READONLY.has(a)) && (devs.length > 0 || n === 'cfdisk')) sev = 'critical';
      } else if (n === 'diskutil') {
        const ops = operandsOf(cmd);
        if (DISKUTIL_DESTROY.test(ops[0] ?? '') && (ops[0] !== 'apfs' || APFS_DESTROY.test(ops[1] ?? ''))) sev = 'critical';
      } else if (n === 'dd' && cmd.args.some((a) => a.startsWith('of=') && RAW_DEVICE.test(a.slice(3)))) sev = 'critical';
      if (sev) hits.push(...hit(cmd.text, sev));
    });
    return hits;
  },
);

/** `:(){ :|:& };:` and `f(){ f|f& }` style fork bombs, plus scripted fork loops. */
const FORK_BOMBS = [
  /([A-Za-z_:][\w:.-]*)\s*\(\)\s*\{\s*\1\s*\|\s*\1\s*&/,
  /([A-Za-z_:][\w:.-]*)\s*\(\)\s*\{\s*\1\s*&\s*;?\s*\1\s*&?/,
  /while\s+(?:True|1)\s*:\s*os\.fork\(\)/,
  /\bfork\s+while\s+fork\b/,
  /\bfork\(\)\s*while\s*\(?\s*true\b/i,
];
const INFINITE_LOOP = /\b(?:while\s+(?:true|:|\[\s*1\s*\]|\(\(\s*1\s*\)\))|until\s+false)\s*;?\s*do\b([\s\S]*?)\bdone\b/;
const TEN_GIB = 10 * 1024 ** 3;

/** Parses a size like `500G`, `1.5TiB`, `100M` (bytes when no unit). */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtpe])?(i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase();
  const si = m[3]?.toLowerCase() === 'b' && unit !== '';
  const pow = ' kmgtpe'.indexOf(unit || ' ');
  return Number(m[1]) * (si ? 1000 : 1024) ** pow;
}

const destr006 = defineRule(
  {
    id: 'AGT-DESTR-006',
    title: 'Fork bomb / resource exhaustion',
    category: 'DESTR',
    severity: 'medium',
    tools: ['Bash'],
    attack: ['T1499.004', 'T1496'],
    atlas: ['AML.T0034.002'],
    owasp: ['LLM10:2025'],
    description: 'Fork bombs (`:(){ :|:& };:` and named variants), fallocate or dd of more than 10 GiB, `yes > /dev/…`, and infinite loops that spawn background jobs.',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const raw = rawCommand(facts);
    for (const re of FORK_BOMBS) {
      const m = re.exec(raw);
      if (m) return hit(m[0]);
    }
    const loop = INFINITE_LOOP.exec(raw);
    if (loop && /(^|[^&>])&(?![&>])/.test(loop[1]!.replace(/\d?>&\d?|&>>?/g, ''))) return hit(loop[0], undefined, 'An endless loop that starts a background job on every turn.');
    for (const cmd of commands(facts)) {
      if (cmd.name === 'fallocate') {
        const size = parseSize(optionValue(cmd.args, '-l', '--length') ?? '');
        if (size !== undefined && size > TEN_GIB) return hit(cmd.text);
      } else if (cmd.name === 'yes' && cmd.redirects.some((r) => r.op.includes('>') && r.target.startsWith('/dev/'))) {
        return hit(cmd.text);
      } else if (cmd.name === 'dd') {
        const bs = parseSize(cmd.args.find((a) => a.startsWith('bs='))?.slice(3) ?? '512');
        const count = Number(cmd.args.find((a) => a.startsWith('count='))?.slice(6) ?? NaN);
        if (bs !== undefined && Number.isFinite(count) && bs * count > TEN_GIB) return hit(cmd.text);
      }
    }
    return [];
  },
);

export const DESTR_RULES: Rule[] = [destr001, destr002, ...DESTR_INFRA_RULES, destr006];
