import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
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

/** Returns the RFC 8785 (JCS) canonical JSON of a value. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no canonical JSON form');
  return text;
}

/** Computes an entry's hash over the canonical form of everything but `hash`. */
export function hashEntry(entry: UnsealedEntry): string {
  const { v, seq, host, source_id, prev, event } = entry;
  return createHash('sha256').update(canonicalJson({ v, seq, host, source_id, prev, event })).digest('hex');
}

/** Seals an entry: links it after `prev` and adds its hash. */
export function sealEntry(fields: Omit<UnsealedEntry, 'v'>): JournalEntry {
  const unsealed: UnsealedEntry = { v: 1, ...fields };
  return { ...unsealed, hash: hashEntry(unsealed) };
}

/** The serialized journal line for an entry (canonical JSON, no trailing newline). */
export function encodeEntry(entry: JournalEntry): string {
  return canonicalJson(entry);
}

export type ChainBreak =
  | { readonly kind: 'hash_mismatch'; readonly seq: number }
  | { readonly kind: 'broken_link'; readonly seq: number }
  | { readonly kind: 'sequence_gap'; readonly seq: number; readonly expected: number };

/** Checks one entry against its predecessor; returns the first problem or undefined. */
export function checkLink(entry: JournalEntry, prevHash: string, expectedSeq: number): ChainBreak | undefined {
  if (entry.seq !== expectedSeq) return { kind: 'sequence_gap', seq: entry.seq, expected: expectedSeq };
  if (entry.prev !== prevHash) return { kind: 'broken_link', seq: entry.seq };
  const { hash, ...rest } = entry;
  if (hashEntry(rest) !== hash) return { kind: 'hash_mismatch', seq: entry.seq };
  return undefined;
}
