// .bench-results/latest.json: the whole run in machine-readable form (every round, not only medians),
// overwritten by each run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JwksBurstResult } from './jwks-burst.js';
import type { JwtVerifyResult } from './jwt-verify.js';
import type { RowState } from './rows.js';
import type { Target } from './verdicts.js';

/** The compiled file is dist/bench/results-file.js; results go beside dist/. */
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RunResults {
  machine: Record<string, unknown>;
  config: object;
  rows: readonly RowState[];
  jwtVerify: JwtVerifyResult | undefined;
  targets: readonly Target[];
  burst: JwksBurstResult | undefined;
  burstNote: string | undefined;
  harnessError: boolean;
}

/** Writes latest.json (key order is part of its format) and returns its path. */
export function writeResultsFile(results: RunResults): string {
  const output = {
    machine: results.machine,
    config: results.config,
    rows: results.rows.map((r) => ({
      id: r.spec.id,
      label: r.spec.label,
      server: r.spec.server,
      auth: r.spec.auth,
      token: r.spec.token,
      tokenCacheTtlMs: r.spec.tokenCacheTtlMs,
      expectStatus: r.spec.expectStatus,
      status: r.status,
      reason: r.reason,
      median: r.median,
      rpsRange: r.rpsRange,
      peakRssMB: r.peakRssKb === undefined ? undefined : Math.round((r.peakRssKb / 1024) * 10) / 10,
      rssAfterMB: r.rssAfterKb === undefined ? undefined : Math.round((r.rssAfterKb / 1024) * 10) / 10,
      loadedSeconds: r.loadedSeconds,
      poolSize: r.pool?.size,
      jwksFetches: r.jwksFetches,
      rounds: r.rounds,
    })),
    jwtVerify: results.jwtVerify,
    targets: results.targets,
    jwksBurst: results.burst ?? { skipped: results.burstNote },
    harnessError: results.harnessError,
  };
  const outDir = join(REPO_ROOT, '.bench-results');
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, 'latest.json');
  writeFileSync(path, `${JSON.stringify(output, null, 2)}\n`);
  return path;
}
