// Benchmark orchestrator (`npm run bench`). See bench/README.md for what each row measures and the knobs.
//
// Every row server runs in its own Node process pinned to core 0 (when `taskset` works); every load run is
// an autocannon process pinned to core 1. All servers are started first and their answer to one sample
// request is checked; each is warmed up, then the measured rounds are interleaved across rows (so drift of
// a noisy machine hits every row alike) and medians are printed. Exit code: 0 when the harness worked
// (whatever the verdicts, and even with SKIPPED or INVALID rows), 1 on a harness error, 2 on the watchdog.
import { startIssuer } from './issuer.js';
import { burstAgainstRow1, type BurstOutcome } from './jwks-burst-step.js';
import { runJwtVerifyRow } from './jwt-verify-step.js';
import { knobs } from './knobs.js';
import { measureRounds, warmUp } from './load-rounds.js';
import { machineFacts } from './machine.js';
import { killAll, stopChild } from './processes.js';
import { peakRssKb } from './proc-stats.js';
import { printHeader, printResults, printTargets } from './report.js';
import { writeResultsFile } from './results-file.js';
import { startRowServers } from './row-servers.js';
import { ROW_SPECS, selectRows } from './rows.js';
import { summariseRounds } from './statistics.js';
import { mintPools, removePoolFiles } from './token-pools.js';
import { targets } from './verdicts.js';

async function main(): Promise<number> {
  const machine = machineFacts();
  printHeader(machine);

  const issuer = await startIssuer();
  const rows = selectRows();
  let warmUpFailed: boolean;
  let roundsFailed: boolean;
  let burst: BurstOutcome;
  try {
    await startRowServers(rows, issuer);
    mintPools(rows);
    warmUpFailed = await warmUp(rows, issuer);
    roundsFailed = await measureRounds(rows, issuer);
    for (const row of rows) {
      // Read before the JWKS burst, whose requests would add to row 1's peak.
      row.peakRssKb = peakRssKb(row.child?.pid);
      summariseRounds(row);
    }
    burst = await burstAgainstRow1(rows, issuer);
  } finally {
    await Promise.all(rows.map((r) => (r.child ? stopChild(r.child) : Promise.resolve())));
    await issuer.close();
    removePoolFiles();
  }
  // Row 6, the cryptographic floor, on the server core once no server is running.
  const jwtVerify = await runJwtVerifyRow();
  const harnessError = warmUpFailed || roundsFailed || burst.harnessFailed || jwtVerify === undefined;

  printResults(rows, jwtVerify);
  const verdicts = targets(rows);
  printTargets(verdicts, burst.result, burst.note);
  const path = writeResultsFile({
    machine,
    config: knobs,
    rows,
    jwtVerify,
    targets: verdicts,
    burst: burst.result,
    burstNote: burst.note,
    harnessError,
  });
  console.log(`\nwritten to ${path}`);
  return harnessError ? 1 : 0;
}

// Whole-run watchdog: a hung step is a harness error, never a silent hang.
// Per row: warm-up, rounds with their minting and process start-up, boot and sample; plus pool minting.
const budgetMs = (ROW_SPECS.length * (knobs.warmupSeconds + knobs.rounds * (knobs.seconds + 5) + 60) + 240) * 1000;
const watchdog = setTimeout(() => {
  process.stderr.write(`benchmark exceeded its ${Math.round(budgetMs / 1000)} s budget: aborting\n`);
  killAll();
  process.exit(2);
}, budgetMs);
watchdog.unref();

main()
  .then((code) => {
    killAll();
    process.exit(code);
  })
  .catch((error: unknown) => {
    process.stderr.write(`benchmark harness error: ${error instanceof Error ? error.stack : String(error)}\n`);
    killAll();
    process.exit(1);
  });
