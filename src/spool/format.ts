/**
 * Spool record format v1 (docs/specs/spool-format.md), written by hook/capture.sh:
 *
 *   AT1 <event> <transport> <pid> <ppid> <id> <projlen> <agent>\n
 *   <CLAUDE_PROJECT_DIR: projlen bytes>\n
 *   <payload bytes, exactly as Claude Code sent them>
 *   \n<id>\n                      ← trailer: written only after the payload was copied whole
 *
 * A record without its trailer is still being written, or its writer died; the header's pid says which.
 */
export interface SpoolHeader {
  readonly event: string;
  readonly transport: string;
  /** PID of the writing shell; 0 when written by the daemon itself. */
  readonly pid: number;
  /** PID of the process that ran the hook (Claude Code). */
  readonly ppid: number;
  readonly id: string;
  readonly projectDir: string;
  /** The AI_AGENT variable Claude Code sets for hooks (e.g. claude-code_2-1-328_harness), or '-'. */
  readonly agent: string;
}

export interface SpoolRecord extends SpoolHeader {
  readonly payload: Buffer;
}

export type ParsedRecord =
  | { readonly status: 'complete'; readonly record: SpoolRecord }
  /** Still being written, or abandoned by its writer; the header is missing while the first line is. */
  | { readonly status: 'incomplete'; readonly header?: SpoolHeader }
  | { readonly status: 'invalid'; readonly reason: string };

const MAGIC = 'AT1 ';
const MAX_HEADER = 1024;
const ID_PATTERN = /^[A-Za-z0-9._-]{1,80}$/;

/** Parses a record's bytes; pure. */
export function parseSpoolRecord(buf: Buffer): ParsedRecord {
  const nl = buf.indexOf(0x0a);
  if (nl < 0 || nl > MAX_HEADER) {
    const start = buf.toString('latin1', 0, Math.min(buf.length, MAGIC.length));
    const mayBeHeader = buf.length <= MAX_HEADER && (MAGIC.startsWith(start) || start.startsWith(MAGIC));
    return mayBeHeader ? { status: 'incomplete' } : { status: 'invalid', reason: 'bad_header' };
  }
  const fields = buf.toString('utf8', 0, nl).split(' ');
  if (fields.length !== 8 || fields[0] !== 'AT1') return { status: 'invalid', reason: 'bad_header' };
  const [, event = '', transport = '', pidText = '', ppidText = '', id = '', lenText = '', agent = '-'] = fields;
  const projLen = Number(lenText);
  if (!ID_PATTERN.test(id) || !Number.isInteger(projLen) || projLen < 0) return { status: 'invalid', reason: 'bad_header' };
  const projEnd = nl + 1 + projLen;
  if (buf.length < projEnd + 1) return { status: 'incomplete', header: headerOf() };
  if (buf[projEnd] !== 0x0a) return { status: 'invalid', reason: 'bad_project_dir' };
  const header = headerOf();
  const trailer = Buffer.from(`\n${id}\n`, 'latin1');
  const bodyStart = projEnd + 1;
  if (buf.length < bodyStart + trailer.length || !buf.subarray(buf.length - trailer.length).equals(trailer)) {
    return { status: 'incomplete', header };
  }
  return { status: 'complete', record: { ...header, payload: buf.subarray(bodyStart, buf.length - trailer.length) } };

  function headerOf(): SpoolHeader {
    return {
      event,
      transport,
      pid: Number(pidText) || 0,
      ppid: Number(ppidText) || 0,
      id,
      agent,
      projectDir: buf.toString('utf8', nl + 1, Math.min(buf.length, nl + 1 + projLen)),
    };
  }
}

/** Encodes a record the way capture.sh writes it (used by the daemon's own http transport). */
export function encodeSpoolRecord(header: SpoolHeader, payload: Buffer): Buffer {
  const project = Buffer.from(header.projectDir, 'utf8');
  const agent = header.agent.replace(/\s+/g, '') || '-';
  const head = `AT1 ${header.event} ${header.transport} ${header.pid} ${header.ppid} ${header.id} ${project.length} ${agent}\n`;
  return Buffer.concat([Buffer.from(head, 'utf8'), project, Buffer.from('\n'), payload, Buffer.from(`\n${header.id}\n`)]);
}
