import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback port the OS says is free right now: for tests that must know a server's URL (its resource
 * URL, a token audience) before the server starts.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
