/**
 * Pure encoders for alert payloads. Evidence and messages come from what the agent did, so they are
 * hostile text: in Slack mrkdwn `&`, `<` and `>` are escaped (no injected links, @channel or user
 * mentions), evidence sits in a code span with backticks neutralised, and every field is bounded.
 */
import type { Alert } from './alert.js';
import { highestSeverity } from './alert.js';

const EVIDENCE_CHARS = 500;
const MESSAGE_CHARS = 500;
const FIELD_CHARS = 200;
// Slack rejects messages with more than 50 blocks; one section per alert plus a possible note.
const MAX_SLACK_SECTIONS = 40;

const SEVERITY_EMOJI: Record<string, string> = {
  critical: ':rotating_light:',
  high: ':red_circle:',
  medium: ':large_orange_circle:',
  low: ':large_yellow_circle:',
  info: ':information_source:',
};

/** The generic JSON webhook body: `{ "alerts": [ … ] }`. */
export function encodeJson(alerts: readonly Alert[]): string {
  return JSON.stringify({ alerts });
}

/** Escapes Slack mrkdwn control characters so text cannot form links, mentions or channel pings. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to `max` characters (code points), marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Renders text as a Slack inline code span: escaped, on one line, backticks replaced so the span cannot end early. */
export function slackCode(text: string, max = EVIDENCE_CHARS): string {
  const flat = truncate(text, max).replace(/`/g, 'ˋ').replace(/[\r\n\t]+/g, ' ').trim();
  return flat ? `\`${escapeSlack(flat)}\`` : '_none_';
}

/** One alert as a Slack mrkdwn section text. */
export function slackAlertText(a: Alert): string {
  const field = (text: string | null): string => escapeSlack(truncate(text || '-', FIELD_CHARS));
  const lines = [
    `${SEVERITY_EMOJI[a.severity] ?? ''} *${a.severity.toUpperCase()}* · *${field(a.rule_id)}* ${field(a.title)}`,
    escapeSlack(truncate(a.message, MESSAGE_CHARS)),
    `Session ${slackCode(a.session_id ?? '-', FIELD_CHARS)} · Project *${field(a.project)}* · Tool ${field(a.tool_name)} · Host ${field(a.host)}`,
    `Evidence: ${slackCode(a.evidence)}`,
  ];
  if (a.suppressed_similar > 0) lines.push(`_+${a.suppressed_similar} similar suppressed_`);
  return lines.filter((l) => l !== '').join('\n');
}

/** The Slack-compatible body for a batch: one section per alert and a plain-text summary in `text`. */
export function encodeSlack(alerts: readonly Alert[]): string {
  const first = alerts[0];
  const text =
    alerts.length === 1 && first
      ? `AgentTrail ${first.severity} alert: ${escapeSlack(truncate(`${first.rule_id} ${first.title}`, FIELD_CHARS))}`
      : `AgentTrail: ${alerts.length} security alerts (highest: ${highestSeverity(alerts)})`;
  const shown = alerts.slice(0, MAX_SLACK_SECTIONS);
  const blocks: object[] = shown.map((a) => ({ type: 'section', text: { type: 'mrkdwn', text: slackAlertText(a) } }));
  if (alerts.length > shown.length) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${alerts.length - shown.length} more alerts.` }] });
  }
  return JSON.stringify({ text, blocks });
}

/** Title and body of a desktop notification for a batch (plain text, bounded). */
export function notificationText(alerts: readonly Alert[]): { title: string; body: string } {
  const line = (a: Alert): string => `${a.severity.toUpperCase()} ${a.rule_id}: ${truncate(a.title, 80)}`;
  const first = alerts[0];
  if (alerts.length === 1 && first) {
    const more = first.suppressed_similar > 0 ? `\n+${first.suppressed_similar} similar suppressed` : '';
    const where = `${first.project || '-'} (session ${truncate(first.session_id ?? '-', 12)})`;
    return { title: plain(`AgentTrail: ${truncate(first.title, 80)}`), body: plain(`${line(first)}\n${where}\n${truncate(first.evidence, 200)}${more}`) };
  }
  const lines = alerts.slice(0, 5).map(line);
  if (alerts.length > 5) lines.push(`…and ${alerts.length - 5} more`);
  return { title: `AgentTrail: ${alerts.length} security alerts (highest: ${highestSeverity(alerts)})`, body: plain(lines.join('\n')) };
}

/** Removes control characters other than newlines. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, ' ');
}
