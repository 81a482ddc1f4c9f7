import { deflateRawSync, gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import snappy from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { decodePushBody, DISCOVER_SERVICE_NAME, type BodySettings } from './body.js';
import { decodeJsonPush } from './decode-json.js';
import { snappyDecodedLength } from './decode-protobuf.js';
import { parseMediaType } from './media-type.js';
import type { Decoded, RawPush } from './raw-push.js';

const NO_DISCOVERY: BodySettings = { maxDecompressedBytes: 1 << 20, discoverServiceName: [] };
const DISCOVERY: BodySettings = { ...NO_DISCOVERY, discoverServiceName: DISCOVER_SERVICE_NAME };

// loki.md §10.1 base body B.
const B = '{"streams": [{ "stream": { "foo": "bar2" }, "values": [ [ "1570818238000000000", "fizzbuzz" ] ] }]}';
const decode = (ct: string, ce: string, body: Buffer | string, s = NO_DISCOVERY): Decoded => decodePushBody(ct, ce, Buffer.from(body), s);
const pushOf = (d: Decoded): RawPush => {
  if ('failure' in d) throw new Error(`${d.failure.status} ${d.failure.message}`);
  return d.push;
};
const summary = (d: Decoded) =>
  pushOf(d).streams.map((s) => ({
    labels: s.labels,
    lines: s.entries.length,
    bytes: s.entries.reduce((n, e) => n + e.lineBytes, 0),
    smBytes: s.entries.reduce((n, e) => n + e.metadata.reduce((m, [k, v]) => m + k.length + v.length, 0), 0),
  }));

// loki.md §1.3 push.proto, written independently of the decoder under test.
const proto = protobuf.Root.fromJSON({
  nested: {
    PushRequest: { fields: { streams: { rule: 'repeated', type: 'Stream', id: 1 } } },
    Stream: { fields: { labels: { type: 'string', id: 1 }, entries: { rule: 'repeated', type: 'Entry', id: 2 } } },
    Entry: { fields: { timestamp: { type: 'Ts', id: 1 }, line: { type: 'string', id: 2 }, structuredMetadata: { rule: 'repeated', type: 'Pair', id: 3 } } },
    Pair: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
    Ts: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
  },
}).lookupType('PushRequest');
const protoBody = (message: object): Buffer => Buffer.from(snappy.compress(proto.encode(proto.fromObject(message)).finish()));

describe('decodePushBody against loki.md §10.1 (TestParseRequest)', () => {
  it.each([
    ['an empty body', 'application/json', '', ''],
    ['a body without Content-Type', '', '', B],
    ['a line that is not a string', 'application/json', '', B.replace('"fizzbuzz"', '{"fizz": "buzz"}')],
    ['gzip sent as snappy', 'application/json', 'snappy', gzipSync(B)],
    ['application/jsonn', 'application/jsonn; charset=utf-8', 'gzip', gzipSync(B)],
    ['a malformed parameter', 'application/json; charsetutf-8', 'gzip', gzipSync(B)],
  ])('refuses %s with 400', (_name, ct, ce, body) => {
    const d = decode(ct, ce, body);
    expect('failure' in d && d.failure.status).toBe(400);
  });

  it.each([
    ['application/json', ''],
    ['application/json', 'gzip'],
    ['application/json', 'deflate'],
    ['application/json; charset=utf-8', 'gzip'],
    ['application/json; charset=utf-8', 'deflate'],
    ['APPLICATION/JSON', ''],
  ])('reads B as %s with Content-Encoding %j', (ct, ce) => {
    const body = ce === 'gzip' ? gzipSync(B) : ce === 'deflate' ? deflateRawSync(B) : B;
    expect(summary(decode(ct, ce, body))).toEqual([{ labels: '{foo="bar2"}', lines: 1, bytes: 8, smBytes: 0 }]);
  });

  it('reads structured metadata from the third element, multi-line values intact', () => {
    const sm = deflateRawSync(B.replace('"fizzbuzz" ]', '"fizzbuzz", {"a":"a","b":"b"} ]'));
    expect(summary(decode('application/json; charset=utf-8', 'deflate', sm))).toEqual([{ labels: '{foo="bar2"}', lines: 1, bytes: 8, smBytes: 4 }]);
    const multi = pushOf(decode('application/json', '', B.replace('"fizzbuzz" ]', '"fizzbuzz", {"key": "multi\\nline\\nvalue"} ]')));
    expect(multi.streams[0]!.entries[0]!.metadata).toEqual([['key', 'multi\nline\nvalue']]);
  });

  it('discovers service_name from the first label of the list, else unknown_service, never for internal streams', () => {
    const job = B.replace('{ "foo": "bar2" }', '{"foo":"bar2","job":"stuff"}');
    expect(summary(decode('application/json', '', job, DISCOVERY))[0]!.labels).toBe('{foo="bar2", job="stuff", service_name="stuff"}');
    expect(summary(decode('application/json', '', B, DISCOVERY))[0]!.labels).toBe('{foo="bar2", service_name="unknown_service"}');
    const internal = B.replace('{ "foo": "bar2" }', '{"__aggregated_metric__":"stuff","foo":"bar2"}');
    expect(summary(decode('application/json', '', internal, DISCOVERY))[0]!.labels).toBe('{__aggregated_metric__="stuff", foo="bar2"}');
  });

  it('reads the snappy protobuf vector with quoted label names and structured metadata', () => {
    const body = protoBody({
      streams: [{ labels: '{ "foo"="bar2",      "environment"="prod"   }', entries: [{ timestamp: { seconds: 1570818238, nanos: 0 }, line: 'fizzbuzz', structuredMetadata: [{ name: 'name1', value: 'value1' }] }] }],
    });
    expect(summary(decode('application/x-protobuf', '', body))).toEqual([{ labels: '{environment="prod", foo="bar2"}', lines: 1, bytes: 8, smBytes: 11 }]);
    expect(pushOf(decode('application/x-protobuf', '', body)).streams[0]!.entries[0]!.tsNs).toBe(1570818238000000000n);
  });
});

describe('decodePushBody against loki.md §10.2 (protobuf + snappy vector)', () => {
  const PROTOBUF =
    '0a6b0a1c7b736572766963655f6e616d653d22636c617564652d636f6465227d124b0a0b0880e2cfaa0610959aef3a12297b226576656e74223a22507265546f6f6c557365222c22746f6f6c5f6e616d65223a2252656164227d1a110a0a73657373696f6e5f69641203616263';
  const SNAPPY =
    '6df04c0a6b0a1c7b736572766963655f6e616d653d22636c617564652d636f6465227d124b0a0b0880e2cfaa0610959aef3a12297b226576656e74223a22507265546f6f6c557365222c22746f6f6c5f01406c223a2252656164227d1a110a0a73657373696f6e5f69641203616263';
  const expected = {
    streams: [
      {
        labels: '{service_name="claude-code"}',
        entries: [{ tsNs: 1700000000123456789n, line: '{"event":"PreToolUse","tool_name":"Read"}', lineBytes: 41, metadata: [['session_id', 'abc']] }],
      },
    ],
  };

  it('decodes the digest snappy block to the documented push', () => {
    expect(snappyDecodedLength(Buffer.from(SNAPPY, 'hex'))).toBe(109);
    expect(decode('application/x-protobuf', '', Buffer.from(SNAPPY, 'hex'), DISCOVERY)).toEqual({ push: expected });
  });

  it('decodes the same protobuf compressed by another snappy encoder, and with Content-Encoding snappy', () => {
    const body = Buffer.from(snappy.compress(Buffer.from(PROTOBUF, 'hex')));
    expect(decode('application/x-protobuf', 'snappy', body)).toEqual({ push: expected });
  });

  it('gunzips first, then still snappy-decodes, when protobuf comes with Content-Encoding gzip', () => {
    expect(decode('application/x-protobuf', 'gzip', gzipSync(Buffer.from(SNAPPY, 'hex')))).toEqual({ push: expected });
  });

  it('takes any media type other than application/json as protobuf', () => {
    expect(decode('application/octet-stream', '', Buffer.from(SNAPPY, 'hex'))).toEqual({ push: expected });
    const d = decode('application/jsonn', '', B);
    expect(d).toEqual({ failure: { status: 400, message: 'snappy: corrupt input' } });
  });
});

describe('decodeJsonPush against loki.md §10.1 (Test_DecodePushRequest)', () => {
  const entryOf = (values: string, stream = '{"a":"b"}') => {
    const d = decodeJsonPush(Buffer.from(`{"streams":[{"stream":${stream},"values":[${values}]}]}`));
    return 'push' in d ? d.push.streams[0] : d.failure;
  };

  it('reads a nanosecond string timestamp, structured metadata, and skips null entries', () => {
    expect(entryOf('null, [ "123456789012345", "super line", { "a": "1", "b": "2" } ], null')).toEqual({
      labels: '{a="b"}',
      entries: [{ tsNs: 123456789012345n, line: 'super line', lineBytes: 10, metadata: [['a', '1'], ['b', '2']] }],
    });
  });

  it('keeps a number or object label value as its JSON text', () => {
    expect(entryOf('', '{"n":123,"o":{ "a": "b" }}')).toMatchObject({ labels: '{n="123", o="{\\"a\\":\\"b\\"}"}' });
  });

  it.each([
    ['a numeric timestamp', '[1570818238000000000, "x"]', 'Value is string, but can\'t find closing \'"\' symbol'],
    ['a float timestamp', '["1.5", "x"]', "Value looks like Number/Boolean/None, but can't find its end: ',' or '}' symbol"],
    ['an int64 overflow', '["9223372036854775808", "x"]', 'Value is number, but overflowed while parsing'],
    ['a non-string metadata value', '["1", "x", {"a": 1}]', 'Value is string, but can\'t find closing \'"\' symbol'],
    ['metadata that is not an object', '["1", "x", ["a"]]', "Value looks like object, but can't find closing '}' symbol"],
  ])('refuses %s with 400', (_name, values, message) => {
    expect(entryOf(values)).toEqual({ status: 400, message });
  });

  it('refuses a bare None', () => {
    const d = decodeJsonPush(Buffer.from('None'));
    expect('failure' in d && d.failure.status).toBe(400);
  });

  it('treats a missing or null streams list as no streams', () => {
    expect(decodeJsonPush(Buffer.from('{}'))).toEqual({ push: { streams: [] } });
    expect(decodeJsonPush(Buffer.from('null'))).toEqual({ push: { streams: [] } });
  });
});

describe('decodePushBody limits and errors', () => {
  it('answers 413 when snappy declares more than the decompression cap, before allocating it', () => {
    const hostile = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]);
    expect(decode('application/x-protobuf', '', hostile)).toEqual({
      failure: { status: 413, message: `request body too large: decompressed message size too large than max (4294967295 vs ${1 << 20})` },
    });
  });

  it('answers 413 when gzip inflates beyond the cap', () => {
    const bomb = gzipSync(Buffer.alloc(2 << 20, 0x20));
    expect(decode('application/json', 'gzip', bomb)).toMatchObject({ failure: { status: 413 } });
  });

  it.each([
    ['br', 'application/json', B, 'Content-Encoding "br" not supported'],
    ['gzip', 'application/json', B, 'gzip: invalid header'],
    ['', 'application/x-protobuf', 'not snappy at all \u0080', 'snappy: corrupt input'],
    ['', 'text', B, 'snappy: corrupt input'],
    ['', ';charset=utf-8', B, 'mime: no media type'],
  ])('answers 400 for Content-Encoding %j, Content-Type %j', (ce, ct, body, message) => {
    expect(decode(ct, ce, body)).toEqual({ failure: { status: 400, message } });
  });

  it("answers 400 couldn't parse labels for a JSON label name Prometheus rejects", () => {
    expect(decode('application/json', '', B.replace('"foo"', '"tool.name"'))).toEqual({
      failure: { status: 400, message: "couldn't parse labels: 1:6: parse error: unexpected character inside braces: '.'" },
    });
  });

  it('answers 413 for a label string over 16 MiB', () => {
    const body = protoBody({ streams: [{ labels: `{a="${'x'.repeat(1 << 24)}"}`, entries: [] }] });
    expect(decode('application/x-protobuf', '', body, { ...NO_DISCOVERY, maxDecompressedBytes: 1 << 25 })).toEqual({
      failure: { status: 413, message: 'request body too large: stream labels size 17 MB exceeds limit of 17 MB' },
    });
  });
});

describe('parseMediaType', () => {
  it.each([
    ['application/json', 'application/json'],
    ['application/json; charset=utf-8', 'application/json'],
    [' Application/JSON ;charset="utf-8";', 'application/json'],
    ['', 'mime: no media type'],
    ['application', 'application'],
    ['application json', 'mime: expected slash after first token'],
    ['application/', 'mime: expected token after slash'],
    ['application/json x', 'mime: unexpected content after media subtype'],
    ['application/json; charsetutf-8', 'mime: invalid media parameter'],
    ['application/json; a=1; a=2', 'mime: duplicate parameter name'],
  ])('reads %j as Go does', (header, expected) => {
    const r = parseMediaType(header);
    expect('mediaType' in r ? r.mediaType : r.error).toBe(expected);
  });
});
