// Child processes of the orchestrator. Every one is tracked so that no way out (normal end, signal,
// watchdog, crash) leaves a row server or load generator running, and each is pinned to a core when
// `taskset` works: row servers on one core, the load generator on the other, so they never compete.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/bench, where the compiled child scripts live. */
const SCRIPTS_DIR = dirname(fileURLToPath(import.meta.url));

/** Row servers and the jwtVerify micro-benchmark run here; /proc/stat's line for it is read around each load run. */
export const SERVER_CORE = 0;
/** The load generator runs here. */
export const LOAD_CORE = 1;

export const TASKSET_WORKS = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }).status === 0;
/** Pinning needs a core each for server and load generator. */
export const PINNED = TASKSET_WORKS && cpus().length >= 2;

const children = new Set<ChildProcess>();

export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping child processes\n`);
    killAll();
    process.exit(130);
  });
}

/** Starts `node dist/bench/<script>`, on `core` when pinning, with stdout and stderr piped. */
export function spawnNode(
  script: string,
  args: string[],
  core: typeof SERVER_CORE | typeof LOAD_CORE,
  env: NodeJS.ProcessEnv,
): ChildProcess {
  const nodeArgs = [join(SCRIPTS_DIR, script), ...args];
  const [command, commandArgs] = PINNED
    ? ['taskset', ['-c', String(core), process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  // taskset execs node: the child's pid is the Node process's (what /proc/<pid>/status describes).
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Runs a Node script to its end (SIGKILL after `timeoutMs`) and returns its exit code and whole output. */
export async function runNodeScript(
  script: string,
  args: string[],
  core: typeof SERVER_CORE | typeof LOAD_CORE,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnNode(script, args, core, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    // 'close', not 'exit': only then has all of the child's output (its JSON result line) been read.
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, stdout, stderr };
}

/** SIGTERM, then SIGKILL if the process is still there 2 s later. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

/** Calls `listener` with each line of `stream` (the last one even without a newline). */
export function onLines(stream: NodeJS.ReadableStream, listener: (line: string) => void): void {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
      listener(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
    }
  });
  stream.on('end', () => {
    if (buffer) listener(buffer);
  });
}
