// `npm run bench:instructions`: CPU instructions per request under callgrind, a measure this noisy host cannot
// move (req/s here swings up to 4x between rounds; `perf stat` has no instruction counter on it).
//
// Each server runs under `valgrind --tool=callgrind` with collection off; after a warm-up (so V8 has
// optimised the hot path), collection is switched on for exactly N requests and the count is read back.
// Slow (a few minutes per server), so it is not part of `npm run bench`.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mcpHeaders, TOOLS_CALL_BODY } from './common.js';
import { startIssuer, type BenchIssuer } from './issuer.js';
import { freePort } from 'nest-mcp-auth/testing';

const WARMUP = Number(process.env.BENCH_INSTR_WARMUP ?? 1500);
const MEASURED = Number(process.env.BENCH_INSTR_REQUESTS ?? 1000);
const CONCURRENCY = 8;
/** BENCH_INSTR_ROWS=3,1 measures only those rows. */
const ONLY = process.env.BENCH_INSTR_ROWS?.split(',').map((id) => id.trim());

interface Case {
  id: string;
  label: string;
  server: 'bare-nest' | 'library-app';
  httpAdapter?: 'fastify';
  token: 'valid' | 'none' | 'bad-signature';
  expectStatus: number;
}

const EXPRESS_CASES: Case[] = [
  { id: '3', label: 'bare NestJS POST route', server: 'bare-nest', token: 'valid', expectStatus: 200 },
  { id: '1', label: 'library app, valid token', server: 'library-app', token: 'valid', expectStatus: 200 },
  { id: '5a', label: 'library app, no token', server: 'library-app', token: 'none', expectStatus: 401 },
  { id: '5b', label: 'library app, bad signature', server: 'library-app', token: 'bad-signature', expectStatus: 401 },
];

/** Rows 3, 1 and 5a again on Fastify (3f, 1f, 5af): each row is compared with bare NestJS on its own platform. */
const CASES: Case[] = [
  ...EXPRESS_CASES,
  ...EXPRESS_CASES.filter(({ id }) => id !== '5b').map((onExpress): Case => ({
    ...onExpress,
    id: `${onExpress.id}f`,
    label: `${onExpress.label} (Fastify)`,
    httpAdapter: 'fastify',
  })),
];

async function main(): Promise<void> {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    console.error('valgrind is needed (Debian: apt-get install valgrind)');
    process.exit(1);
  }
  console.log(`callgrind: ${WARMUP} warm-up requests, then ${MEASURED} measured, per server (a few minutes each)\n`);
  const issuer = await startIssuer();
  const results = new Map<string, number>();
  try {
    for (const testCase of CASES.filter(({ id }) => !ONLY || ONLY.includes(id))) {
      const perRequest = await measure(testCase, issuer);
      results.set(testCase.id, perRequest);
      console.log(
        `row ${testCase.id.padEnd(3)} ${testCase.label.padEnd(28)} ${Math.round(perRequest).toLocaleString('en-US')} instructions/request`,
      );
    }
  } finally {
    await issuer.close();
  }
  console.log(
    '\nratio to bare NestJS on the same platform (throughput-equivalent: bare instructions / row instructions)',
  );
  for (const [id, count] of results) {
    const bare = results.get(id.endsWith('f') ? '3f' : '3');
    if (bare !== undefined && id !== '3' && id !== '3f')
      console.log(`  row ${id.padEnd(3)} ${(bare / count).toFixed(2)}x`);
  }
}

async function measure(testCase: Case, issuer: BenchIssuer): Promise<number> {
  const port = await freePort();
  const resource = `http://127.0.0.1:${port}/mcp`;
  const outDir = mkdtempSync(join(tmpdir(), 'nest-mcp-auth-callgrind-'));
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${join(outDir, 'callgrind.out')}`,
      process.execPath,
      `dist/bench/servers/${testCase.server}.js`,
    ],
    {
      env: {
        ...process.env,
        PORT: String(port),
        BENCH_ISSUER: issuer.issuer,
        BENCH_RESOURCE: resource,
        BENCH_AUTH: 'on',
        BENCH_HTTP_ADAPTER: testCase.httpAdapter ?? 'express',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    await waitForReady(child, 300_000);
    const token =
      testCase.token === 'valid'
        ? await issuer.mint(resource)
        : testCase.token === 'bad-signature'
          ? await issuer.mintBadSignature(resource)
          : undefined;
    await send(resource, token, WARMUP, testCase.expectStatus);
    callgrindControl(['--instr=on', String(child.pid)]);
    await send(resource, token, MEASURED, testCase.expectStatus);
    callgrindControl(['--instr=off', String(child.pid)]);
    callgrindControl(['--dump', String(child.pid)]);
    return (await totalInstructions(outDir)) / MEASURED;
  } finally {
    child.kill('SIGKILL');
    if (!process.env.BENCH_INSTR_KEEP) rmSync(outDir, { recursive: true, force: true });
  }
}

/** Sends `count` requests, `CONCURRENCY` at a time, and checks every status. */
async function send(url: string, token: string | undefined, count: number, expectStatus: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const response = await fetch(url, { method: 'POST', headers: mcpHeaders(token), body: TOOLS_CALL_BODY });
      await response.arrayBuffer();
      if (response.status !== expectStatus) throw new Error(`status ${response.status}, expected ${expectStatus}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/"port"/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
}

function callgrindControl(args: string[]): void {
  execFileSync('callgrind_control', args, { stdio: 'ignore', timeout: 60_000 });
}

/**
 * Sums the `totals:` instruction counts of every dump callgrind wrote. The dump is written by the server
 * process some time after the request, so this waits (bounded) for it to appear.
 */
async function totalInstructions(outDir: string): Promise<number> {
  for (let attempt = 0; attempt < 120; attempt++) {
    let total = 0;
    for (const file of readdirSync(outDir)) {
      const match = /^totals: (\d+)/m.exec(readFileSync(join(outDir, file), 'utf8'));
      if (match) total += Number(match[1]);
    }
    if (total > 0) return total;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`callgrind wrote no instruction counts in ${outDir}: ${readdirSync(outDir).join(', ')}`);
}

await main();
