import pc from 'picocolors';
import type { Finding, Severity } from '../../core/detect/types.js';
import { SEVERITIES } from '../../core/detect/types.js';
import { UserError } from '../../errors.js';
import { parseFilter } from '../../store/parse-filter.js';
import type { StoredEvent } from '../../store/queries.js';
import { parsePositiveInt } from '../../store/time.js';
import { renderTable } from '../output/text.js';
import type { CliIo } from '../io.js';
import { withQuery } from '../store-client.js';

export interface FindingsOptions {
  readonly severity?: string;
  readonly session?: string;
  readonly rule?: string;
  readonly project?: string;
  readonly since?: string;
  readonly until?: string;
  readonly limit?: string;
  readonly suppressed?: boolean;
  readonly json: boolean;
}

/** Colours a finding severity for a terminal. */
export const paintSeverity = (s: string): string =>
  s === 'critical' ? pc.bold(pc.red(s)) : s === 'high' ? pc.red(s) : s === 'medium' ? pc.yellow(s) : s === 'low' ? pc.cyan(s) : pc.dim(s);

function parseSeverity(text: string | undefined): Severity | undefined {
  if (text === undefined) return undefined;
  const s = text.toLowerCase() as Severity;
  if (!SEVERITIES.includes(s)) throw new UserError(`--severity must be one of ${SEVERITIES.join(', ')} (got "${text}").`, 'BAD_ARGUMENT', 2);
  return s;
}

/** `agenttrail findings`: security findings, newest last, filtered by severity, session, rule, time. */
export async function findingsCommand(o: FindingsOptions, io: CliIo): Promise<void> {
  const severity = parseSeverity(o.severity);
  const filter = parseFilter({ ...o, severity: undefined, type: 'security_alert', finding_severity: severity, rule: o.rule }, Date.now());
  const limit = o.limit ? parsePositiveInt(o.limit, '--limit') : 1000;
  const events = await withQuery(io.paths, io.env, async (q) => {
    const out: StoredEvent[] = [];
    let cursor: number | undefined;
    do {
      const page = await q.events(filter, { limit: Math.min(5000, limit - out.length), newest: true, ...(cursor !== undefined ? { cursor } : {}) });
      out.push(...page.events);
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined && out.length < limit);
    return out.reverse();
  });
  const shown = events.filter((e) => o.suppressed || !(e.action_details as unknown as Finding).suppressed);
  if (o.json) {
    for (const e of shown) io.stdout(`${JSON.stringify(findingJson(e))}\n`);
    return;
  }
  if (shown.length === 0) {
    io.stdout('No findings match.\n');
    return;
  }
  const rows = shown.map((e) => {
    const f = e.action_details as unknown as Finding;
    return [String(e.seq), e.timestamp, f.severity, f.rule_id, f.title, (e.session_id ?? '').slice(0, 8), f.evidence];
  });
  io.stdout(`${renderTable(
    [{ header: 'SEQ' }, { header: 'TIME' }, { header: 'SEVERITY', color: paintSeverity }, { header: 'RULE', color: pc.bold }, { header: 'TITLE', width: 50 }, { header: 'SESSION' }, { header: 'EVIDENCE', width: 90 }],
    rows,
    io.color,
  )}\n`);
}

/** A finding as `findings --json` prints it: the finding plus where and when it happened. */
export function findingJson(e: StoredEvent): Record<string, unknown> {
  return {
    seq: e.seq,
    hash: e.hash,
    timestamp: e.timestamp,
    session_id: e.session_id,
    agent_id: e.agent_id,
    project: e.project_path,
    user: e.metadata.user_id,
    host: e.metadata.host,
    ...(e.action_details as unknown as Finding),
  };
}
