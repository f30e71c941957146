// Per-request credentials for the load generator (rows whose requests each carry different credentials),
// written to a file it reads before it starts, so minting never competes with the measured requests.
//
// No credentials repeat while their outcome could be cached:
// - `fresh` rows (forgeries, DPoP proofs) get new credentials for every load run, sized for BENCH_MAX_RPS
//   over the run, so nothing repeats within the run, nor across runs.
// - `pool` rows (distinct valid tokens: RSA signing is too slow to mint per run) cycle through one pool,
//   taken in order across rounds: nothing repeats within a run (the pool holds BENCH_MAX_RPS x the longest
//   run), and a token comes back only after every other token of the pool, more than the library's token
//   cache holds (`tokenCache.maxEntries`, least recently used out first): it has been evicted by then.
// A run that takes more credentials than its pool holds is INVALID (bench/validation.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_TOKEN_CACHE_MAX_ENTRIES } from './common.js';
import { fmt } from './format.js';
import { knobs } from './knobs.js';
import { activeRows, type RowState } from './rows.js';

let directory: string | undefined;

function poolFile(row: RowState): string {
  directory ??= mkdtempSync(join(tmpdir(), 'nest-mcp-auth-bench-'));
  return join(directory, `row-${row.spec.id}.json`);
}

/** Removes the pool files. */
export function removePoolFiles(): void {
  if (directory) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
}

/** Credentials enough for one run of `seconds` at BENCH_MAX_RPS (plus the requests in flight at the end). */
const runSize = (seconds: number): number => Math.ceil(knobs.maxRps * seconds) + knobs.connections;

/** Mints the cycled pool of every `pool` row, once, before any load. */
export function mintPools(rows: readonly RowState[]): void {
  const size = Math.max(
    runSize(Math.max(knobs.seconds, knobs.warmupSeconds)),
    BENCH_TOKEN_CACHE_MAX_ENTRIES + 2 * knobs.connections,
  );
  for (const row of activeRows(rows).filter((r) => r.credentials?.reuse === 'pool')) {
    const started = performance.now();
    process.stdout.write(`row ${row.spec.id.padEnd(3)} minting ${fmt(size)} distinct valid tokens... `);
    writeFileSync(poolFile(row), JSON.stringify(row.credentials!.batch(size)));
    row.pool = { file: poolFile(row), size, next: 0 };
    console.log(`${fmt((performance.now() - started) / 1000, 1)} s`);
  }
}

/** The pool of one load run of `row` (undefined for rows with fixed credentials); `fresh` rows get new ones. */
export function poolForRun(row: RowState, seconds: number): { file: string; start: number } | undefined {
  const source = row.credentials;
  if (source === undefined || source.reuse === 'fixed') return undefined;
  if (source.reuse === 'fresh') {
    const size = runSize(seconds);
    writeFileSync(poolFile(row), JSON.stringify(source.batch(size)));
    row.pool = { file: poolFile(row), size, next: 0 };
  }
  return { file: row.pool!.file, start: row.pool!.next };
}
