import type { Clock } from "../../src/shared/clock.js";

/** A clock tests can set and advance; it never moves on its own. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string = "2026-01-05T09:00:00Z") {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
