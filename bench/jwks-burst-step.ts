// The orchestrator's JWKS-burst step (the burst itself is bench/jwks-burst.ts): run against the row-1
// server after the rounds (and after its peak RSS was read, so the burst's tokens do not inflate it).
import { fmt, errorMessage } from './format.js';
import type { BenchIssuer } from './issuer.js';
import { runJwksBurst, type JwksBurstResult } from './jwks-burst.js';
import { knobs } from './knobs.js';
import { findRow, type RowState } from './rows.js';

export interface BurstOutcome {
  result?: JwksBurstResult;
  /** Why there is no result (skipped or failed). */
  note?: string;
  harnessFailed: boolean;
}

export async function burstAgainstRow1(rows: readonly RowState[], issuer: BenchIssuer): Promise<BurstOutcome> {
  const row1 = findRow(rows, '1');
  if (!row1) return { note: 'SKIPPED (row 1 not selected)', harnessFailed: false };
  if (!row1.child || row1.child.exitCode !== null || row1.status === 'SKIPPED') {
    return { note: `SKIPPED (row 1 ${row1.status}${row1.reason ? `: ${row1.reason}` : ''})`, harnessFailed: false };
  }
  console.log(`\nJWKS burst: ${knobs.burst} concurrent requests with unknown kids against row 1`);
  try {
    const result = await runJwksBurst({
      url: row1.url!,
      resource: row1.url!,
      issuer,
      count: knobs.burst,
      connections: knobs.burst,
    });
    const since = result.secondsSincePreviousFetch;
    console.log(
      `  ${result.jwksFetches} JWKS fetch(es) during the burst; statuses ${JSON.stringify(result.statuses)}, ${result.errors} errors, ${fmt(result.elapsedMs)} ms` +
        `\n  (previous JWKS fetch ${since === undefined ? 'never' : `${fmt(since, 1)} s earlier`}; with the default 30 s cooldown expect 1 fetch if that is over 30 s, else 0)`,
    );
    return { result, harnessFailed: false };
  } catch (error) {
    return { note: `failed: ${errorMessage(error)}`, harnessFailed: true };
  }
}
