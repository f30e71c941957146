// Benchmark orchestrator (`npm run bench`). See bench/README.md for what each row measures.
//
// Every row server runs in its own Node process pinned to core 0 (when `taskset` works); every load run is
// an autocannon process pinned to core 1. All servers are started first, their answer to one sample
// request is checked, each is warmed up, then the measured rounds are interleaved across rows (so drift of
// a noisy machine hits every row alike) and medians are printed. Knobs: BENCH_ROUNDS (3), BENCH_SECONDS (5),
// BENCH_WARMUP (5), BENCH_CONNECTIONS (32), BENCH_BURST (500).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BENCH_SUBJECT,
  TOOLS_CALL_BODY,
  envNumber,
  mcpHeaders,
  median,
  type LoadConfig,
  type LoadResult,
  type ServerReadyMessage,
  type ServerSkipMessage,
} from './common.js';
import { startIssuer, type BenchIssuer } from './issuer.js';
import { runJwksBurst, type JwksBurstResult } from './jwks-burst.js';
import type { JwtVerifyResult } from './jwt-verify.js';

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/bench
const REPO_ROOT = join(HERE, '..', '..');

const ROUNDS = Math.round(envNumber('BENCH_ROUNDS', 3));
const SECONDS = envNumber('BENCH_SECONDS', 5);
const WARMUP_SECONDS = envNumber('BENCH_WARMUP', 5);
const CONNECTIONS = Math.round(envNumber('BENCH_CONNECTIONS', 32));
const BURST = Math.round(envNumber('BENCH_BURST', 500));

const SERVER_BOOT_TIMEOUT_MS = 30_000;
const SAMPLE_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------------------------------------------
// Rows

type ServerName = 'library-app' | 'bare-nest' | 'express-sdk';
type TokenKind = 'valid' | 'none' | 'bad-signature';

interface RowSpec {
  id: string;
  label: string;
  server: ServerName;
  auth: 'on' | 'off';
  token: TokenKind;
  expectStatus: 200 | 401;
  /** For 200 rows: text the `whoami` result must contain. */
  expectText?: string;
}

const ROWS: RowSpec[] = [
  {
    id: '1',
    label: 'library app, valid token',
    server: 'library-app',
    auth: 'on',
    token: 'valid',
    expectStatus: 200,
    expectText: BENCH_SUBJECT,
  },
  // Same request bytes as row 1 (token included); with auth off the app must ignore it.
  {
    id: '2',
    label: 'library app, auth off',
    server: 'library-app',
    auth: 'off',
    token: 'valid',
    expectStatus: 200,
    expectText: 'anonymous',
  },
  {
    id: '3',
    label: 'bare NestJS POST route',
    server: 'bare-nest',
    auth: 'on',
    token: 'valid',
    expectStatus: 200,
    expectText: BENCH_SUBJECT,
  },
  {
    id: '4',
    label: 'Express + SDK requireBearerAuth',
    server: 'express-sdk',
    auth: 'on',
    token: 'valid',
    expectStatus: 200,
    expectText: BENCH_SUBJECT,
  },
  { id: '5a', label: 'library app, no token', server: 'library-app', auth: 'on', token: 'none', expectStatus: 401 },
  {
    id: '5b',
    label: 'library app, bad signature',
    server: 'library-app',
    auth: 'on',
    token: 'bad-signature',
    expectStatus: 401,
  },
];

/** A load run plus what the server process spent on it. */
interface RoundResult extends LoadResult {
  /** CPU time (user + system) the server process used during the run. */
  serverCpuSeconds: number;
  /** Requests per server CPU-second: throughput normalised by the CPU the server actually got. */
  reqPerCpuSec: number;
  /** Server CPU time / run time: below ~0.9 the server was starved (noisy machine) or the load generator was the limit. */
  serverCpuShare: number;
  /**
   * Share of the server's core (core 0 when pinned) busy with anything but the server, hypervisor steal included,
   * per second of run time: high means neighbours took the CPU and the row's req/s is understated. NaN when not pinned.
   */
  othersOnServerCore: number;
}

interface RowState {
  spec: RowSpec;
  status: 'OK' | 'INVALID' | 'SKIPPED';
  reason?: string;
  port?: number;
  url?: string;
  child?: ChildProcess;
  stderrTail: string[];
  token?: string;
  rounds: RoundResult[];
  jwksFetches: number;
  peakRssKb?: number;
  median?: {
    rps: number;
    p50: number;
    p99: number;
    reqPerCpuSec: number;
    serverCpuShare: number;
    othersOnServerCore: number;
  };
  /** Lowest and highest req/s of the rounds (how noisy the machine was). */
  rpsRange?: [number, number];
}

// ---------------------------------------------------------------------------------------------------
// Child processes: tracked, pinned, always killed

const children = new Set<ChildProcess>();
let taskset = false;
let pinning = false;

function killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
}

process.on('exit', () => killAll('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping child processes\n`);
    killAll('SIGKILL');
    process.exit(130);
  });
}

function spawnNode(script: string, args: string[], core: number | undefined, env: NodeJS.ProcessEnv): ChildProcess {
  const nodeArgs = [join(HERE, script), ...args];
  const [command, commandArgs] =
    pinning && core !== undefined
      ? ['taskset', ['-c', String(core), process.execPath, ...nodeArgs]]
      : [process.execPath, nodeArgs];
  // taskset execs node: the child's pid is the Node process's (what /proc/<pid>/status describes).
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

function onLines(stream: NodeJS.ReadableStream, listener: (line: string) => void): void {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf('\n')) !== -1) {
      listener(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
    }
  });
  stream.on('end', () => {
    if (buffer) listener(buffer);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Row servers

async function startServer(row: RowState, issuer: BenchIssuer): Promise<void> {
  const port = await freePort();
  const resource = `http://127.0.0.1:${port}/mcp`;
  row.port = port;
  row.url = resource;
  const child = spawnNode(`servers/${row.spec.server}.js`, [], 0, {
    PORT: String(port),
    BENCH_ISSUER: issuer.issuer,
    BENCH_RESOURCE: resource,
    BENCH_AUTH: row.spec.auth,
    NODE_ENV: 'production',
  });
  row.child = child;
  onLines(child.stderr!, (line) => {
    row.stderrTail.push(line);
    if (row.stderrTail.length > 20) row.stderrTail.shift();
  });

  const outcome = await new Promise<{ ready: true } | { skip: string }>((resolve) => {
    const timer = setTimeout(
      () => resolve({ skip: `server not ready within ${SERVER_BOOT_TIMEOUT_MS / 1000} s` }),
      SERVER_BOOT_TIMEOUT_MS,
    );
    const done = (value: { ready: true } | { skip: string }): void => {
      clearTimeout(timer);
      resolve(value);
    };
    onLines(child.stdout!, (line) => {
      let message: Partial<ServerReadyMessage & ServerSkipMessage>;
      try {
        message = JSON.parse(line) as Partial<ServerReadyMessage & ServerSkipMessage>;
      } catch {
        return; // the app's own output
      }
      if (message.ready === true) done({ ready: true });
      else if (message.skip === true) done({ skip: message.reason ?? 'skipped by its server' });
    });
    child.once('exit', (code, signal) => {
      // Give a skip line printed just before exiting the chance to win.
      setTimeout(() => {
        const last = row.stderrTail
          .filter((l) => l.trim())
          .slice(-3)
          .join(' | ');
        done({ skip: `server exited (${signal ?? `code ${code}`}) before listening${last ? `: ${last}` : ''}` });
      }, 50);
    });
  });

  if ('skip' in outcome) {
    row.status = 'SKIPPED';
    row.reason = outcome.skip;
    await stopChild(child);
    return;
  }
  row.token =
    row.spec.token === 'valid'
      ? await issuer.mint(resource)
      : row.spec.token === 'bad-signature'
        ? await issuer.mintBadSignature(resource)
        : undefined;
}

/** Parses a Streamable HTTP response body (JSON or SSE) into its JSON-RPC messages. */
function parseMcpBody(contentType: string, text: string): unknown[] {
  if (contentType.includes('text/event-stream')) {
    const messages: unknown[] = [];
    for (const event of text.split(/\r?\n\r?\n/)) {
      const data = event
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) messages.push(JSON.parse(data));
    }
    return messages;
  }
  const parsed = JSON.parse(text) as unknown;
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** One request before loading, checked in full, so a fast-but-wrong server cannot win. Returns an error or undefined. */
async function validateSample(row: RowState): Promise<string | undefined> {
  const response = await fetch(row.url!, {
    method: 'POST',
    headers: mcpHeaders(row.token),
    body: TOOLS_CALL_BODY,
    signal: AbortSignal.timeout(SAMPLE_TIMEOUT_MS),
  });
  const text = await response.text();
  const snippet = text.slice(0, 200).replace(/\s+/g, ' ');
  if (response.status !== row.spec.expectStatus) {
    return `sample request: expected ${row.spec.expectStatus}, got ${response.status} (${snippet})`;
  }
  if (row.spec.expectStatus === 401) {
    const challenge = response.headers.get('www-authenticate') ?? '';
    return /^Bearer\b/i.test(challenge)
      ? undefined
      : `sample 401 lacks a Bearer WWW-Authenticate challenge (got ${JSON.stringify(challenge)})`;
  }
  let messages: unknown[];
  try {
    messages = parseMcpBody(response.headers.get('content-type') ?? '', text);
  } catch {
    return `sample response is neither JSON nor SSE: ${snippet}`;
  }
  const reply = messages.find(
    (m): m is { id: unknown; result?: { isError?: boolean; content?: { type?: string; text?: string }[] } } =>
      typeof m === 'object' && m !== null && (m as { id?: unknown }).id === 1,
  );
  if (!reply?.result) return `sample response has no JSON-RPC result for id 1: ${snippet}`;
  if (reply.result.isError) return `sample tools/call returned isError: ${snippet}`;
  const texts = (reply.result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text ?? '');
  if (!texts.some((t) => t.includes(row.spec.expectText!))) {
    return `sample tool result does not contain ${JSON.stringify(row.spec.expectText)}: ${snippet}`;
  }
  return undefined;
}

function peakRssKb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

let clockTicksPerSecond = 100;

/** User + system CPU seconds of a process so far (/proc/<pid>/stat fields 14 and 15). */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
    return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
  } catch {
    return undefined;
  }
}

/** Non-idle seconds of one CPU so far, hypervisor steal included (/proc/stat `cpu<N>` line). */
function coreBusySeconds(core: number): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`cpu${core} `));
    if (!line) return undefined;
    // user nice system idle iowait irq softirq steal ...
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / clockTicksPerSecond;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Load runs

async function runLoadProcess(config: LoadConfig): Promise<LoadResult> {
  const child = spawnNode('load.js', [JSON.stringify(config)], pinning ? 1 : undefined, {});
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timeoutMs = (config.duration + 30) * 1000;
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line) throw new Error(`load generator exited with ${code}: ${stderr.trim().slice(-500)}`);
  return JSON.parse(line) as LoadResult;
}

function loadConfig(row: RowState, duration: number): LoadConfig {
  return {
    url: row.url!,
    method: 'POST',
    headers: mcpHeaders(row.token),
    body: TOOLS_CALL_BODY,
    connections: CONNECTIONS,
    duration,
  };
}

/** Why a round is not acceptable, or undefined. */
function roundProblem(row: RowState, result: LoadResult): string | undefined {
  const expected = String(row.spec.expectStatus);
  const unexpected = Object.entries(result.statuses).filter(([status, count]) => status !== expected && count > 0);
  if (unexpected.length > 0) return `unexpected statuses ${unexpected.map(([s, c]) => `${s}×${c}`).join(', ')}`;
  if (result.errors > 0 || result.timeouts > 0) return `${result.errors} socket errors (${result.timeouts} timeouts)`;
  if (result.requests === 0) return 'no response completed';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Printing

function machineFacts(): Record<string, unknown> {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) cpuModel = match[1]!.trim();
  } catch {
    /* not Linux */
  }
  return {
    cpu: cpuModel,
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    taskset: pinning
      ? 'servers on core 0, load generator on core 1'
      : taskset
        ? 'available but fewer than 2 cores: not pinned'
        : 'not available: not pinned',
    date: new Date().toISOString(),
  };
}

const fmt = (n: number | undefined, digits = 0): string =>
  n === undefined || Number.isNaN(n)
    ? '-'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(headers: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const truncate = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

interface Ratio {
  name: string;
  /** Ratio of median req/s: what the verdict is on. */
  value?: number;
  /** Ratio of median requests per server CPU-second: the same comparison, insensitive to CPU stolen by neighbours. */
  cpuNormalizedValue?: number;
  target: number;
  goal?: number;
  verdict: string;
}

function ratio(
  name: string,
  num: RowState | undefined,
  den: RowState | undefined,
  target: number,
  goal?: number,
): Ratio {
  if (!num || !den) return { name, target, goal, verdict: 'n/a (row not selected)' };
  const unusable = [num, den].find((r) => r.status !== 'OK' || !r.median);
  if (unusable) return { name, target, goal, verdict: `n/a (row ${unusable.spec.id} ${unusable.status})` };
  const value = num!.median!.rps / den!.median!.rps;
  const cpuNormalizedValue = num!.median!.reqPerCpuSec / den!.median!.reqPerCpuSec;
  let verdict = value >= target ? 'PASS' : 'FAIL';
  if (goal !== undefined && value >= target)
    verdict += value >= goal ? ` (goal ${goal}x met)` : ` (goal ${goal}x not met)`;
  return { name, value, cpuNormalizedValue, target, goal, verdict };
}

// ---------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  const check = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
  taskset = check.status === 0;
  pinning = taskset && cpus().length >= 2;
  const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim());
  if (Number.isFinite(ticks) && ticks > 0) clockTicksPerSecond = ticks;

  const machine = machineFacts();
  const config = {
    rounds: ROUNDS,
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    connections: CONNECTIONS,
    burst: BURST,
  };
  console.log('nest-mcp-auth benchmark');
  for (const [key, value] of Object.entries(machine))
    console.log(`  ${key.padEnd(12)} ${Array.isArray(value) ? value.join(' ') : String(value)}`);
  console.log(
    `  config       ${ROUNDS} round(s) x ${SECONDS} s after ${WARMUP_SECONDS} s warm-up, ${CONNECTIONS} keep-alive connections`,
  );
  console.log('  workload     POST /mcp tools/call "whoami" (stateless Streamable HTTP), RS256 bearer JWT\n');

  let harnessError = false;
  const issuer = await startIssuer();
  // BENCH_ROWS=1,2,3 measures only those rows (for a focused look; ratios need their rows).
  const only = process.env['BENCH_ROWS']?.split(',').map((id) => id.trim());
  const rows: RowState[] = ROWS.filter((spec) => !only || only.includes(spec.id)).map((spec) => ({
    spec,
    status: 'OK',
    stderrTail: [],
    rounds: [],
    jwksFetches: 0,
  }));
  let burst: JwksBurstResult | undefined;
  let burstNote: string | undefined;
  let jwtVerify: JwtVerifyResult | undefined;

  try {
    // Start every row server (sequentially: boots are CPU-heavy) and check one sample answer each.
    for (const row of rows) {
      process.stdout.write(`row ${row.spec.id.padEnd(3)} ${row.spec.label}: starting... `);
      await startServer(row, issuer);
      if (row.status === 'OK') {
        try {
          const problem = await validateSample(row);
          if (problem) {
            row.status = 'INVALID';
            row.reason = problem;
          }
        } catch (error) {
          row.status = 'INVALID';
          row.reason = `sample request failed: ${error instanceof Error ? error.message : String(error)}`;
        }
      }
      console.log(row.status === 'OK' ? `listening on ${row.port}, sample answer OK` : `${row.status} (${row.reason})`);
    }
    const active = (): RowState[] => rows.filter((r) => r.status === 'OK');

    const loadRow = async (row: RowState, seconds: number): Promise<RoundResult | undefined> => {
      const fetchesBefore = issuer.jwksFetches();
      const cpuBefore = cpuSeconds(row.child!.pid);
      const coreBefore = pinning ? coreBusySeconds(0) : undefined;
      try {
        const load = await runLoadProcess(loadConfig(row, seconds));
        const cpuAfter = cpuSeconds(row.child!.pid);
        const coreAfter = pinning ? coreBusySeconds(0) : undefined;
        const serverCpuSeconds = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : Number.NaN;
        const result: RoundResult = {
          ...load,
          serverCpuSeconds,
          reqPerCpuSec: serverCpuSeconds > 0 ? load.requests / serverCpuSeconds : Number.NaN,
          serverCpuShare: load.duration > 0 ? serverCpuSeconds / load.duration : Number.NaN,
          othersOnServerCore:
            coreBefore !== undefined && coreAfter !== undefined && load.duration > 0
              ? Math.max(0, coreAfter - coreBefore - serverCpuSeconds) / load.duration
              : Number.NaN,
        };
        row.jwksFetches += issuer.jwksFetches() - fetchesBefore;
        if (row.child!.exitCode !== null || row.child!.signalCode !== null) {
          row.status = 'INVALID';
          row.reason = `server exited during load: ${row.stderrTail.slice(-3).join(' | ')}`;
        }
        return result;
      } catch (error) {
        harnessError = true;
        row.status = 'INVALID';
        row.reason = error instanceof Error ? error.message : String(error);
        return undefined;
      }
    };

    // Warm-up (discarded), long enough for V8 to reach steady state.
    if (active().length > 0) console.log(`\nwarm-up: ${WARMUP_SECONDS} s per row`);
    for (const row of active()) {
      const result = await loadRow(row, WARMUP_SECONDS);
      if (!result) continue;
      const problem = roundProblem(row, result);
      if (problem && row.status === 'OK') {
        row.status = 'INVALID';
        row.reason = `warm-up: ${problem}`;
      }
      console.log(
        `  row ${row.spec.id.padEnd(3)} ${fmt(result.rps).padStart(8)} req/s (discarded)${problem ? `  INVALID: ${problem}` : ''}`,
      );
    }
    for (const row of rows) row.jwksFetches = 0;

    // Measured rounds, interleaved across rows, order rotated each round.
    for (let round = 0; round < ROUNDS; round++) {
      const order = active();
      if (order.length === 0) break;
      console.log(`\nround ${round + 1}/${ROUNDS}`);
      for (let i = 0; i < order.length; i++) {
        const row = order[(i + round) % order.length]!;
        if (row.status !== 'OK') continue;
        const result = await loadRow(row, SECONDS);
        if (!result) continue;
        row.rounds.push(result);
        const problem = roundProblem(row, result);
        if (problem && row.status === 'OK') {
          row.status = 'INVALID';
          row.reason = `round ${round + 1}: ${problem}`;
        }
        console.log(
          `  row ${row.spec.id.padEnd(3)} ${fmt(result.rps).padStart(8)} req/s  p50 ${fmt(result.p50, 2)} ms  p99 ${fmt(result.p99, 2)} ms` +
            `  server CPU ${fmt(result.serverCpuShare * 100)}% (others on its core ${fmt(result.othersOnServerCore * 100)}%)  ${fmt(result.reqPerCpuSec)} req/CPU-s` +
            (problem ? `  INVALID: ${problem}` : ''),
        );
      }
    }

    for (const row of rows) {
      row.peakRssKb = peakRssKb(row.child?.pid);
      if (row.rounds.length > 0) {
        row.median = {
          rps: median(row.rounds.map((r) => r.rps)),
          p50: median(row.rounds.map((r) => r.p50)),
          p99: median(row.rounds.map((r) => r.p99)),
          reqPerCpuSec: median(row.rounds.map((r) => r.reqPerCpuSec)),
          serverCpuShare: median(row.rounds.map((r) => r.serverCpuShare)),
          othersOnServerCore: median(row.rounds.map((r) => r.othersOnServerCore)),
        };
        const all = row.rounds.map((r) => r.rps);
        row.rpsRange = [Math.min(...all), Math.max(...all)];
      }
    }

    // JWKS burst against the row-1 server (after its peak RSS was read).
    const row1 = rows.find((r) => r.spec.id === '1');
    if (!row1) {
      burstNote = 'SKIPPED (row 1 not selected)';
    } else if (row1.child && row1.child.exitCode === null && row1.status !== 'SKIPPED') {
      console.log(`\nJWKS burst: ${BURST} concurrent requests with unknown kids against row 1`);
      try {
        burst = await runJwksBurst({ url: row1.url!, resource: row1.url!, issuer, count: BURST, connections: BURST });
        const since = burst.secondsSincePreviousFetch;
        console.log(
          `  ${burst.jwksFetches} JWKS fetch(es) during the burst; statuses ${JSON.stringify(burst.statuses)}, ${burst.errors} errors, ${fmt(burst.elapsedMs)} ms` +
            `\n  (previous JWKS fetch ${since === undefined ? 'never' : `${fmt(since, 1)} s earlier`}; with the default 30 s cooldown expect 1 fetch if that is over 30 s, else 0)`,
        );
      } catch (error) {
        harnessError = true;
        burstNote = `failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    } else {
      burstNote = `SKIPPED (row 1 ${row1!.status}${row1!.reason ? `: ${row1!.reason}` : ''})`;
    }
  } finally {
    await Promise.all(rows.map((r) => (r.child ? stopChild(r.child) : Promise.resolve())));
    await issuer.close();
  }

  // Row 6: the cryptographic floor, on the server core, with no server running.
  console.log('\nrow 6   jose jwtVerify micro-benchmark...');
  try {
    const child = spawnNode('jwt-verify.js', [], pinning ? 0 : undefined, {
      BENCH_ROUNDS: String(ROUNDS),
      BENCH_SECONDS: String(SECONDS),
      BENCH_WARMUP: String(WARMUP_SECONDS),
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    if (code !== 0) throw new Error(`exited with ${code}: ${stderr.trim().slice(-500)}`);
    jwtVerify = JSON.parse(stdout.trim().split('\n').pop()!) as JwtVerifyResult;
  } catch (error) {
    harnessError = true;
    console.log(`  failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  // ------------------------------------------------------------------ report
  const byId = (id: string): RowState | undefined => rows.find((r) => r.spec.id === id);
  console.log(
    `\nResults (medians of ${ROUNDS} round(s); p50/p99 over every response; status = every response checked)\n`,
  );
  console.log(
    table(
      [
        'row',
        'what',
        'req/s',
        'p50 ms',
        'p99 ms',
        'rounds min-max',
        'req/CPU-s',
        'srv CPU',
        'others',
        'peak RSS MB',
        'JWKS',
        'expect',
        'status',
      ],
      [
        ...rows.map((r) => [
          r.spec.id,
          r.spec.label,
          fmt(r.median?.rps),
          fmt(r.median?.p50, 2),
          fmt(r.median?.p99, 2),
          r.rpsRange ? `${fmt(r.rpsRange[0])}-${fmt(r.rpsRange[1])}` : '-',
          fmt(r.median?.reqPerCpuSec),
          r.median ? `${fmt(r.median.serverCpuShare * 100)}%` : '-',
          r.median && !Number.isNaN(r.median.othersOnServerCore) ? `${fmt(r.median.othersOnServerCore * 100)}%` : '-',
          fmt(r.peakRssKb === undefined ? undefined : r.peakRssKb / 1024, 1),
          r.status === 'SKIPPED' ? '-' : String(r.jwksFetches),
          String(r.spec.expectStatus),
          r.status === 'OK' ? 'OK' : `${r.status} (${truncate(r.reason ?? '', 100)})`,
        ]),
        [
          '6',
          'jose jwtVerify, cached local key',
          jwtVerify ? `${fmt(jwtVerify.sequentialOpsPerSec)} op/s` : '-',
          jwtVerify ? `${fmt(jwtVerify.sequentialMicrosPerOp, 1)} µs/op` : '-',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          jwtVerify ? `OK (32 in flight: ${fmt(jwtVerify.concurrentOpsPerSec)} op/s)` : 'FAILED',
        ],
      ],
      new Set([2, 3, 4, 5, 6, 7, 8, 9, 10]),
    ),
  );

  const ratios: Ratio[] = [
    ratio('row1/row4  protected tools/call vs Express+requireBearerAuth', byId('1'), byId('4'), 2),
    ratio('row1/row3  protected tools/call vs bare NestJS', byId('1'), byId('3'), 0.5, 0.6),
    ratio('row5a/row3 rejection, no token vs bare NestJS', byId('5a'), byId('3'), 0.9),
    ratio('row5b/row3 rejection, bad signature vs bare NestJS', byId('5b'), byId('3'), 0.9),
  ];
  console.log('\nTargets (same run)\n');
  console.log(
    table(
      ['ratio', 'req/s', 'per CPU-s', 'target', 'verdict (on req/s)'],
      [
        ...ratios.map((r) => [
          r.name,
          r.value === undefined ? '-' : `${r.value.toFixed(2)}x`,
          r.cpuNormalizedValue === undefined || Number.isNaN(r.cpuNormalizedValue)
            ? '-'
            : `${r.cpuNormalizedValue.toFixed(2)}x`,
          `>= ${r.target}x`,
          r.verdict,
        ]),
        [
          'JWKS burst: fetches for unknown kids',
          burst ? String(burst.jwksFetches) : '-',
          '',
          '<= 1 per cooldown, all 401',
          burst
            ? burst.pass
              ? 'PASS'
              : `FAIL (statuses ${JSON.stringify(burst.statuses)}, ${burst.errors} errors)`
            : truncate(burstNote ?? 'n/a', 100),
        ],
      ],
      new Set([1, 2]),
    ),
  );
  console.log(
    '\n"per CPU-s" divides each row\'s requests by the CPU time its server process used: on a busy machine it shows' +
      '\nthe same comparison without the CPU other processes took. "srv CPU" is the server\'s CPU time per second of load' +
      '\n(under ~90%: starved or load-bound); "others" is the share of the server\'s core other processes (and steal) took.',
  );

  const output = {
    machine,
    config,
    rows: rows.map((r) => ({
      id: r.spec.id,
      label: r.spec.label,
      server: r.spec.server,
      auth: r.spec.auth,
      token: r.spec.token,
      expectStatus: r.spec.expectStatus,
      status: r.status,
      reason: r.reason,
      median: r.median,
      rpsRange: r.rpsRange,
      peakRssMB: r.peakRssKb === undefined ? undefined : Math.round((r.peakRssKb / 1024) * 10) / 10,
      jwksFetches: r.jwksFetches,
      rounds: r.rounds,
    })),
    jwtVerify,
    ratios,
    jwksBurst: burst ?? { skipped: burstNote },
    harnessError,
  };
  const outDir = join(REPO_ROOT, '.bench-results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'latest.json'), JSON.stringify(output, null, 2) + '\n');
  console.log(`\nwritten to ${join(outDir, 'latest.json')}`);
  return harnessError ? 1 : 0;
}

// Whole-run watchdog: a hung step is a harness error, never a silent hang.
const budgetMs = (ROWS.length * (WARMUP_SECONDS + ROUNDS * (SECONDS + 3) + 40) + 180) * 1000;
const watchdog = setTimeout(() => {
  process.stderr.write(`benchmark exceeded its ${Math.round(budgetMs / 1000)} s budget: aborting\n`);
  killAll('SIGKILL');
  process.exit(2);
}, budgetMs);
watchdog.unref();

main()
  .then((code) => {
    killAll('SIGKILL');
    process.exit(code);
  })
  .catch((error: unknown) => {
    process.stderr.write(`benchmark harness error: ${error instanceof Error ? error.stack : String(error)}\n`);
    killAll('SIGKILL');
    process.exit(1);
  });
