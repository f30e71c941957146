// The targets, as comparisons between rows of the same run (absolute req/s depend on the machine; ratios
// much less): issue 13's, then the earlier ones of bench/README.md. Throughput verdicts are on median req/s;
// the per-CPU-second ratio is shown beside them. The memory target compares RSS after a flood.
import { findRow, type RowState } from './rows.js';

/** One target; key order is that of latest.json. */
export interface Target {
  name: string;
  /** Issue 13's targets, or the earlier ones. */
  source: 'issue 13' | 'earlier';
  /** Ratio of median req/s, or for memory: MB of RSS above the SDK pattern's. */
  value?: number;
  unit: 'x' | 'MB';
  /** Ratio of median requests per server CPU-second: the same comparison, insensitive to CPU stolen by neighbours. */
  cpuNormalizedValue?: number;
  /** e.g. `>= 2.5x`; `-` for a comparison shown for information (the Fastify rows). */
  wanted: string;
  verdict: string;
}

/** Seconds of forged-token flood the memory target asks for. */
const FLOOD_SECONDS = 10;
/** Memory the library may hold above the SDK pattern after that flood, in MB. */
const MEMORY_ALLOWANCE_MB = 25;

const unusable = (rows: (RowState | undefined)[]): string | undefined => {
  if (rows.some((r) => r === undefined)) return 'n/a (row not selected)';
  const bad = rows.find((r) => r!.status !== 'OK' || !r!.median);
  return bad ? `n/a (row ${bad.spec.id} ${bad.status})` : undefined;
};

function ratio(
  name: string,
  source: Target['source'],
  num: RowState | undefined,
  den: RowState | undefined,
  target?: number,
  goal?: number,
): Target {
  const wanted = target === undefined ? '-' : `>= ${target}x${goal === undefined ? '' : ` (goal ${goal}x)`}`;
  const problem = unusable([num, den]);
  if (problem) return { name, source, unit: 'x', wanted, verdict: problem };
  const value = num!.median!.rps / den!.median!.rps;
  const cpuNormalizedValue = num!.median!.reqPerCpuSec / den!.median!.reqPerCpuSec;
  if (target === undefined)
    return { name, source, value, unit: 'x', cpuNormalizedValue, wanted, verdict: 'information' };
  let verdict = value >= target ? 'MET' : 'MISSED';
  if (goal !== undefined && value >= target) verdict += value >= goal ? ', goal met' : ', goal not met';
  return { name, source, value, unit: 'x', cpuNormalizedValue, wanted, verdict };
}

/** The library's RSS after its forged-token flood, against the SDK pattern's after the same flood. */
function memoryAfterFlood(library: RowState | undefined, sdk: RowState | undefined): Target {
  const name = `RSS after >= ${FLOOD_SECONDS} s of forgeries, library (8a) vs SDK (8s)`;
  const base = { name, source: 'issue 13', unit: 'MB', wanted: `<= +${MEMORY_ALLOWANCE_MB} MB` } as const;
  const problem = unusable([library, sdk]);
  if (problem) return { ...base, verdict: problem };
  if (library!.rssAfterKb === undefined || sdk!.rssAfterKb === undefined) return { ...base, verdict: 'n/a (no /proc)' };
  const flood = Math.min(library!.loadedSeconds, sdk!.loadedSeconds);
  if (flood < FLOOD_SECONDS) return { ...base, verdict: `n/a (only ${flood.toFixed(0)} s of flood)` };
  const value = (library!.rssAfterKb - sdk!.rssAfterKb) / 1024;
  return { ...base, value, verdict: value <= MEMORY_ALLOWANCE_MB ? 'MET' : 'MISSED' };
}

/** Issue 13's throughput targets: `row` must serve at least `target` times as many requests as `reference`. */
export const ISSUE_13_RATIOS: readonly { row: string; reference: string; target: number; what: string }[] = [
  { row: '1', reference: '3', target: 0.7, what: 'reused valid token vs bare NestJS' },
  { row: '7a', reference: '7s', target: 2.5, what: 'different valid token each request vs SDK' },
  // The cache costs at most 2% when it never hits: the row with it >= 0.98x the row without.
  { row: '7a', reference: '7n', target: 0.98, what: 'cache that never hits vs no cache' },
  { row: '8a', reference: '8s', target: 1.1, what: 'different forged token each request vs SDK' },
  { row: '5a', reference: '3', target: 0.9, what: 'no token vs bare NestJS' },
];

/** `row1/row3  …`: the label of a ratio, its row ids padded so the labels line up. */
function ratioLabel(row: string, reference: string, what: string): string {
  return `${`row${row}/row${reference}`.padEnd(10)} ${what}`;
}

export function targets(rows: readonly RowState[]): Target[] {
  const row = (id: string): RowState | undefined => findRow(rows, id);
  const issue13 = ISSUE_13_RATIOS.map(({ row: id, reference, target, what }) =>
    ratio(ratioLabel(id, reference, what), 'issue 13', row(id), row(reference), target),
  );
  return [
    ...issue13,
    memoryAfterFlood(row('8a'), row('8s')),
    ratio('row1/row4  reused valid token vs Express+requireBearerAuth', 'earlier', row('1'), row('4'), 2),
    ratio('row1/row3  reused valid token vs bare NestJS', 'earlier', row('1'), row('3'), 0.5, 0.6),
    ratio('row5b/row3 same forged token vs bare NestJS', 'earlier', row('5b'), row('3'), 0.9),
    // Fastify: no targets of their own. Its bare ceiling is far cheaper than Express's while the library's
    // own work per request is about the same, so the same ratios would measure Fastify, not the library.
    ratio('row1f/row3f reused valid token vs bare NestJS, on Fastify', 'earlier', row('1f'), row('3f')),
    ratio('row5af/row3f no token vs bare NestJS, on Fastify', 'earlier', row('5af'), row('3f')),
    ratio('row1f/row1  reused valid token, Fastify vs Express', 'earlier', row('1f'), row('1')),
  ];
}
