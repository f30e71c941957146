import { spawn } from 'node:child_process';

/** A program a test started, what it printed so far, and how to stop it. */
export interface TestProcess {
  /** Its stdout and stderr, interleaved as they arrived. */
  output(): string;
  /** SIGTERM, then SIGKILL after 3 s; resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Starts `command` and resolves once its output matches `ready`. When it exits first, or is not ready within
 * `timeoutMs`, it is stopped and the promise rejects with what it printed.
 */
export async function startProcess(
  command: string,
  args: string[],
  options: { ready: RegExp; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<TestProcess> {
  const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      // Never started (spawn failed), or already gone: nothing to wait for.
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${command} was not ready within ${options.timeoutMs} ms:\n${output}`)),
      options.timeoutMs,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}:\n${output}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  return { output: () => output, stop };
}
