/**
 * Coalesced re-renders of posted messages (live poll counts, availability counts).
 *
 * Thirty-five people voting within a second must not become seventy message edits per platform:
 * Discord and Slack rate-limit edits per channel, and a queue of stale edits would show old counts
 * for seconds. So a change only asks for a render; the render runs at the end of a window
 * (default 500 ms) and reads the store then, so it shows every vote committed so far. A change
 * arriving while a render runs marks the key dirty and gets one more render one window later.
 * Result: at most one edit per message per window, and the last edit always shows the last vote.
 *
 * Timers use real time on purpose: this is rate limiting toward the platforms, not domain time.
 */
import type { Logger } from "../../logger.js";

interface KeyState {
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  dirty: boolean;
}

interface LiveStats {
  requests: number;
  renders: number;
  failures: number;
}

export class LiveRenders {
  private readonly states = new Map<string, KeyState>();
  private readonly idleWaiters: (() => void)[] = [];
  readonly stats: LiveStats = { requests: 0, renders: 0, failures: 0 };

  constructor(
    private readonly render: (key: string) => Promise<void>,
    private readonly log: Logger,
    private readonly windowMs = 500,
    /** When true, pending renders are dropped (the bot is stopping; the store may be closing). */
    private readonly stopping: () => boolean = () => false,
  ) {}

  /** Asks for `key` to be re-rendered within about one window. */
  request(key: string): void {
    this.stats.requests++;
    const state = this.states.get(key);
    if (!state) {
      this.states.set(key, { dirty: false, timer: this.arm(key) });
      return;
    }
    // A render is already armed: it will read the store after this change. One running: go again after it.
    if (state.running && !state.timer) state.dirty = true;
  }

  /** Resolves once nothing is armed or running (tests, benchmark, shutdown). */
  idle(): Promise<void> {
    if (this.states.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Runs what is armed now instead of at the end of its window. */
  async flush(): Promise<void> {
    for (const [key, state] of this.states) {
      if (state.timer) {
        clearTimeout(state.timer);
        state.timer = undefined;
        void this.fire(key);
      }
    }
    await this.idle();
  }

  private arm(key: string): NodeJS.Timeout {
    const timer = setTimeout(() => void this.fire(key), this.windowMs);
    timer.unref();
    return timer;
  }

  private async fire(key: string): Promise<void> {
    const state = this.states.get(key);
    if (!state) return;
    state.timer = undefined;
    if (this.stopping()) {
      this.states.delete(key);
      this.settle();
      return;
    }
    state.dirty = false;
    state.running = (async () => {
      try {
        this.stats.renders++;
        await this.render(key);
      } catch (err) {
        this.stats.failures++;
        this.log.warn({ err, key }, "mise à jour d'un message en direct échouée");
      }
    })();
    await state.running;
    state.running = undefined;
    if (state.dirty) {
      state.dirty = false;
      state.timer = this.arm(key);
      return;
    }
    this.states.delete(key);
    this.settle();
  }

  private settle(): void {
    if (this.states.size > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
