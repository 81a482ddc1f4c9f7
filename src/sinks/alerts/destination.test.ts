import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../core/chain/entry.js';
import type { Alert } from './alert.js';
import { createAlertDestination } from './destination.js';

let seq = 0;
function entry(severity: string, evidence = 'e', eventType = 'security_alert'): JournalEntry {
  seq++;
  return {
    v: 1,
    seq,
    host: 'h',
    source_id: `r${seq}`,
    prev: '0'.repeat(64),
    hash: String(seq).padStart(64, '0'),
    event: { event_type: eventType, session_id: 's1', timestamp: '2025-06-01T12:00:00.000Z', action_details: { rule_id: 'R1', title: 'T', severity, evidence } },
  } as unknown as JournalEntry;
}

const throttle = { dedupeWindowMs: 600_000, perRuleSessionLimit: 5, globalPerMinute: 30 };

describe('createAlertDestination', () => {
  it('passes security alerts at or above minSeverity only', () => {
    const d = createAlertDestination({ send: async () => {} }, { minSeverity: 'medium', throttle, clock: () => 0 });
    const got = [entry('low', 'a'), entry('medium', 'b'), entry('critical', 'c'), entry('high', 'd', 'command_exec')].map(d.filter);
    expect(got).toEqual([false, true, true, false]);
    expect(d.belowThreshold()).toBe(1);
  });

  it('ignores malformed findings', () => {
    const d = createAlertDestination({ send: async () => {} }, { minSeverity: 'info', throttle, clock: () => 0 });
    expect(d.filter(entry('severe'))).toBe(false);
  });

  it('keeps the "+N similar suppressed" note of an alert across retries of its batch', async () => {
    let now = 0;
    const sent: Alert[][] = [];
    const d = createAlertDestination({ send: async (alerts) => void sent.push([...alerts]) }, { minSeverity: 'info', throttle, clock: () => now });
    expect([entry('high'), entry('high'), entry('high')].map(d.filter)).toEqual([true, false, false]);
    now = 600_001;
    const later = entry('high');
    expect(d.filter(later)).toBe(true);
    await d.sink.send([later], new AbortController().signal);
    await d.sink.send([later], new AbortController().signal);
    expect(sent.map((b) => b[0]!.suppressed_similar)).toEqual([2, 2]);
    expect(d.suppressed()).toMatchObject({ duplicate: 2 });
  });
});
