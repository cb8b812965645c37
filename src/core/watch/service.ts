// The watch, as commands and jobs use it: its sources, their collection, the articles members
// share, the digests and the digest's schedule. No platform types: posts go through
// Notifications by channel use.
import type { RecurringSchedules } from "../../scheduler/index.js";
import { Collector } from "./collect.js";
import { WatchContext, type WatchDeps, type WatchTuning } from "./context.js";
import { Digests } from "./digest.js";
import { WatchSchedule } from "./schedule.js";
import { SharedArticles } from "./shares.js";
import { WatchSources, type DefaultSource } from "./sources.js";

interface WatchSetup {
  tuning?: WatchTuning;
  /** The list loaded on the first start (default: default-sources.json, read at start-up). */
  defaultSources?: readonly DefaultSource[];
  /** The running bot's schedules: /veille horaire then moves the pending digest at once. */
  recurring?: RecurringSchedules;
}

export class WatchService {
  readonly sources: WatchSources;
  readonly collector: Collector;
  readonly digests: Digests;
  readonly shares: SharedArticles;
  readonly schedule: WatchSchedule;
  readonly defaultSources: readonly DefaultSource[] | undefined;
  private readonly context: WatchContext;

  constructor(deps: WatchDeps, setup: WatchSetup = {}) {
    this.context = new WatchContext(deps, { ...setup.tuning });
    this.defaultSources = setup.defaultSources;
    this.sources = new WatchSources(this.context);
    this.collector = new Collector(this.context);
    this.digests = new Digests(this.context);
    this.shares = new SharedArticles(this.context, this.digests);
    this.schedule = new WatchSchedule(this.context, this.collector, setup.recurring);
  }

  get timeZone(): string {
    return this.context.deps.timeZone;
  }

  get notifications(): WatchDeps["notifications"] {
    return this.context.deps.notifications;
  }

  /** Whether any connected platform has a « veille » channel: without one, nothing is read or posted. */
  hasWatchChannel(): Promise<boolean> {
    return this.context.hasWatchChannel();
  }
}
