import { describe, expect, it } from 'vitest';
import { encodeSpoolRecord, parseSpoolRecord } from './format.js';

const header = { event: 'PreToolUse', transport: 'command', pid: 42, ppid: 7, id: '0b7c2a4e-1111-4222-8333-944455556666', projectDir: '/home/dev/é proj', agent: 'claude-code_2-1-328_harness' };

describe('parseSpoolRecord', () => {
  it('returns the payload byte for byte when the trailer is present', () => {
    const payload = Buffer.from('{"a":"x\\ny"}\n');
    const parsed = parseSpoolRecord(encodeSpoolRecord(header, payload));
    expect(parsed.status).toBe('complete');
    expect(parsed.status === 'complete' && parsed.record.payload.equals(payload)).toBe(true);
    expect(parsed.status === 'complete' && parsed.record.projectDir).toBe('/home/dev/é proj');
  });

  it('reports incomplete while the trailer is missing', () => {
    const full = encodeSpoolRecord(header, Buffer.from('{"a":1}'));
    for (const cut of [0, 3, 20, full.length - 1]) {
      const parsed = parseSpoolRecord(full.subarray(0, cut));
      expect(parsed.status, `cut at ${cut}`).toBe('incomplete');
    }
  });

  it('keeps the writer pid of an incomplete record so liveness can be checked', () => {
    const full = encodeSpoolRecord(header, Buffer.from('{"a":1}'));
    const parsed = parseSpoolRecord(full.subarray(0, full.length - 5));
    expect(parsed.status === 'incomplete' && parsed.header?.pid).toBe(42);
  });

  it('does not take a payload that forges a trailer with another id as complete', () => {
    const forged = Buffer.concat([encodeSpoolRecord(header, Buffer.from('{}')).subarray(0, -1 - header.id.length - 1), Buffer.from('\nnot-the-id\n')]);
    expect(parseSpoolRecord(forged).status).toBe('incomplete');
  });

  it('rejects files that are not spool records', () => {
    expect(parseSpoolRecord(Buffer.from('{"hook_event_name":"PreToolUse"}\n'))).toEqual({ status: 'invalid', reason: 'bad_header' });
    expect(parseSpoolRecord(Buffer.from('AT1 a b c d e f\nxx'))).toEqual({ status: 'invalid', reason: 'bad_header' });
  });
});
