import pc from 'picocolors';
import type { StoredEvent } from '../../store/queries.js';
import { targetOf } from '../../store/schema.js';
import { fit, safeText } from './text.js';

interface Call {
  pre?: StoredEvent;
  end?: StoredEvent;
}

const SKIP = new Set(['message', 'tool_batch']);

/**
 * Renders a session as a readable timeline: each prompt, then each tool call on one line with its
 * target, duration and result (failures in red), subagent work indented under its agent.
 * Untrusted text is escaped; `color` only adds ANSI styling.
 */
export function renderTimeline(events: readonly StoredEvent[], color: boolean, width = 160): string {
  const c = color ? pc : { red: String, green: String, yellow: String, bold: String, dim: String, cyan: String, magenta: String };
  const first = events[0];
  const last = events.at(-1);
  if (!first || !last) return 'No events.';
  const calls = new Map<string, Call>();
  for (const e of events) {
    if (!e.tool_use_id || !['PreToolUse', 'PostToolUse', 'PostToolUseFailure'].includes(e.hook_event)) continue;
    const call = calls.get(e.tool_use_id) ?? {};
    if (e.hook_event === 'PreToolUse') call.pre = e;
    else call.end = e;
    calls.set(e.tool_use_id, call);
  }
  const seconds = ((Date.parse(last.timestamp) - Date.parse(first.timestamp)) / 1000).toFixed(1);
  const lines = [
    c.bold(`Session ${first.session_id} · ${safeText(first.project_name)} (${safeText(first.project_path)})`),
    `${first.timestamp} → ${last.timestamp} (${seconds} s) · Claude Code ${first.metadata.claude_version || '?'} · ${safeText(first.metadata.user_id)}@${safeText(first.metadata.host)} · ${events.length} events`,
    '',
  ];
  const time = (e: StoredEvent) => safeText(e.timestamp.slice(11, 23));
  const indent = (e: StoredEvent) => (e.agent_id ? `  ${c.magenta(`[${safeText(e.agent_id.slice(0, 7))}]`)} ` : '');
  for (const e of events) {
    if (e.event_type === 'security_alert') {
      const d = e.action_details;
      const severity = String(d.severity);
      const paint = severity === 'critical' || severity === 'high' ? c.red : severity === 'medium' ? c.yellow : c.dim;
      const label = paint(`⚠ ${safeText(severity.toUpperCase())} ${safeText(String(d.rule_id))}`);
      lines.push(`${time(e)}  ${indent(e)}${label} ${safeText(String(d.title))}: ${fit(safeText(String(d.evidence ?? '')), Math.max(20, width - 80))}${d.suppressed ? c.dim(' (allowed)') : ''}`);
      continue;
    }
    if (SKIP.has(e.event_type) && !(e.event_type === 'tool_batch' && (e.action_details.calls_without_pre as unknown[] | undefined)?.length)) continue;
    if (e.tool_use_id && calls.has(e.tool_use_id) && e.hook_event !== 'PreToolUse' && calls.get(e.tool_use_id)!.pre) continue;
    let text: string;
    if (e.hook_event === 'PreToolUse' || (e.tool_use_id && calls.get(e.tool_use_id)?.end === e)) {
      const end = e.tool_use_id ? calls.get(e.tool_use_id)?.end : undefined;
      const d = end?.action_details;
      const outcome = !end
        ? c.yellow('(no result recorded)')
        : d?.success === false
          ? c.red(`✗ ${safeText(String(d.error ?? 'failed'))}`)
          : c.green('ok');
      const duration = typeof d?.duration_ms === 'number' ? ` ${d.duration_ms} ms` : '';
      const scope = e.action_details.outside_project_scope ? c.red(' [outside project]') : '';
      text = `${c.cyan((e.tool_name ?? '?').padEnd(10))} ${fit(safeText(targetOf(e)), Math.max(20, width - 60))}${scope}  ${outcome}${duration}`;
    } else if (e.event_type === 'prompt') {
      lines.push('');
      text = c.bold(`▶ ${fit(safeText(targetOf(e)), width - 20)}`);
    } else if (e.event_type === 'tool_batch') {
      const missing = (e.raw as { tool_calls?: { tool_name?: string; tool_use_id?: string }[] }).tool_calls ?? [];
      const ids = new Set(e.action_details.calls_without_pre as string[]);
      text = missing.filter((m) => ids.has(String(m.tool_use_id))).map((m) => c.red(`✗ ${safeText(String(m.tool_name))} (never ran: no such tool)`)).join(', ');
    } else {
      const detail = targetOf(e) || String(e.action_details.source ?? e.action_details.reason ?? e.agent_type ?? '');
      text = c.dim(`${e.event_type}${detail ? ` ${fit(safeText(detail), width - 40)}` : ''}`);
      if (e.level === 'WARN' || e.level === 'ERROR') text = c.yellow(`${e.event_type} ${fit(safeText(detail), width - 40)}`);
    }
    lines.push(`${time(e)}  ${indent(e)}${text}`);
  }
  return lines.join('\n');
}
