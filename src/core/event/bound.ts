import { createHash } from 'node:crypto';

/** Limits for keeping payloads small without losing their identity. */
export interface BoundConfig {
  /** Strings longer than this (UTF-8 bytes) are replaced by a BoundedString. */
  maxFieldBytes: number;
  /** Bytes kept from the start of a replaced string. */
  previewBytes: number;
}

/** What stands in the journal for a string that was too large to keep whole. */
export interface BoundedString {
  $bounded: true;
  size_bytes: number;
  sha256: string;
  preview: string;
}

/** Returns whether a value is a BoundedString placeholder. */
export function isBoundedString(value: unknown): value is BoundedString {
  return typeof value === 'object' && value !== null && (value as { $bounded?: unknown }).$bounded === true;
}

/** Returns a copy of `value` in which every over-long string is replaced by size, hash and preview. */
export function boundLargeFields(value: unknown, config: BoundConfig): unknown {
  if (typeof value === 'string') return boundString(value, config);
  if (Array.isArray(value)) return value.map((item) => boundLargeFields(item, config));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = boundLargeFields(item, config);
    return out;
  }
  return value;
}

function boundString(text: string, config: BoundConfig): string | BoundedString {
  // Cheap pre-check: a string of n UTF-16 units is at most 3n UTF-8 bytes.
  if (text.length * 3 <= config.maxFieldBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= config.maxFieldBytes) return text;
  return {
    $bounded: true,
    size_bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    preview: utf8Prefix(bytes, config.previewBytes),
  };
}

/** Decodes at most `maxBytes` bytes without splitting a character. */
export function utf8Prefix(bytes: Buffer, maxBytes: number): string {
  let end = Math.min(maxBytes, bytes.length);
  while (end > 0 && end < bytes.length && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

/** Truncates a string to at most `maxChars` characters, marking the cut. */
export function clip(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}…`;
}
