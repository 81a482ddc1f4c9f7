import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../core/chain/entry.js';
import { canonicalJson } from '../../core/chain/entry.js';
import type { AgentEvent } from '../../core/event/schema.js';
import { checkWindow, clipStrings, clipUtf8, entryTime, eventLine } from './validate.js';

const at = (timestamp: string, seq: number) => ({ seq, event: { timestamp } }) as unknown as JournalEntry;

describe('entryTime', () => {
  it('adds seq mod 1e6 as sub-millisecond nanoseconds, deterministically', () => {
    expect(entryTime(at('2023-11-14T22:13:20.123Z', 42))).toEqual({ ms: 1_700_000_000_123, seconds: 1_700_000_000, nanos: 123_000_042 });
    expect(entryTime(at('2023-11-14T22:13:20.123Z', 3_000_042))).toEqual(entryTime(at('2023-11-14T22:13:20.123Z', 42)));
    expect(entryTime(at('2023-11-14T23:13:20.123+01:00', 1))?.ms).toBe(1_700_000_000_123);
  });

  it('refuses timestamps that are not ISO 8601 with a zone (Date.parse would read them in local time)', () => {
    for (const ts of ['2023-11-14 22:13:20', '2023-11-14T22:13:20', 'yesterday', '1969-12-31T23:59:59.000Z']) expect(entryTime(at(ts, 1))).toBeUndefined();
    expect(entryTime({ seq: 1, event: { timestamp: 5 } } as unknown as JournalEntry)).toBeUndefined();
  });
});

describe('checkWindow', () => {
  const w = { maxAgeMs: 7 * 86_400_000, maxFutureMs: 600_000 };
  it('rejects entries older than reject_old_samples_max_age and beyond the creation grace period', () => {
    const now = 1_700_000_000_000;
    expect(checkWindow(now - 7 * 86_400_000, now, w)).toBeUndefined();
    expect(checkWindow(now - 7 * 86_400_000 - 1, now, w)).toBe('too_old');
    expect(checkWindow(now + 600_000, now, w)).toBeUndefined();
    expect(checkWindow(now + 600_001, now, w)).toBe('too_new');
    expect(checkWindow(0, now, { ...w, maxAgeMs: 0 })).toBeUndefined();
  });
});

describe('eventLine', () => {
  const event = { timestamp: '2025-01-01T00:00:00.000Z', level: 'INFO', event_type: 'file_write', session_id: 's', metadata: { host: 'h' }, action_details: { content: 'c'.repeat(5000) }, raw: { big: 'r'.repeat(5000) } } as unknown as AgentEvent;

  it('is the canonical event JSON, unchanged when it fits', () => {
    expect(eventLine(event, 0)).toEqual({ line: canonicalJson(event), truncated: false });
    expect(eventLine(event, 262_144)).toEqual({ line: canonicalJson(event), truncated: false });
  });

  it('drops raw first, then clips long strings, then keeps only core fields, always valid JSON within the limit', () => {
    const noRaw = JSON.parse(eventLine(event, 6000)!.line) as Record<string, unknown>;
    expect(noRaw).toMatchObject({ raw: null, action_details: { content: 'c'.repeat(5000) }, _truncated: { reason: 'max_line_bytes', raw_removed: true } });
    const clipped = eventLine(event, 3000)!;
    expect(Buffer.byteLength(clipped.line)).toBeLessThanOrEqual(3000);
    expect(JSON.parse(clipped.line)).toMatchObject({ _truncated: { strings_clipped_to: 2048 }, level: 'INFO' });
    const wide = { ...event, action_details: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`k${i}`, i])) } as unknown as AgentEvent;
    expect(JSON.parse(eventLine(wide, 1024)!.line)).toMatchObject({ _truncated: { core_fields_only: true }, event_type: 'file_write', session_id: 's' });
    expect(eventLine(event, 1024)!.truncated).toBe(true);
  });

  it('gives up when not even the core fields fit', () => {
    expect(eventLine({ ...event, session_id: 's'.repeat(100) } as AgentEvent, 100)).toBeUndefined();
  });
});

describe('clipping helpers', () => {
  it('clips UTF-8 on character boundaries', () => {
    expect(clipUtf8('aé€😀', 3)).toBe('aé');
    expect(clipUtf8('aé€😀', 6)).toBe('aé€');
    expect(clipUtf8('aé€😀', 9)).toBe('aé€');
    expect(clipUtf8('aé€😀', 10)).toBe('aé€😀');
  });

  it('clips strings without splitting a surrogate pair and says how much was cut', () => {
    expect(clipStrings({ a: ['xx😀yy'] }, 3)).toEqual({ a: ['xx…[clipped 4 chars]'] });
  });
});
