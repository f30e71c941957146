import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from 'nest-mcp-auth/testing';
import type { HttpAdapterName } from '../../src/http-adapter.js';

/** The example (`dist/src/main.js`, what `npm start` runs) in a child process. */
export interface ExampleProcess {
  mcpUrl: string;
  issuer: string;
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
  const child: ChildProcess = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, PORT: String(port), DEV_AUTH_PORT: String(authPort), ISSUER: '', HTTP_ADAPTER: adapter },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`example did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const check = () => {
      if (/Connect\s+npm run client/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`example exited with ${code}:\n${output}`));
    });
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  return {
    mcpUrl: `http://127.0.0.1:${port}/mcp`,
    issuer: `http://127.0.0.1:${authPort}`,
    output: () => output,
    stop,
  };
}
