import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../core/chain/entry.js';
import { buildPush, splitStreams, type PushSettings } from './streams.js';

const settings: PushSettings = {
  serviceName: 'agenttrail', labels: ['event_type'], staticLabels: {}, structuredMetadata: ['seq'],
  maxLineBytes: 262_144, maxAgeMs: 7 * 86_400_000, maxFutureMs: 600_000,
};
const NOW = Date.parse('2025-06-01T12:00:00.000Z');
const entry = (seq: number, type: string, timestamp: string) => ({ seq, host: 'h', hash: `h${seq}`, event: { timestamp, event_type: type, level: 'INFO' } }) as unknown as JournalEntry;

describe('buildPush', () => {
  it('groups by stream in order of first appearance and sorts each stream stably by time', () => {
    const push = buildPush([entry(1, 'b', '2025-06-01T11:00:00.002Z'), entry(2, 'a', '2025-06-01T11:00:00.000Z'), entry(3, 'b', '2025-06-01T11:00:00.001Z')], settings, NOW);
    expect(push.streams.map((s) => s.key)).toEqual(['{event_type="b", service_name="agenttrail"}', '{event_type="a", service_name="agenttrail"}']);
    expect(push.streams[0]!.entries.map((e) => e.metadata)).toEqual([[['seq', '3']], [['seq', '1']]]);
    expect(push.streams[0]!.entries[0]).toMatchObject({ seconds: NOW / 1000 - 3600, nanos: 1_000_003 });
    expect(push).toMatchObject({ entries: 3, rejected: {}, truncated: 0 });
  });

  it('counts entries it leaves out by reason', () => {
    const push = buildPush([entry(1, 'a', '2025-05-01T00:00:00.000Z'), entry(2, 'a', '2025-06-01T13:00:00.000Z'), entry(3, 'a', 'soon')], settings, NOW);
    expect(push).toMatchObject({ streams: [], entries: 0, rejected: { too_old: 1, too_new: 1, invalid_timestamp: 1 } });
  });

  it('gives the same bytes for the same entries at any later time within the window', () => {
    const batch = [entry(9, 'a', '2025-06-01T11:59:00.000Z')];
    expect(buildPush(batch, settings, NOW)).toEqual(buildPush(batch, settings, NOW + 86_400_000));
  });
});

describe('splitStreams', () => {
  it('halves the entries across streams, keeping their order', () => {
    const push = buildPush([1, 2, 3, 4, 5].map((n) => entry(n, n < 3 ? 'a' : 'b', `2025-06-01T11:00:00.00${n}Z`)), settings, NOW);
    const [first, second] = splitStreams(push.streams);
    expect(first.map((s) => s.entries.map((e) => e.metadata[0]![1]))).toEqual([['1', '2'], ['3']]);
    expect(second.map((s) => s.entries.map((e) => e.metadata[0]![1]))).toEqual([['4', '5']]);
  });
});
