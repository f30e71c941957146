// The load runs: a warm-up per row, then the measured rounds, interleaved across rows with the order
// rotated each round so that drift of a noisy machine hits every row alike. Each run is one autocannon
// process (bench/load.ts) on the load core; the server's CPU time and its core's busy time are read
// around it, and every response status is checked.
import { TOOLS_CALL_BODY, mcpHeaders, type LoadConfig, type LoadResult } from './common.js';
import { errorMessage, fmt } from './format.js';
import type { BenchIssuer } from './issuer.js';
import { knobs } from './knobs.js';
import { LOAD_CORE, PINNED, SERVER_CORE, runNodeScript } from './processes.js';
import { coreBusySeconds, cpuSeconds, rssKb } from './proc-stats.js';
import { activeRows, type RoundResult, type RowState } from './rows.js';
import { poolForRun } from './token-pools.js';
import { roundProblem } from './validation.js';

async function runLoadProcess(config: LoadConfig): Promise<LoadResult> {
  // The generous margin covers autocannon's start-up and the last responses, not a slow server.
  const { code, stdout, stderr } = await runNodeScript(
    'load.js',
    [JSON.stringify(config)],
    LOAD_CORE,
    {},
    (config.duration + 30) * 1000,
  );
  const line = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line) throw new Error(`load generator exited with ${code}: ${stderr.trim().slice(-500)}`);
  return JSON.parse(line) as LoadResult;
}

/**
 * One load run against the row's server. Undefined when the harness itself failed (the row is then INVALID);
 * a server that died under load also makes the row INVALID, but its result is still returned.
 */
async function loadRow(row: RowState, seconds: number, issuer: BenchIssuer): Promise<RoundResult | undefined> {
  const child = row.child!;
  try {
    // Before the clock starts: per-request credentials are minted (or picked) for this run now.
    const pool = poolForRun(row, seconds);
    const fetchesBefore = issuer.jwksFetches();
    const cpuBefore = cpuSeconds(child.pid);
    const coreBefore = PINNED ? coreBusySeconds(SERVER_CORE) : undefined;
    const load = await runLoadProcess({
      url: row.url!,
      method: 'POST',
      headers: mcpHeaders(pool ? undefined : row.credentials?.sample),
      body: TOOLS_CALL_BODY,
      connections: knobs.connections,
      duration: seconds,
      pool,
    });
    const cpuAfter = cpuSeconds(child.pid);
    const coreAfter = PINNED ? coreBusySeconds(SERVER_CORE) : undefined;
    const serverCpuSeconds = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : Number.NaN;
    if (row.pool && load.poolUsed !== undefined) row.pool.next = (row.pool.next + load.poolUsed) % row.pool.size;
    row.loadedSeconds += load.duration;
    const result: RoundResult = {
      ...load,
      serverCpuSeconds,
      reqPerCpuSec: serverCpuSeconds > 0 ? load.requests / serverCpuSeconds : Number.NaN,
      serverCpuShare: load.duration > 0 ? serverCpuSeconds / load.duration : Number.NaN,
      loadCpuShare: load.duration > 0 ? load.loadCpuSeconds / load.duration : Number.NaN,
      rssAfterKb: rssKb(child.pid),
      othersOnServerCore:
        coreBefore !== undefined && coreAfter !== undefined && load.duration > 0
          ? Math.max(0, coreAfter - coreBefore - serverCpuSeconds) / load.duration
          : Number.NaN,
    };
    row.jwksFetches += issuer.jwksFetches() - fetchesBefore;
    if (child.exitCode !== null || child.signalCode !== null) {
      row.status = 'INVALID';
      row.reason = `server exited during load: ${row.stderrTail.slice(-3).join(' | ')}`;
    }
    return result;
  } catch (error) {
    row.status = 'INVALID';
    row.reason = errorMessage(error);
    return undefined;
  }
}

/** The run's problem, if any; the first problem of a row makes it INVALID, with `phase` in the reason. */
function checkRound(row: RowState, result: RoundResult, phase: string): string | undefined {
  const problem = roundProblem(row, result);
  if (problem && row.status === 'OK') {
    row.status = 'INVALID';
    row.reason = `${phase}: ${problem}`;
  }
  return problem;
}

const invalidSuffix = (problem: string | undefined): string => (problem ? `  INVALID: ${problem}` : '');

/** Warm-up (discarded), long enough for V8 to reach steady state. Returns true if the harness failed. */
export async function warmUp(rows: readonly RowState[], issuer: BenchIssuer): Promise<boolean> {
  let harnessFailed = false;
  const active = activeRows(rows);
  if (active.length > 0) console.log(`\nwarm-up: ${knobs.warmupSeconds} s per row`);
  for (const row of active) {
    const result = await loadRow(row, knobs.warmupSeconds, issuer);
    if (!result) {
      harnessFailed = true;
      continue;
    }
    const problem = checkRound(row, result, 'warm-up');
    console.log(
      `  row ${row.spec.id.padEnd(3)} ${fmt(result.rps).padStart(8)} req/s (discarded)${invalidSuffix(problem)}`,
    );
  }
  // The JWKS column counts the measured rounds only (a server's first, cold-cache fetch happens in its warm-up).
  for (const row of rows) row.jwksFetches = 0;
  return harnessFailed;
}

/** The measured rounds; each row's results go to `row.rounds`. Returns true if the harness failed. */
export async function measureRounds(rows: readonly RowState[], issuer: BenchIssuer): Promise<boolean> {
  let harnessFailed = false;
  for (let round = 0; round < knobs.rounds; round++) {
    const order = activeRows(rows);
    if (order.length === 0) break;
    console.log(`\nround ${round + 1}/${knobs.rounds}`);
    for (let i = 0; i < order.length; i++) {
      const row = order[(i + round) % order.length]!;
      const result = await loadRow(row, knobs.seconds, issuer);
      if (!result) {
        harnessFailed = true;
        continue;
      }
      row.rounds.push(result);
      const problem = checkRound(row, result, `round ${round + 1}`);
      console.log(
        `  row ${row.spec.id.padEnd(3)} ${fmt(result.rps).padStart(8)} req/s  p50 ${fmt(result.p50, 2)} ms  p99 ${fmt(result.p99, 2)} ms` +
          `  server CPU ${fmt(result.serverCpuShare * 100)}% (others on its core ${fmt(result.othersOnServerCore * 100)}%)  ${fmt(result.reqPerCpuSec)} req/CPU-s` +
          `  load CPU ${fmt(result.loadCpuShare * 100)}%` +
          invalidSuffix(problem),
      );
    }
  }
  return harnessFailed;
}
