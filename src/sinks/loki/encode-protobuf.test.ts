import { describe, expect, it } from 'vitest';
import { compress, uncompress } from 'snappyjs';
import { decodePushRequest, encodeProtobuf, encodePushRequest } from './encode-protobuf.js';
import type { PushStream } from './streams.js';

// loki.md §10.2: one stream {service_name="claude-code"}, ts 1700000000 s + 123456789 ns, SM session_id=abc.
const GOLDEN_PROTOBUF =
  '0a6b0a1c7b736572766963655f6e616d653d22636c617564652d636f6465227d124b0a0b0880e2cfaa0610959aef3a1229' +
  '7b226576656e74223a22507265546f6f6c557365222c22746f6f6c5f6e616d65223a2252656164227d1a110a0a73657373' +
  '696f6e5f69641203616263';
const GOLDEN_SNAPPY =
  '6df04c0a6b0a1c7b736572766963655f6e616d653d22636c617564652d636f6465227d124b0a0b0880e2cfaa0610959aef3a1229' +
  '7b226576656e74223a22507265546f6f6c557365222c22746f6f6c5f01406c223a2252656164227d1a110a0a73657373696f6e5f69641203616263';

const golden: PushStream[] = [
  {
    labels: [['service_name', 'claude-code']],
    key: '{service_name="claude-code"}',
    entries: [{ seconds: 1_700_000_000, nanos: 123_456_789, line: '{"event":"PreToolUse","tool_name":"Read"}', metadata: [['session_id', 'abc']] }],
  },
];

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('encodePushRequest', () => {
  it('matches the golden PushRequest of loki.md §10.2 byte for byte', () => {
    expect(hex(encodePushRequest(golden))).toBe(GOLDEN_PROTOBUF);
  });

  it('omits zero nanoseconds and empty metadata, as proto3 does, and decodes back', () => {
    const bytes = encodePushRequest([{ labels: [['a', 'b']], key: '{a="b"}', entries: [{ seconds: 5, nanos: 0, line: 'x', metadata: [] }] }]);
    // streams{ labels, entries{ timestamp{seconds=5}, line } }: no 0x10 nanos tag, no 0x1a metadata.
    expect(hex(bytes)).toBe('0a12' + '0a077b613d2262227d' + '1207' + '0a020805' + '120178');
    expect(decodePushRequest(bytes)).toMatchObject({ streams: [{ labels: '{a="b"}', entries: [{ timestamp: { seconds: 5, nanos: 0 }, line: 'x' }] }] });
  });
});

describe('encodeProtobuf', () => {
  it('wraps the PushRequest in a snappy block (not framed) that round-trips', () => {
    const body = encodeProtobuf(golden);
    expect(body[0]).toBe(0x6d); // block format starts with the uncompressed length as a varint (109)
    expect(hex(uncompress(body))).toBe(GOLDEN_PROTOBUF);
  });

  it('decodes the golden snappy block of loki.md §10.2 to the golden PushRequest', () => {
    expect(hex(uncompress(Buffer.from(GOLDEN_SNAPPY, 'hex')))).toBe(GOLDEN_PROTOBUF);
    expect(hex(compress(Buffer.from(GOLDEN_PROTOBUF, 'hex')))).toBe(GOLDEN_SNAPPY);
  });
});
