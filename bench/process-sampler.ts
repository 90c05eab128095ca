import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat. */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface Memory {
  rssBytes: number;
  /** The kernel's high-water mark of RSS over the process's life. */
  peakRssBytes: number;
}

/** RSS from /proc, read from outside so sampling costs the measured process nothing; undefined off Linux. */
export function readMemory(pid: number): Memory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds the process has used so far; undefined off Linux. */
export function readCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Busy CPU seconds of the whole machine (all cores), from the first line of /proc/stat. */
export function readMachineBusySeconds(): number | undefined {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * CPU the rest of the machine used while a run went on, in cores: all busy time less what this
 * bench's own processes used. Other work on a shared machine (a test suite, a build) shows up here,
 * so a run it disturbed can be recognised instead of silently skewing a median.
 */
export class ForeignLoad {
  private readonly machineBefore: number | undefined;
  private readonly oursBefore: number | undefined;
  private readonly started = performance.now();

  constructor(private readonly pids: number[]) {
    this.machineBefore = readMachineBusySeconds();
    this.oursBefore = this.ours();
  }

  /** Cores' worth of CPU used by others since construction; undefined off Linux. */
  cores(): number | undefined {
    const machine = readMachineBusySeconds();
    const ours = this.ours();
    if (machine === undefined || ours === undefined || this.machineBefore === undefined || this.oursBefore === undefined) return undefined;
    const seconds = (performance.now() - this.started) / 1000;
    return Math.max(0, machine - this.machineBefore - (ours - this.oursBefore)) / seconds;
  }

  private ours(): number | undefined {
    const { user, system } = process.cpuUsage();
    let total = (user + system) / 1e6;
    for (const pid of this.pids) {
      const seconds = readCpuSeconds(pid);
      if (seconds === undefined) return undefined;
      total += seconds;
    }
    return total;
  }
}

/**
 * The largest RSS seen while it runs, sampled every `intervalMs`: from /proc where there is one,
 * else from the gateway's own `process_resident_memory_bytes` on /metrics.
 */
export class RssSampler {
  private peak = 0;
  private samples = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    private readonly metricsUrl: string | undefined,
    intervalMs = 200,
  ) {
    this.timer = setInterval(() => void this.sample(), intervalMs);
  }

  /** The largest RSS so far, while it keeps sampling. */
  peakSoFar(): number {
    return this.peak;
  }

  stop(): { peakRssBytes: number; samples: number } {
    clearInterval(this.timer);
    return { peakRssBytes: this.peak, samples: this.samples };
  }

  private async sample(): Promise<void> {
    const rss = readMemory(this.pid)?.rssBytes ?? (await this.fromMetrics());
    if (rss === undefined || Number.isNaN(rss)) return;
    this.samples += 1;
    this.peak = Math.max(this.peak, rss);
  }

  private async fromMetrics(): Promise<number | undefined> {
    if (!this.metricsUrl) return undefined;
    try {
      const text = await (await fetch(this.metricsUrl)).text();
      const value = /^process_resident_memory_bytes (\d+)/m.exec(text)?.[1];
      return value === undefined ? undefined : Number(value);
    } catch {
      return undefined;
    }
  }
}
