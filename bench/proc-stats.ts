// Linux /proc readings about the row servers and the server core. Each gives undefined where /proc is
// missing (not Linux) or the process is gone; the report then shows '-'.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Unit of the CPU times in /proc (USER_HZ): 100 almost everywhere, but asked for rather than assumed. */
const CLOCK_TICKS_PER_SECOND = ((): number => {
  const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

/** A `Vm…:  N kB` line of /proc/<pid>/status, in kB. */
function statusKb(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Peak resident set size (VmHWM) of a process, in kB. */
export const peakRssKb = (pid: number | undefined): number | undefined => statusKb(pid, 'VmHWM');

/** Resident set size now (VmRSS) of a process, in kB. */
export const rssKb = (pid: number | undefined): number | undefined => statusKb(pid, 'VmRSS');

/** User + system CPU seconds of a process so far (/proc/<pid>/stat fields 14 and 15). */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Non-idle seconds of one CPU so far, hypervisor steal included (/proc/stat `cpu<N>` line). */
export function coreBusySeconds(core: number): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`cpu${core} `));
    if (!line) return undefined;
    // user nice system idle iowait irq softirq steal ...
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
