import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recordingLogger } from '../test-support/recording-logger.js';
import { DistinctLog } from './distinct-log.js';

describe('DistinctLog', () => {
  it('logs each distinct message once', () => {
    const { lines, logger } = recordingLogger();
    const log = new DistinctLog(logger);
    for (let i = 0; i < 5; i++) log.error('the same problem');
    log.error('another problem');
    assert.deepEqual(lines, ['error the same problem', 'error another problem']);
  });

  it('writes at most `limit` lines, however many distinct messages clients provoke', () => {
    const { lines, logger } = recordingLogger();
    const log = new DistinctLog(logger, 3);
    for (let i = 0; i < 50; i++) log.error(`problem ${i}`);
    assert.deepEqual(lines, ['error problem 0', 'error problem 1', 'error problem 2']);
  });

  it('cuts long lines and blanks control characters, so a quoted value cannot forge log lines', () => {
    const { lines, logger } = recordingLogger();
    new DistinctLog(logger).error(`returned "x\n[Nest] forged\r" ${'y'.repeat(400)}`);
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.ok(!/[\n\r]/.test(line));
    assert.ok(line.startsWith('error returned "x [Nest] forged " y'));
    assert.equal(line.length, 'error '.length + 301);
    assert.ok(line.endsWith('…'));
  });
});
