// The dispatcher's alarm clock: a timer set to the next due time, so a job leaves within a
// moment of its dueAt instead of at the next periodic tick.
//
// After every tick the timer is set from the database (the earliest pending job or lease to expire,
// see leases.ts), and scheduling a job that falls earlier brings it forward. The delay is capped,
// so a clock that jumps or a job scheduled by another process is never waited for longer than
// that; the periodic tick of service.ts stays as a safety net behind it.
import type { Clock } from "../shared/clock.js";

interface WakeTimerOptions {
  clock: Clock;
  /** Longest sleep (ms). */
  capMs: number;
  /** Called when the timer rings (the scheduler ticks, then calls `rearm`). */
  ring: () => void;
}

/** First delay when the next wake is already past (nothing claimable yet: another process holds it…), doubled up to the cap. */
const OVERDUE_FIRST_MS = 50;
/** setTimeout may ring a little early; a job due in the next few ms is not "due" yet for the claim. */
const EARLY_MARGIN_MS = 5;

export class WakeTimer {
  private timer: NodeJS.Timeout | undefined;
  private target = Number.POSITIVE_INFINITY;
  /** The earliest time brought forward since the alarm last rang. */
  private forwarded = Number.POSITIVE_INFINITY;
  private overdueDelay = OVERDUE_FIRST_MS;
  private stopped = false;

  constructor(private readonly options: WakeTimerOptions) {}

  /** Rings at `at` if that is earlier than the current alarm (a job was just scheduled). */
  bringForward(at: Date): void {
    const wanted = Math.max(at.getTime(), this.options.clock.now().getTime());
    this.forwarded = Math.min(this.forwarded, wanted);
    if (wanted < this.target) this.set(wanted - this.options.clock.now().getTime());
  }

  /** Sets the alarm from the next wake read after a tick (undefined: nothing planned, the cap). */
  rearm(read: Date | undefined): void {
    const now = this.options.clock.now().getTime();
    // A job scheduled while the tick ran may be missing from what was read: keep its time too.
    const earliest = Math.min(read?.getTime() ?? Number.POSITIVE_INFINITY, this.forwarded);
    const next = Number.isFinite(earliest) ? new Date(earliest) : undefined;
    if (next === undefined) return this.set(this.options.capMs);
    if (next.getTime() <= now) {
      // Due but not claimed by the tick that just ran: back off rather than spin.
      const delay = this.overdueDelay;
      this.overdueDelay = Math.min(this.overdueDelay * 2, this.options.capMs);
      return this.set(delay);
    }
    this.overdueDelay = OVERDUE_FIRST_MS;
    this.set(next.getTime() - now);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private set(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const delay = Math.min(Math.max(0, delayMs) + EARLY_MARGIN_MS, this.options.capMs);
    this.target = this.options.clock.now().getTime() + delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.target = Number.POSITIVE_INFINITY;
      this.forwarded = Number.POSITIVE_INFINITY;
      this.options.ring();
    }, delay);
    // Our own timer must never be what keeps the process alive.
    this.timer.unref();
  }
}
