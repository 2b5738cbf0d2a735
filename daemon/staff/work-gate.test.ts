import { describe, expect, it } from 'vitest';
import { isKioskError } from '../errors.js';
import { WorkGate } from './work-gate.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('WorkGate', () => {
  it('runs `limit` at once, queues `maxWaiting` in order, refuses the rest at once with BUSY', async () => {
    const gate = new WorkGate(2, 3);
    const jobs = Array.from({ length: 6 }, deferred);
    const started: number[] = [];
    const results = jobs.map((j, i) =>
      gate.run(async () => {
        started.push(i);
        await j.promise;
        return i;
      }).catch((e: unknown) => (isKioskError(e, 'BUSY') ? `busy ${e.context['retryAfterSeconds']}` : 'other')),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(gate.load()).toEqual({ running: 2, waiting: 3, priorityWaiting: 0 });
    expect(await results[5]).toBe('busy 1');
    jobs[1]!.resolve();
    await results[1];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    // The freed slot went straight to the first in line; a newcomer queues behind the others.
    expect(gate.load()).toEqual({ running: 2, waiting: 2, priorityWaiting: 0 });
    const late = gate.run(async () => {
      started.push(99);
      return 'late';
    });
    for (const j of jobs) j.resolve();
    expect(await Promise.all([...results, late])).toEqual([0, 1, 2, 3, 4, 'busy 1', 'late']);
    expect(started).toEqual([0, 1, 2, 3, 4, 99]);
    expect(gate.load()).toEqual({ running: 0, waiting: 0, priorityWaiting: 0 });
  });

  it('serves priority work first, in its own line, even when the ordinary line is full', async () => {
    const gate = new WorkGate(1, 1, 1);
    const first = deferred();
    const order: string[] = [];
    const job = (name: string) => async () => {
      order.push(name);
      if (name === 'first') await first.promise;
    };
    const running = gate.run(job('first'));
    const queued = gate.run(job('queued'));
    await expect(gate.run(job('refused'))).rejects.toThrow(/busy/);
    const priority = gate.run(job('priority'), { priority: true });
    await expect(gate.run(job('second priority'), { priority: true })).rejects.toThrow(/busy/);
    first.resolve();
    await Promise.all([running, queued, priority]);
    expect(order).toEqual(['first', 'priority', 'queued']);
  });

  it('frees the slot when the work fails', async () => {
    const gate = new WorkGate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('scrypt failed')))).rejects.toThrow('scrypt failed');
    expect(await gate.run(async () => 'next')).toBe('next');
  });
});
