// The console report: the header before the run, and the results and targets tables after it.
import { fmt, table, truncate } from './format.js';
import type { JwksBurstResult } from './jwks-burst.js';
import type { JwtVerifyResult } from './jwt-verify.js';
import { knobs } from './knobs.js';
import type { RowState } from './rows.js';
import type { Target } from './verdicts.js';

/** Longest reason shown in a table cell (latest.json has it in full). */
const REASON_WIDTH = 100;

export function printHeader(machine: Record<string, unknown>): void {
  console.log('nest-mcp-auth benchmark');
  for (const [key, value] of Object.entries(machine))
    console.log(`  ${key.padEnd(12)} ${Array.isArray(value) ? value.join(' ') : String(value)}`);
  console.log(
    `  config       ${knobs.rounds} round(s) x ${knobs.seconds} s after ${knobs.warmupSeconds} s warm-up, ${knobs.connections} keep-alive connections`,
  );
  console.log('  workload     POST /mcp tools/call "whoami" (stateless Streamable HTTP), RS256 bearer JWT\n');
}

function rowCells(r: RowState): string[] {
  return [
    r.spec.id,
    r.spec.label,
    fmt(r.median?.rps),
    fmt(r.median?.p50, 2),
    fmt(r.median?.p99, 2),
    r.rpsRange ? `${fmt(r.rpsRange[0])}-${fmt(r.rpsRange[1])}` : '-',
    fmt(r.median?.reqPerCpuSec),
    r.median ? `${fmt(r.median.serverCpuShare * 100)}%` : '-',
    r.median && !Number.isNaN(r.median.othersOnServerCore) ? `${fmt(r.median.othersOnServerCore * 100)}%` : '-',
    r.median ? `${fmt(r.median.loadCpuShare * 100)}%` : '-',
    fmt(r.rssAfterKb === undefined ? undefined : r.rssAfterKb / 1024, 1),
    fmt(r.peakRssKb === undefined ? undefined : r.peakRssKb / 1024, 1),
    r.status === 'SKIPPED' ? '-' : String(r.jwksFetches),
    String(r.spec.expectStatus),
    r.status === 'OK' ? 'OK' : `${r.status} (${truncate(r.reason ?? '', REASON_WIDTH)})`,
  ];
}

/** Row 6 is no server: its ops/s and µs/op go in the req/s and p50 columns. */
function jwtVerifyCells(jwtVerify: JwtVerifyResult | undefined): string[] {
  return [
    '6',
    'jose jwtVerify, cached local key',
    jwtVerify ? `${fmt(jwtVerify.sequentialOpsPerSec)} op/s` : '-',
    jwtVerify ? `${fmt(jwtVerify.sequentialMicrosPerOp, 1)} µs/op` : '-',
    ...Array<string>(10).fill(''),
    jwtVerify ? `OK (32 in flight: ${fmt(jwtVerify.concurrentOpsPerSec)} op/s)` : 'FAILED',
  ];
}

export function printResults(rows: readonly RowState[], jwtVerify: JwtVerifyResult | undefined): void {
  console.log(
    `\nResults (medians of ${knobs.rounds} round(s); p50/p99 over every response; status = every response checked)\n`,
  );
  const headers = [
    'row',
    'what',
    'req/s',
    'p50 ms',
    'p99 ms',
    'rounds min-max',
    'req/CPU-s',
    'srv CPU',
    'others',
    'load CPU',
    'RSS MB after',
    'peak RSS MB',
    'JWKS',
    'expect',
    'status',
  ];
  console.log(
    table(headers, [...rows.map(rowCells), jwtVerifyCells(jwtVerify)], new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])),
  );
}

function burstCells(burst: JwksBurstResult | undefined, burstNote: string | undefined): string[] {
  const verdict = burst
    ? burst.pass
      ? 'MET'
      : `MISSED (statuses ${JSON.stringify(burst.statuses)}, ${burst.errors} errors)`
    : truncate(burstNote ?? 'n/a', REASON_WIDTH);
  return [
    '    JWKS burst: fetches for unknown kids',
    burst ? String(burst.jwksFetches) : '-',
    '',
    '<= 1 per cooldown, all 401',
    verdict,
  ];
}

const measured = (value: number | undefined, unit: Target['unit']): string =>
  value === undefined || Number.isNaN(value)
    ? '-'
    : unit === 'x'
      ? `${value.toFixed(2)}x`
      : `${value >= 0 ? '+' : ''}${value.toFixed(1)} MB`;

export function printTargets(
  targets: readonly Target[],
  burst: JwksBurstResult | undefined,
  burstNote: string | undefined,
): void {
  console.log('\nTargets (same run, medians)\n');
  const targetRows = targets.map((t) => [
    `${t.source === 'issue 13' ? '#13' : '   '} ${t.name}`,
    measured(t.value, t.unit),
    measured(t.cpuNormalizedValue, t.unit),
    t.wanted,
    t.verdict,
  ]);
  console.log(
    table(
      ['target (#13: issue 13)', 'measured', 'per CPU-s', 'wanted', 'verdict (on req/s)'],
      [...targetRows, burstCells(burst, burstNote)],
      new Set([1, 2]),
    ),
  );
  console.log(
    '\n"per CPU-s" divides each row\'s requests by the CPU time its server process used: on a busy machine it shows' +
      '\nthe same comparison without the CPU other processes took. "srv CPU" is the server\'s CPU time per second of load' +
      '\n(under ~90%: starved or load-bound); "others" is the share of the server\'s core other processes (and steal) took;' +
      '\n"load CPU" is the load generator\'s (near 100%: it was the limit). "RSS MB after" is the server\'s VmRSS after' +
      "\nthe row's last round (after warm-up + every round of load); the memory target needs >= 10 s of load.",
  );
}
