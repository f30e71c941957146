import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConcurrencyLimit } from './concurrency-limit.js';

describe('ConcurrencyLimit', () => {
  it('never runs more than max tasks at once, and runs every queued one', async () => {
    const limit = new ConcurrencyLimit(2, 5000);
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    };
    await Promise.all(Array.from({ length: 20 }, () => limit.run(task)));
    assert.equal(peak, 2);
  });

  it('fails a waiting task that got no slot in time, without running it', async () => {
    const limit = new ConcurrencyLimit(1, 20);
    let release!: () => void;
    const blocker = limit.run(() => new Promise<void>((resolve) => (release = resolve)));
    let ran = false;
    await assert.rejects(
      limit.run(async () => {
        ran = true;
      }),
      /no free slot within 20 ms/,
    );
    assert.equal(ran, false);
    release();
    await blocker;
    assert.equal(await limit.run(async () => 'free again'), 'free again');
  });
});
