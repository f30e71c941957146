import { freePort } from 'nest-mcp-auth/testing';
import type { HttpAdapterName } from '../../src/http-adapter.js';
import { startProcess } from './child-process.js';

/** The example (`dist/src/main.js`, what `npm start` runs) in a child process. */
export interface ExampleProcess {
  mcpUrl: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the example with its embedded authorization server on free ports, on the given HTTP platform
 * (`HTTP_ADAPTER`, default Express); resolves once it printed its URLs.
 */
export async function startExampleProcess(
  options: { adapter?: HttpAdapterName; timeoutMs?: number } = {},
): Promise<ExampleProcess> {
  const { adapter = 'express', timeoutMs = 20_000 } = options;
  const [port, authPort] = [await freePort(), await freePort()];
  const example = await startProcess(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, PORT: String(port), DEV_AUTH_PORT: String(authPort), ISSUER: '', HTTP_ADAPTER: adapter },
    ready: /Connect\s+npm run client/,
    timeoutMs,
  });
  return { mcpUrl: `http://127.0.0.1:${port}/mcp`, ...example };
}
