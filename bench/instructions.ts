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
import { BENCH_TOKEN_CACHE_MAX_ENTRIES, mcpHeaders, TOOLS_CALL_BODY, type Credentials } from './common.js';
import { credentialSource, type CredentialSource } from './credentials.js';
import { startIssuer, type BenchIssuer } from './issuer.js';
import { ROW_SPECS, type RowSpec } from './rows.js';
import { ISSUE_13_RATIOS } from './verdicts.js';
import { freePort } from 'nest-mcp-auth/testing';

/**
 * More requests than the library's token cache holds (`tokenCache.maxEntries`, 10,000 by default), so that
 * on the distinct-token rows it is full and evicting while instructions are counted: the steady state of a
 * long-running server (an eviction that cost more than the signature check went unseen by shorter
 * warm-ups). Shorter warm-ups also left rows with a signature check per request a third above their steady
 * state (1,500 requests: 2.47M instructions per request for row 7a, 10,500: 1.66M), so every row gets it.
 */
const WARMUP = Number(process.env.BENCH_INSTR_WARMUP ?? BENCH_TOKEN_CACHE_MAX_ENTRIES + 500);
const MEASURED = Number(process.env.BENCH_INSTR_REQUESTS ?? 1000);
const CONCURRENCY = 8;
/** BENCH_INSTR_ROWS=3,1 measures only those rows. */
const ONLY = process.env.BENCH_INSTR_ROWS?.split(',').map((id) => id.trim());

/** The rows of `npm run bench` measured here (row 2 adds nothing the comparisons need), Fastify's last. */
const CASES: RowSpec[] = ['3', '1', '1n', '1d', '5a', '5b', '7a', '7n', '8a', '4', '7s', '8s', '3f', '1f', '5af'].map(
  (id) => ROW_SPECS.find((spec) => spec.id === id)!,
);

/**
 * Issue 13's targets (`ISSUE_13_RATIOS`) in instructions: `row` may cost at most 1/target of `reference`'s
 * instructions per request; and what a DPoP proof costs, without a target.
 */
const COMPARISONS = [
  ...ISSUE_13_RATIOS,
  { row: '1d', reference: '1', target: 0, what: 'DPoP proof per request vs bearer (no target)' },
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
        `row ${testCase.id.padEnd(3)} ${testCase.label.padEnd(52)} ${Math.round(perRequest).toLocaleString('en-US')} instructions/request`,
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
  console.log('\nissue 13 targets, throughput-equivalent (instructions of the second row / of the first)');
  for (const { row, reference, target, what } of COMPARISONS) {
    const [a, b] = [results.get(row), results.get(reference)];
    if (a === undefined || b === undefined) continue;
    const verdict = target === 0 ? '' : b / a >= target ? `>= ${target}x MET` : `>= ${target}x MISSED`;
    console.log(`  row${row}/row${reference} ${what.padEnd(46)} ${(b / a).toFixed(3)}x  ${verdict}`);
  }
}

async function measure(testCase: RowSpec, issuer: BenchIssuer): Promise<number> {
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
        ...(testCase.tokenCacheTtlMs === undefined
          ? {}
          : { BENCH_TOKEN_CACHE_TTL_MS: String(testCase.tokenCacheTtlMs) }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    await waitForReady(child, 300_000);
    const credentials = await credentialSource(testCase.token, issuer, resource);
    await send(resource, credentials, WARMUP, testCase.expectStatus);
    callgrindControl(['--instr=on', String(child.pid)]);
    await send(resource, credentials, MEASURED, testCase.expectStatus);
    callgrindControl(['--instr=off', String(child.pid)]);
    callgrindControl(['--dump', String(child.pid)]);
    return (await totalInstructions(outDir)) / MEASURED;
  } finally {
    child.kill('SIGKILL');
    if (!process.env.BENCH_INSTR_KEEP) rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * Sends `count` requests, `CONCURRENCY` at a time, and checks every status. Per-request credentials are
 * minted just before each request (this process's time is not measured; DPoP proofs stay fresh however
 * slow the server is under valgrind), so none repeats.
 */
async function send(url: string, source: CredentialSource, count: number, expectStatus: number): Promise<void> {
  let next = 0;
  const credentialsOf = (): Credentials | undefined => (source.reuse === 'fixed' ? source.sample : source.batch(1)[0]);
  const worker = async () => {
    while (next < count) {
      next++;
      const headers = mcpHeaders(credentialsOf());
      const response = await fetch(url, { method: 'POST', headers, body: TOOLS_CALL_BODY });
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
