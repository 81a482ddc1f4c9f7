import type { JournalEntry } from '../../core/chain/entry.js';

/** Entry fields that may become stream labels: each has a small, bounded set of values. */
export const LABEL_FIELDS = ['host', 'user', 'project', 'event_type', 'level', 'hook_event', 'tool_name', 'agent_type', 'severity'] as const;

/** Entry fields that may become structured metadata (ids belong here, never in labels: loki.md §3). */
export const METADATA_FIELDS = [
  'session_id',
  'prompt_id',
  'tool_use_id',
  'agent_id',
  'seq',
  'hash',
  'source_id',
  'rule_id',
  'severity',
  'tool_name',
  'agent_type',
  'host',
  'user',
  'project',
] as const;

export type LabelField = (typeof LABEL_FIELDS)[number];
export type MetadataField = (typeof METADATA_FIELDS)[number];

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');

/** Returns a field's value for an entry, '' when the entry has none (the label or pair is then left out). */
export function fieldValue(field: LabelField | MetadataField, entry: JournalEntry): string {
  const e = entry.event;
  const finding = e.event_type === 'security_alert' ? (e.action_details as Record<string, unknown> | undefined) : undefined;
  switch (field) {
    case 'host':
      return text(e.metadata?.host) || entry.host;
    case 'user':
      return text(e.metadata?.user_id);
    case 'project':
      return text(e.project_name);
    case 'level':
      return text(e.level).toLowerCase();
    case 'severity':
      return text(finding?.severity);
    case 'rule_id':
      return text(finding?.rule_id);
    case 'seq':
      return String(entry.seq);
    case 'hash':
      return entry.hash;
    case 'source_id':
      return text(entry.source_id);
    default:
      return text(e[field]);
  }
}
