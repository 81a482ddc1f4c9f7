import { describe, expect, it } from 'vitest';
import { encodeJson, nanosString } from './encode-json.js';

describe('encodeJson', () => {
  it('writes timestamps as strings of nanoseconds, metadata as a third element only when present', () => {
    const body = encodeJson([
      {
        labels: [['foo', 'bar2'], ['service_name', 'agenttrail']],
        key: '{foo="bar2", service_name="agenttrail"}',
        entries: [
          { seconds: 1_570_818_238, nanos: 0, line: 'fizzbuzz', metadata: [] },
          { seconds: 1_570_818_238, nanos: 1_000_007, line: '{"a":"\\n"}', metadata: [['session_id', 's1'], ['seq', '7']] },
        ],
      },
    ]);
    expect(body).toBe(
      '{"streams":[{"stream":{"foo":"bar2","service_name":"agenttrail"},"values":[["1570818238000000000","fizzbuzz"],' +
        '["1570818238001000007","{\\"a\\":\\"\\\\n\\"}",{"session_id":"s1","seq":"7"}]]}]}',
    );
  });

  it('pads nanoseconds to nine digits and has no leading zeros at the epoch', () => {
    expect(nanosString({ seconds: 1, nanos: 5 })).toBe('1000000005');
    expect(nanosString({ seconds: 0, nanos: 123 })).toBe('123');
  });
});
