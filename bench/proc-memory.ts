import { readFileSync, writeFileSync } from "node:fs";

/** Memory of another process from /proc/<pid>/status: its resident set now and its peak (high-water mark). */
export function procMemory(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
}

/**
 * Follows a process's peak RSS over a phase. Linux resets the high-water mark when "5" is written
 * to /proc/<pid>/clear_refs, which makes the peak exact; where that is refused, RSS is sampled
 * every 20 ms instead (a shorter spike could then be missed, and the figure says so).
 */
export class PeakTracker {
  private sampled = 0;
  private timer: NodeJS.Timeout | undefined;
  private exact = false;

  constructor(private readonly pid: number) {}

  start(): void {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, "5");
      this.exact = true;
    } catch {
      this.exact = false;
    }
    this.sampled = procMemory(this.pid).rssMb;
    this.timer = setInterval(() => (this.sampled = Math.max(this.sampled, procMemory(this.pid).rssMb)), 20);
  }

  /** The phase's peak in MB, and whether it is the kernel's exact high-water mark. */
  stop(): { peakMb: number; exact: boolean } {
    clearInterval(this.timer);
    const now = procMemory(this.pid);
    return { peakMb: Math.max(this.sampled, now.rssMb, this.exact ? now.hwmMb : 0), exact: this.exact };
  }
}
