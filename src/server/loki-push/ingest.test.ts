import { describe, expect, it } from 'vitest';
import { ingestPush, type PushRequestInput } from './ingest.js';

const NOW_MS = Date.UTC(2026, 10, 24, 12, 0, 0);
const TS = `${NOW_MS}000000`;
const input = (body: unknown, over: Partial<PushRequestInput> = {}): PushRequestInput => ({
  contentType: 'application/json',
  contentEncoding: '',
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  tenant: 'team-a',
  remote: '10.0.0.7',
  nowMs: NOW_MS,
  ...over,
});

describe('ingestPush', () => {
  it('answers 204 and keeps the push with labels as Loki stores them and timestamps as decimal strings', () => {
    const body = { streams: [{ stream: { job: 'api', level: 'info' }, values: [[TS, 'hello', { trace_id: 't1' }]] }] };
    expect(ingestPush(input(body))).toEqual({
      status: 204,
      push: {
        tenant: 'team-a',
        receivedAtMs: NOW_MS,
        remote: '10.0.0.7',
        streams: [{ labels: { job: 'api', level: 'info', service_name: 'api' }, entries: [{ tsNs: TS, line: 'hello', metadata: { trace_id: 't1' } }] }],
      },
    });
  });

  it.each([['{"streams":[]}'], ['{}']])('answers 422 for a request without streams: %s', (body) => {
    expect(ingestPush(input(body))).toEqual({ status: 422, message: 'error at least one valid stream is required for ingestion' });
  });

  it('answers 204 with nothing to keep when every stream is empty', () => {
    expect(ingestPush(input({ streams: [{ stream: { a: 'b' }, values: [] }] }))).toEqual({ status: 204, push: undefined });
  });

  it('answers 400 and still keeps what validated, as Loki writes the valid part of a request', () => {
    const body = { streams: [{ stream: { a: 'b' }, values: [[TS, 'ok'], [TS, 'x'.repeat(256 * 1024 + 1)]] }] };
    const outcome = ingestPush(input(body));
    expect(outcome.status).toBe(400);
    expect(outcome.message).toBe(
      `max entry size '262144' bytes exceeded for stream '{a="b", service_name="unknown_service"}' while adding an entry with length '262145' bytes`,
    );
    expect(outcome.push?.streams.map((s) => s.entries.map((e) => e.line))).toEqual([['ok']]);
  });

  it('answers 400 with nothing kept when nothing validated', () => {
    const outcome = ingestPush(input({ streams: [{ stream: { a: 'b' }, values: [['1', 'too old']] }] }));
    expect(outcome).toMatchObject({ status: 400, push: undefined });
    expect(outcome.message).toMatch(/^entry for stream '\{a="b", service_name="unknown_service"\}' has timestamp too old: 1970-01-01T00:00:00Z/);
  });

  it('answers 500 and keeps nothing when a structured metadata name is empty', () => {
    const body = { streams: [{ stream: { a: 'b' }, values: [[TS, 'ok'], [TS, 'x', { '': 'v' }]] }] };
    expect(ingestPush(input(body))).toEqual({ status: 500, message: 'normalization for label name "" resulted in empty name' });
  });
});
