// The targets of bench/README.md as ratios between rows of the same run (absolute req/s depend on the
// machine; ratios much less). The verdict is on req/s; the per-CPU-second ratio is shown beside it.
import { findRow, type RowState } from './rows.js';

/** One target; key order is that of latest.json. */
export interface Ratio {
  name: string;
  /** Ratio of median req/s: what the verdict is on. */
  value?: number;
  /** Ratio of median requests per server CPU-second: the same comparison, insensitive to CPU stolen by neighbours. */
  cpuNormalizedValue?: number;
  target: number;
  goal?: number;
  verdict: string;
}

function ratio(
  name: string,
  num: RowState | undefined,
  den: RowState | undefined,
  target: number,
  goal?: number,
): Ratio {
  if (!num || !den) return { name, target, goal, verdict: 'n/a (row not selected)' };
  const unusable = [num, den].find((r) => r.status !== 'OK' || !r.median);
  if (unusable) return { name, target, goal, verdict: `n/a (row ${unusable.spec.id} ${unusable.status})` };
  const value = num.median!.rps / den.median!.rps;
  const cpuNormalizedValue = num.median!.reqPerCpuSec / den.median!.reqPerCpuSec;
  let verdict = value >= target ? 'PASS' : 'FAIL';
  if (goal !== undefined && value >= target)
    verdict += value >= goal ? ` (goal ${goal}x met)` : ` (goal ${goal}x not met)`;
  return { name, value, cpuNormalizedValue, target, goal, verdict };
}

export function targetRatios(rows: readonly RowState[]): Ratio[] {
  const row = (id: string): RowState | undefined => findRow(rows, id);
  return [
    ratio('row1/row4  protected tools/call vs Express+requireBearerAuth', row('1'), row('4'), 2),
    ratio('row1/row3  protected tools/call vs bare NestJS', row('1'), row('3'), 0.5, 0.6),
    ratio('row5a/row3 rejection, no token vs bare NestJS', row('5a'), row('3'), 0.9),
    ratio('row5b/row3 rejection, bad signature vs bare NestJS', row('5b'), row('3'), 0.9),
    // The same targets on Fastify, against bare NestJS on Fastify.
    ratio('row1f/row3f protected tools/call vs bare NestJS (Fastify)', row('1f'), row('3f'), 0.5, 0.6),
    ratio('row5af/row3f rejection, no token vs bare NestJS (Fastify)', row('5af'), row('3f'), 0.9),
  ];
}
