// The orchestrator's environment knobs, read once at start (bench/README.md lists them with defaults).
// BENCH_EXAMPLE_APP is not here: only the library-app row server reads it (bench/servers/library-app.ts).
import { envNumber } from './common.js';

/** Run settings; also written verbatim as `config` to .bench-results/latest.json (so mind the key order). */
export const knobs = {
  rounds: Math.round(envNumber('BENCH_ROUNDS', 5)),
  seconds: envNumber('BENCH_SECONDS', 4),
  warmupSeconds: envNumber('BENCH_WARMUP', 5),
  connections: Math.round(envNumber('BENCH_CONNECTIONS', 32)),
  burst: Math.round(envNumber('BENCH_BURST', 500)),
  /** Rows with per-request credentials get enough for this rate over a run (bench/token-pools.ts). */
  maxRps: Math.round(envNumber('BENCH_MAX_RPS', 10_000)),
};

/** BENCH_ROWS=1,2,3 measures only those rows (for a focused look; ratios need their rows). Undefined: all. */
export const selectedRowIds: string[] | undefined = process.env.BENCH_ROWS?.split(',').map((id) => id.trim());
