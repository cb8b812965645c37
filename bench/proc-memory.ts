import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** Memory of another process from /proc/<pid>/status: its resident set now and its peak (high-water mark). */
export function procMemory(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
}

/** RSS of a process's children (the bot's one-shot render processes), 0 when there is none. */
function childrenRssMb(pid: number): number {
  let ids: string[];
  try {
    ids = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  } catch {
    return 0;
  }
  let total = 0;
  for (const id of ids) {
    try {
      // NaN for a child that has exited but not been reaped yet (no VmRSS line any more).
      total += procMemory(Number(id)).rssMb || 0;
    } catch {
      // Ended between the two reads.
    }
  }
  return total;
}

/**
 * Follows a process's peak RSS over a phase. Linux resets the high-water mark when "5" is written
 * to /proc/<pid>/clear_refs, which makes the peak exact; where that is refused, RSS is sampled
 * every 20 ms instead (a shorter spike could then be missed, and the figure says so).
 */
export class PeakTracker {
  private sampled = 0;
  private withChildren = 0;
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
    this.withChildren = this.sampled;
    this.timer = setInterval(() => {
      if (!existsSync(`/proc/${this.pid}`)) return clearInterval(this.timer);
      const own = procMemory(this.pid).rssMb;
      this.sampled = Math.max(this.sampled, own);
      this.withChildren = Math.max(this.withChildren, own + childrenRssMb(this.pid));
    }, 20);
  }

  /**
   * The phase's peak in MB, whether it is the kernel's exact high-water mark, and the sampled
   * peak of the process plus its children (what the machine had to hold).
   */
  stop(): { peakMb: number; exact: boolean; withChildrenMb: number } {
    clearInterval(this.timer);
    const now = procMemory(this.pid);
    const peakMb = Math.max(this.sampled, now.rssMb, this.exact ? now.hwmMb : 0);
    return { peakMb, exact: this.exact, withChildrenMb: Math.max(this.withChildren, peakMb) };
  }
}
