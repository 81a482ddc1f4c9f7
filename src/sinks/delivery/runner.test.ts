import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../../test/helpers/tmp.js';
import type { JournalEntry } from '../../core/chain/entry.js';
import type { AgentEvent } from '../../core/event/schema.js';
import { JournalWriter } from '../../journal/writer.js';
import { readCursor } from './cursor.js';
import { PermanentError, RetryableError } from './retry.js';
import { createDeliveryRunner, type DeliveryRunner, type DeliveryRunnerOptions } from './runner.js';
import type { Sink } from './sink.js';

const event = (n: number, type = 'prompt') => ({ timestamp: new Date(1_700_000_000_000 + n).toISOString(), event_type: type, raw: { n } }) as unknown as AgentEvent;

/** A sink that records batches and can be scripted to fail. */
function memorySink(script: (Error | undefined)[] = []): Sink & { batches: number[][]; calls: number } {
  const sink = {
    batches: [] as number[][],
    calls: 0,
    async send(batch: readonly JournalEntry[]) {
      const err = script[sink.calls++];
      if (err) throw err;
      sink.batches.push(batch.map((e) => e.seq));
    },
  };
  return sink;
}

function setup(overrides: Partial<DeliveryRunnerOptions> = {}) {
  const journalDir = tmpDir();
  const stateDir = tmpDir();
  const writer = JournalWriter.open({ dir: journalDir, host: 'h', maxSegmentBytes: 1 << 20, tailEntries: 10 });
  const logs: string[] = [];
  const sink = memorySink();
  const base: DeliveryRunnerOptions = {
    id: 'test',
    journalDir,
    stateDir,
    sink,
    batch: { maxEntries: 3, maxBytes: 1 << 20, maxWaitMs: 0 },
    retry: { baseMs: 1, capMs: 5 },
    log: (m) => logs.push(m),
    ...overrides,
  };
  const append = (...types: string[]) => {
    for (const t of types) writer.append(event(writer.head.seq + 1, t), `r${writer.head.seq + 1}`);
    writer.commit();
    return writer.head.seq;
  };
  return { journalDir, stateDir, writer, logs, sink, base, append };
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('createDeliveryRunner', () => {
  it('delivers in batches of maxEntries and persists the cursor after each', async () => {
    const t = setup();
    t.append('a', 'b', 'c', 'd', 'e');
    const runner = createDeliveryRunner(t.base);
    runner.start();
    await until(() => runner.stats().delivered === 5);
    expect(t.sink.batches).toEqual([[1, 2, 3], [4, 5]]);
    expect(readCursor(t.stateDir, 'test')?.seq).toBe(5);
    await runner.stop(1000);
  });

  it('skips filtered entries but moves the cursor past them', async () => {
    const t = setup();
    const runner = createDeliveryRunner({ ...t.base, filter: (e) => e.event.event_type === 'x' });
    runner.start();
    t.append('a', 'x', 'b', 'c');
    runner.wake(4);
    await until(() => runner.stats().cursor.seq === 4);
    expect(t.sink.batches).toEqual([[2]]);
    await runner.stop(1000);
    expect(runner.stats()).toMatchObject({ filtered: 3, delivered: 1, lag: 0, state: 'stopped' });
    expect(readCursor(t.stateDir, 'test')?.seq).toBe(4);
  });

  it('drops a permanently failing batch with its reason and carries on', async () => {
    const t = setup();
    const sink = memorySink([new PermanentError('HTTP 400', 'http_400')]);
    t.append('a', 'b', 'c', 'd');
    const runner = createDeliveryRunner({ ...t.base, sink });
    runner.start();
    await until(() => runner.stats().cursor.seq === 4);
    expect(sink.batches).toEqual([[4]]);
    expect(runner.stats()).toMatchObject({ dropped: { http_400: 3 }, delivered: 1, retries: 0, lastError: 'HTTP 400' });
    expect(t.logs.some((l) => /dropped 3 entries \(http_400/.test(l))).toBe(true);
    await runner.stop(1000);
  });

  it('retries a retryable failure with the same batch, then delivers it once', async () => {
    const t = setup();
    const sink = memorySink([new RetryableError('HTTP 503'), new RetryableError('HTTP 503')]);
    t.append('a', 'b');
    const runner = createDeliveryRunner({ ...t.base, sink });
    runner.start();
    await until(() => runner.stats().delivered === 2);
    expect(sink.batches).toEqual([[1, 2]]);
    expect(runner.stats()).toMatchObject({ retries: 2, state: 'running' });
    expect(t.logs.filter((l) => /will retry/.test(l))).toHaveLength(1);
    await runner.stop(1000);
  });

  it('resumes from its cursor after a restart without resending', async () => {
    const t = setup();
    t.append('a', 'b');
    let runner: DeliveryRunner = createDeliveryRunner(t.base);
    runner.start();
    await until(() => runner.stats().delivered === 2);
    await runner.stop(1000);
    t.append('c');
    runner = createDeliveryRunner(t.base);
    runner.start();
    await until(() => runner.stats().delivered === 1);
    await runner.stop(1000);
    expect(t.sink.batches).toEqual([[1, 2], [3]]);
  });

  it('stops promptly during a backoff without moving the cursor', async () => {
    const t = setup();
    const sink = memorySink(Array.from({ length: 10 }, () => new RetryableError('down')));
    t.append('a');
    const runner = createDeliveryRunner({ ...t.base, sink, retry: { baseMs: 60_000, capMs: 60_000 }, random: () => 0.99 });
    runner.start();
    await until(() => runner.stats().state === 'retrying');
    const started = Date.now();
    await runner.stop(1000);
    expect(Date.now() - started).toBeLessThan(500);
    expect(readCursor(t.stateDir, 'test')?.seq).toBe(0);
  });

  it('restarts from the journal head when its cursor belongs to another chain', async () => {
    const t = setup({ onChainMismatch: 'head' });
    t.append('a', 'b', 'c');
    const runner = createDeliveryRunner(t.base);
    runner.start();
    await until(() => runner.stats().delivered === 3);
    await runner.stop(1000);
    const other = setup({ onChainMismatch: 'head' });
    other.append('z');
    const moved = createDeliveryRunner({ ...other.base, stateDir: t.stateDir });
    moved.start();
    expect(moved.stats()).toMatchObject({ chainResets: 1, cursor: { seq: 1 } });
    expect(t.logs.concat(other.logs).some((l) => /different journal/.test(l))).toBe(true);
    await moved.stop(1000);
  });

  it('is safe to stop without start and to stop twice', async () => {
    const t = setup();
    let closed = 0;
    const runner = createDeliveryRunner({ ...t.base, sink: { ...t.sink, send: t.sink.send, close: async () => void closed++ } });
    await runner.stop(100);
    await runner.stop(100);
    expect(closed).toBe(1);
  });
});
