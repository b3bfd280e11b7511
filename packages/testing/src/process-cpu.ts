import { readdirSync, readFileSync } from 'node:fs';

/** Who a process is, for the benchmark's CPU accounting: a pid it started, or a pattern over the command line. */
export type ProcessMatcher = number | RegExp;

/** The machine's usual suspects beside the services: PostgreSQL's backends and Kafka's JVM. */
export const INFRA_PROCESSES: Record<string, ProcessMatcher> = { postgres: /^postgres\b|\/postgres\b/, kafka: /kafka\.Kafka|kafka-server/ };

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture Node runs on

/** The machine's CPU counters (/proc/stat, all cores, in clock ticks): call before and after a phase. */
export function cpuTimes(): { idle: number; total: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number) as [number, number, number, number, number, number, number, number];
  return { idle: idle + iowait, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/** The share of the machine's CPU left idle (or waiting on I/O) between two `cpuTimes()`. */
export const idlePercent = (before: { idle: number; total: number }, after: { idle: number; total: number }): number =>
  +((100 * (after.idle - before.idle)) / (after.total - before.total)).toFixed(1);

/** Ticks the machine spent busy (neither idle nor waiting on I/O) between two `cpuTimes()`. */
const busyTicks = (before: { idle: number; total: number }, after: { idle: number; total: number }): number =>
  after.total - before.total - (after.idle - before.idle);

function cpuTicksByPid(): Map<number, { ticks: number; cmdline: string }> {
  const out = new Map<number, { ticks: number; cmdline: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      // utime + stime, and cutime + cstime: what its exited children spent (PostgreSQL's backends, once closed).
      const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number) as [number, number, number, number];
      out.set(Number(entry), { ticks: utime + stime + cutime + cstime, cmdline });
    } catch {
      // the process ended between the listing and the read
    }
  }
  return out;
}

/**
 * Starts counting the CPU each named process spends from now (with its children that exited meanwhile, but not those
 * still running: name them too); `stop()` gives each name's share of one core over the interval (100 = one full core),
 * plus `machine`, the whole box's busy time from /proc/stat, so a benchmark can say where the machine's time went
 * during a phase, process by process. A process that exits meanwhile is lost unless its parent is named.
 */
export function sampleProcessCpu(named: Record<string, ProcessMatcher>): { stop(): Record<string, number> } {
  const before = cpuTicksByPid();
  const machineBefore = cpuTimes();
  const started = process.hrtime.bigint();
  const nameOf = (pid: number, cmdline: string): string | undefined =>
    Object.entries(named).find(([, m]) => (typeof m === 'number' ? m === pid : m.test(cmdline)))?.[0];
  return {
    stop() {
      const after = cpuTicksByPid();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const ticks: Record<string, number> = Object.fromEntries(Object.keys(named).map((k) => [k, 0]));
      const machine = busyTicks(machineBefore, cpuTimes());
      for (const [pid, { ticks: t, cmdline }] of after) {
        const spent = t - (before.get(pid)?.ticks ?? 0);
        const name = nameOf(pid, cmdline);
        if (name) ticks[name] = (ticks[name] ?? 0) + spent;
      }
      const percent = (t: number) => Math.round((1000 * t) / CLOCK_TICKS_PER_SECOND / seconds) / 10;
      return { ...Object.fromEntries(Object.entries(ticks).map(([k, t]) => [k, percent(t)])), machine: percent(machine) };
    },
  };
}
