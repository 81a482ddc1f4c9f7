import { createHash } from 'node:crypto';
import type { AgentEvent } from '../event/schema.js';

/** The hash that precedes the first entry of a journal. */
export const GENESIS_HASH = '0'.repeat(64);

/** One journal line: an event sealed into the per-host hash chain (docs/specs/journal-format.md). */
export interface JournalEntry {
  /** Journal format version. */
  readonly v: 1;
  /** Per-host sequence number, 1-based, without gaps. */
  readonly seq: number;
  readonly host: string;
  /** Spool record id (or another source id) this entry was made from; used to drop replays. */
  readonly source_id: string;
  /** SHA-256 of the previous entry, GENESIS_HASH for the first. */
  readonly prev: string;
  readonly event: AgentEvent;
  /** SHA-256 (hex) of the RFC 8785 canonical JSON of every other field. */
  readonly hash: string;
}

export type UnsealedEntry = Omit<JournalEntry, 'hash'>;

/**
 * Returns the RFC 8785 (JCS) canonical JSON of a JSON value: object keys sorted by UTF-16 code units,
 * numbers in ECMAScript form (JSON.stringify), strings as JSON.stringify writes them, no whitespace.
 * One deliberate difference: a lone surrogate (which RFC 8785 rejects) is written as a \uXXXX escape, as
 * JSON.stringify does, so a hostile payload cannot make an event unhashable. Written here rather than
 * taken from a library because it is the ingest path's hottest function (31 % of CPU in bench/store.ts).
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('NaN and Infinity have no JSON form');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          out += (i ? ',' : '') + (item === undefined || typeof item === 'function' || typeof item === 'symbol' ? 'null' : canonicalJson(item));
        }
        return `${out}]`;
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = obj[key];
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`a ${typeof value} has no JSON form`);
  }
}

/** The canonical text of an entry; `event` is passed already canonicalised (it is most of the work). */
function entryText(e: UnsealedEntry, eventJson: string, hash?: string): string {
  // Keys in RFC 8785 order: event, hash, host, prev, seq, source_id, v.
  return `{"event":${eventJson},${hash === undefined ? '' : `"hash":"${hash}",`}"host":${JSON.stringify(e.host)},"prev":${JSON.stringify(e.prev)},"seq":${canonicalJson(e.seq)},"source_id":${JSON.stringify(e.source_id)},"v":${canonicalJson(e.v)}}`;
}

/** Computes an entry's hash over the canonical form of everything but `hash`. */
export function hashEntry(entry: UnsealedEntry, eventJson = canonicalJson(entry.event)): string {
  return createHash('sha256').update(entryText(entry, eventJson)).digest('hex');
}

/** Seals an entry: links it after `prev` and adds its hash. */
export function sealEntry(fields: Omit<UnsealedEntry, 'v'>): JournalEntry {
  return sealEntryWithText(fields).entry;
}

/** Seals an entry and returns its journal line too (canonicalising the event once for both). */
export function sealEntryWithText(fields: Omit<UnsealedEntry, 'v'>): { entry: JournalEntry; line: string } {
  const unsealed: UnsealedEntry = { v: 1, ...fields };
  const eventJson = canonicalJson(unsealed.event);
  const hash = hashEntry(unsealed, eventJson);
  return { entry: { ...unsealed, hash }, line: entryText(unsealed, eventJson, hash) };
}

/** The serialized journal line for an entry (canonical JSON, no trailing newline). */
export function encodeEntry(entry: JournalEntry): string {
  return entryText(entry, canonicalJson(entry.event), entry.hash);
}

export type ChainBreak =
  | { readonly kind: 'hash_mismatch'; readonly seq: number }
  | { readonly kind: 'broken_link'; readonly seq: number }
  | { readonly kind: 'sequence_gap'; readonly seq: number; readonly expected: number };

/**
 * Checks one entry against its predecessor; returns the first problem or undefined. With the
 * entry's journal `line`, the hash is checked on the line's own bytes (see hashMatchesLine).
 */
export function checkLink(entry: JournalEntry, prevHash: string, expectedSeq: number, line?: string): ChainBreak | undefined {
  if (entry.seq !== expectedSeq) return { kind: 'sequence_gap', seq: entry.seq, expected: expectedSeq };
  if (entry.prev !== prevHash) return { kind: 'broken_link', seq: entry.seq };
  if (line !== undefined && hashMatchesLine(entry, line)) return undefined;
  const { hash, ...rest } = entry;
  if (hashEntry(rest) !== hash) return { kind: 'hash_mismatch', seq: entry.seq };
  return undefined;
}

/**
 * Fast hash check on a journal line as written: the line is the hash's canonical preimage with
 * `"hash":"…",` inserted after the event (entryText), so removing that field gives the preimage
 * without re-canonicalising the event — about 10x cheaper. False only means "not proven this way"
 * (e.g. a line rewritten in non-canonical form); checkLink then falls back to the canonical check.
 */
export function hashMatchesLine(entry: JournalEntry, line: string): boolean {
  const tail = `"host":${JSON.stringify(entry.host)},"prev":${JSON.stringify(entry.prev)},"seq":${canonicalJson(entry.seq)},"source_id":${JSON.stringify(entry.source_id)},"v":${canonicalJson(entry.v)}}`;
  const hashField = `,"hash":"${entry.hash}",`;
  const cut = line.length - tail.length - hashField.length;
  if (cut < 10 || !line.endsWith(tail) || line.slice(cut, cut + hashField.length) !== hashField || !line.startsWith('{"event":')) return false;
  const digest = createHash('sha256').update(line.slice(0, cut)).update(',').update(tail).digest('hex');
  return digest === entry.hash;
}
