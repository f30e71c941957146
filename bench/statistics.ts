// Per-row summary of the measured rounds: medians (one disturbed round on a noisy machine does not move
// them), the req/s range (which shows how noisy it was) and the memory after the row's last round.
import { median } from './common.js';
import type { RoundResult, RowState } from './rows.js';

/** Fills `row.median` and `row.rpsRange`; rows without a measured round keep neither. */
export function summariseRounds(row: RowState): void {
  if (row.rounds.length === 0) return;
  const medianOf = (pick: (round: RoundResult) => number): number => median(row.rounds.map(pick));
  row.median = {
    rps: medianOf((r) => r.rps),
    p50: medianOf((r) => r.p50),
    p99: medianOf((r) => r.p99),
    reqPerCpuSec: medianOf((r) => r.reqPerCpuSec),
    serverCpuShare: medianOf((r) => r.serverCpuShare),
    loadCpuShare: medianOf((r) => r.loadCpuShare),
    othersOnServerCore: medianOf((r) => r.othersOnServerCore),
  };
  const all = row.rounds.map((r) => r.rps);
  row.rpsRange = [Math.min(...all), Math.max(...all)];
  row.rssAfterKb = row.rounds.at(-1)!.rssAfterKb;
}
