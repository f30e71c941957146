// Text formatting of the console output: numbers, plain-text tables, shortened reasons.

/** A number with thousands separators and fixed decimals; '-' when there is none (or it is NaN). */
export const fmt = (n: number | undefined, digits = 0): string =>
  n === undefined || Number.isNaN(n)
    ? '-'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const truncate = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Columns as wide as their widest cell, two spaces apart; the columns in `rightAligned` (indexes) padded left. */
export function table(headers: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
