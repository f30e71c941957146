import { setTimeout as sleep } from 'node:timers/promises';

/** Waits until `done()` holds, at most `timeoutMs` (checking every 10 ms): the caller asserts what it waited for. */
export async function eventually(done: () => boolean, timeoutMs = 2000): Promise<void> {
  for (let waited = 0; waited < timeoutMs && !done(); waited += 10) await sleep(10);
}
