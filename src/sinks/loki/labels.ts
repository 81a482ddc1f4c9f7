import type { JournalEntry } from '../../core/chain/entry.js';
import { fieldValue, type LabelField, type MetadataField } from './fields.js';
import { clipUtf8, wellFormed } from './validate.js';

/** A name/value pair list; labels are kept sorted by name, metadata in configured order. */
export type Pairs = readonly (readonly [string, string])[];

/** What decides an entry's stream and structured metadata. */
export interface LabelSettings {
  readonly serviceName: string;
  readonly labels: readonly LabelField[];
  readonly staticLabels: Readonly<Record<string, string>>;
  readonly structuredMetadata: readonly MetadataField[];
}

// Loki's max_label_value_length (loki.md §2).
const MAX_LABEL_VALUE_BYTES = 2048;
// Ids are short; a pathological one is clipped so 14 pairs stay far below max_structured_metadata_size (64 KB).
const MAX_METADATA_VALUE_BYTES = 1024;

/** Returns an entry's stream labels, sorted by name; empty values are left out, as Loki drops them. */
export function streamLabels(entry: JournalEntry, s: LabelSettings): Pairs {
  const out: [string, string][] = [['service_name', s.serviceName]];
  for (const [name, value] of Object.entries(s.staticLabels)) out.push([name, value]);
  for (const field of s.labels) {
    const value = clipUtf8(wellFormed(fieldValue(field, entry)), MAX_LABEL_VALUE_BYTES);
    if (value !== '') out.push([field, value]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * Returns an entry's structured metadata pairs in configured order; empty values are left out.
 * The ids are in the line too, so LogQL's `| json` names its copies `session_id_extracted` etc.;
 * filter on the metadata (`| session_id="…"`), which needs no parser anyway.
 */
export function structuredMetadata(entry: JournalEntry, s: LabelSettings): Pairs {
  const out: [string, string][] = [];
  for (const field of s.structuredMetadata) {
    const value = clipUtf8(wellFormed(fieldValue(field, entry)), MAX_METADATA_VALUE_BYTES);
    if (value !== '') out.push([field, value]);
  }
  return out;
}

/** Renders sorted labels as Promtail does (`{a="x", b="y"}`, Go-quoted values): the protobuf `labels` field and the stream key. */
export function renderLabels(labels: Pairs): string {
  return `{${labels.map(([name, value]) => `${name}=${goQuote(value)}`).join(', ')}}`;
}

/** Quotes a string so Prometheus' label parser reads it back unchanged (a subset of Go's strconv.Quote escapes). */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
