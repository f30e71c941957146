import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutageLog } from './outage-log.js';
import { recordingLogger } from '../test-support/recording-logger.js';

describe('OutageLog', () => {
  const setup = () => {
    let now = 0;
    const { lines, logger } = recordingLogger();
    const outages = new OutageLog(logger, 'The store', () => now);
    return {
      lines,
      outages,
      advance: (ms: number) => {
        now += ms;
      },
    };
  };

  it('reports an outage once, with its reason, and its recovery once', () => {
    const { lines, outages } = setup();
    for (let i = 0; i < 3; i++) outages.failed(new Error('full'), 'proofs are refused');
    outages.succeeded();
    outages.succeeded();
    assert.deepEqual(lines, [
      'error The store is unavailable (full); proofs are refused',
      'log The store is reachable again',
    ]);
  });

  it('writes at most one outage and its recovery a minute when the dependency fails and recovers by turns', () => {
    const { lines, outages, advance } = setup();
    // Two minutes of failing and recovering every 10 ms: 12,000 outages.
    for (let i = 0; i < 12_000; i++) {
      outages.failed(new Error('full'), 'proofs are refused');
      outages.succeeded();
      advance(10);
    }
    assert.deepEqual(lines, [
      'error The store is unavailable (full); proofs are refused',
      'log The store is reachable again',
      'error The store is unavailable (full); proofs are refused',
      'log The store is reachable again',
    ]);
  });
});
