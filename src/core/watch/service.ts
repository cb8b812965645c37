// The watch, as commands and jobs use it: its sources, their collection, the articles members
// share, the digests and the digest's schedule. No platform types: posts go through
// Notifications by channel use.
import type { RecurringSchedules } from "../../scheduler/index.js";
import { Collector } from "./collect.js";
import { WatchContext, type WatchDeps, type WatchTuning } from "./context.js";
import { Digests } from "./digest.js";
import { WatchSchedule } from "./schedule.js";
import { SharedArticles } from "./shares.js";
import { WatchSources } from "./sources.js";

export class WatchService {
  readonly sources: WatchSources;
  readonly collector: Collector;
  readonly digests: Digests;
  readonly shares: SharedArticles;
  readonly schedule: WatchSchedule;
  private readonly context: WatchContext;

  constructor(deps: WatchDeps) {
    this.context = new WatchContext(deps, {});
    this.sources = new WatchSources(this.context);
    this.collector = new Collector(this.context);
    this.digests = new Digests(this.context);
    this.shares = new SharedArticles(this.context, this.digests);
    this.schedule = new WatchSchedule(this.context, this.collector);
  }

  get timezone(): string {
    return this.context.deps.timezone;
  }

  get notifications(): WatchDeps["notifications"] {
    return this.context.deps.notifications;
  }

  /** Whether any connected platform has a « veille » channel: without one, nothing is read or posted. */
  hasWatchChannel(): Promise<boolean> {
    return this.context.hasWatchChannel();
  }

  configure(tuning: WatchTuning): void {
    Object.assign(this.context.tuning, tuning);
  }

  /** Lets /veille horaire move the pending digest occurrence at once (set by the job feature). */
  attachSchedule(recurring: RecurringSchedules): void {
    this.schedule.attach(recurring);
  }
}
