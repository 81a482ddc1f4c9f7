import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../event/schema.js';
import { canonicalJson, checkLink, encodeEntry, GENESIS_HASH, hashMatchesLine, sealEntry, type JournalEntry } from './entry.js';

const event = (n: number) => ({ timestamp: `2026-01-01T00:00:0${n}.000Z`, event_type: 'file_read', raw: { n } }) as unknown as AgentEvent;

function chain(n: number): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (let i = 1; i <= n; i++) out.push(sealEntry({ seq: i, host: 'h', source_id: `r${i}`, prev: out.at(-1)?.hash ?? GENESIS_HASH, event: event(i) }));
  return out;
}

function firstBreak(entries: JournalEntry[]) {
  let prev = GENESIS_HASH;
  let seq = 1;
  for (const e of entries) {
    const problem = checkLink(e, prev, seq);
    if (problem) return problem;
    prev = e.hash;
    seq = e.seq + 1;
  }
  return undefined;
}

describe('hash chain', () => {
  it('canonicalises keys in RFC 8785 order and numbers in ECMAScript form', () => {
    expect(canonicalJson({ b: 1, a: [1e21, 0.5, 'é'], c: { z: null, y: true } })).toBe('{"a":[1e+21,0.5,"é"],"b":1,"c":{"y":true,"z":null}}');
  });

  it('agrees with the reference implementation (npm canonicalize) on real payloads', async () => {
    const reference = (await import('canonicalize')).default;
    const { loadSampleSession } = await import('../../../test/helpers/samples.js');
    for (const payload of [...loadSampleSession('benign-session'), ...loadSampleSession('failures-and-subagent')]) {
      expect(canonicalJson(payload)).toBe(reference(payload));
    }
    const tricky = { '\u00e9': 1, e: [0.1, -0, 1e-7, 123456789012345680000, null, true], '\ud83d\ude00': 'x', '': { b: 'A\u2028"\\' } };
    expect(canonicalJson(tricky)).toBe(reference(tricky));
  });

  it('hashes a payload with a lone surrogate instead of failing', () => {
    const entry = sealEntry({ seq: 1, host: 'h', source_id: 'r', prev: GENESIS_HASH, event: { raw: { x: '\ud800' } } as unknown as AgentEvent });
    expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(checkLink(JSON.parse(encodeEntry(entry)), GENESIS_HASH, 1)).toBeUndefined();
  });

  it('writes a journal line that is the canonical JSON of the whole entry', () => {
    const entry = chain(1)[0]!;
    expect(encodeEntry(entry)).toBe(canonicalJson(entry));
  });

  it('verifies an untouched chain', () => {
    expect(firstBreak(chain(5))).toBeUndefined();
  });

  it('reports the entry that was edited in place', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, event: event(9) };
    expect(firstBreak(entries)).toEqual({ kind: 'hash_mismatch', seq: 3 });
  });

  it('reports a deleted entry as a sequence gap', () => {
    const entries = chain(5);
    entries.splice(1, 1);
    expect(firstBreak(entries)).toEqual({ kind: 'sequence_gap', seq: 3, expected: 2 });
  });

  it('reports a re-hashed forgery as a broken link to its successor', () => {
    const entries = chain(4);
    const forged = sealEntry({ seq: 2, host: 'h', source_id: 'r2', prev: entries[0]!.hash, event: event(7) });
    entries[1] = forged;
    expect(firstBreak(entries)).toEqual({ kind: 'broken_link', seq: 3 });
  });

  it('checks a hash on the journal line itself, and falls back to canonical JSON for a rewritten line', () => {
    const [a] = chain(1);
    const line = encodeEntry(a!);
    expect(hashMatchesLine(a!, line)).toBe(true);
    const tampered = line.replace('"n":1', '"n":2');
    expect(hashMatchesLine(JSON.parse(tampered) as JournalEntry, tampered)).toBe(false);
    expect(checkLink(JSON.parse(tampered) as JournalEntry, GENESIS_HASH, 1, tampered)).toEqual({ kind: 'hash_mismatch', seq: 1 });
    // Same content, not canonical (spaces): not proven on the bytes, but the canonical check accepts it.
    const spaced = line.replace('{"event":{', '{"event": {');
    expect(hashMatchesLine(a!, spaced)).toBe(false);
    expect(checkLink(JSON.parse(spaced) as JournalEntry, GENESIS_HASH, 1, spaced)).toBeUndefined();
  });
});
