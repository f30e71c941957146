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
  /** Undefined: a comparison shown for information, with no target (the Fastify rows). */
  target?: number;
  goal?: number;
  verdict: string;
}

function ratio(
  name: string,
  num: RowState | undefined,
  den: RowState | undefined,
  target?: number,
  goal?: number,
): Ratio {
  if (!num || !den) return { name, target, goal, verdict: 'n/a (row not selected)' };
  const unusable = [num, den].find((r) => r.status !== 'OK' || !r.median);
  if (unusable) return { name, target, goal, verdict: `n/a (row ${unusable.spec.id} ${unusable.status})` };
  const value = num.median!.rps / den.median!.rps;
  const cpuNormalizedValue = num.median!.reqPerCpuSec / den.median!.reqPerCpuSec;
  if (target === undefined) return { name, value, cpuNormalizedValue, verdict: 'information' };
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
    // Fastify: no targets of their own. Its bare ceiling is far cheaper than Express's while the library's
    // own work per request is about the same, so the same ratios would measure Fastify, not the library.
    ratio('row1f/row3f protected tools/call vs bare NestJS, on Fastify', row('1f'), row('3f')),
    ratio('row5af/row3f rejection, no token vs bare NestJS, on Fastify', row('5af'), row('3f')),
    ratio('row1f/row1  protected tools/call, Fastify vs Express', row('1f'), row('1')),
  ];
}
