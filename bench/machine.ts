// Facts about the machine and run conditions, printed in the header and kept in latest.json, so that a
// result can be read against the machine it came from.
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { PINNED, TASKSET_WORKS } from './processes.js';

/** Key order is that of the header and of latest.json. */
export function machineFacts(): Record<string, unknown> {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) cpuModel = match[1]!.trim();
  } catch {
    /* not Linux */
  }
  return {
    cpu: cpuModel,
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    taskset: PINNED
      ? 'servers on core 0, load generator on core 1'
      : TASKSET_WORKS
        ? 'available but fewer than 2 cores: not pinned'
        : 'not available: not pinned',
    date: new Date().toISOString(),
  };
}
