// What the watch's parts share: the core services they use, the tuning of the bot's reads, and
// the one lane its collection writes go through.
import type { Logger } from "../../logger.js";
import type { FetchOptions } from "../../net/http.js";
import type { JobStore } from "../../scheduler/index.js";
import { isUniqueViolation, type PrismaClient } from "../../store/index.js";
import type { Clock } from "../../shared/clock.js";
import type { Notifications } from "../notifier.js";
import type { SettingsService } from "../settings.js";

export interface WatchTuning {
  /** Per request (default 20 s, 5 Mo). */
  fetch?: Pick<FetchOptions, "timeoutMs" | "maxBytes">;
  /** Sources read at once by the hourly job (default 4). */
  concurrency?: number;
  /** Look up the page title of a shared article given without one (default true). */
  pageTitles?: boolean;
  /** Feeds and pages may be read from this machine or a private network (WATCH_ALLOW_PRIVATE_HOSTS=1). */
  allowPrivateHosts?: boolean;
}

export interface WatchDeps {
  db: PrismaClient;
  clock: Clock;
  settings: SettingsService;
  notifications: Notifications;
  jobs: JobStore;
  log: Logger;
  timeZone: string;
}

export class WatchContext {
  /** Collection writes one source at a time: SQLite has one writer, and dedupe checks need a stable view. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    readonly deps: WatchDeps,
    readonly tuning: WatchTuning,
  ) {}

  get db(): PrismaClient {
    return this.deps.db;
  }

  now(): Date {
    return this.deps.clock.now();
  }

  fetchOptions(signal?: AbortSignal): FetchOptions {
    return { ...this.tuning.fetch, signal, allowPrivateHosts: this.tuning.allowPrivateHosts };
  }

  /** Whether any connected platform has a « veille » channel: without one, nothing is read or posted. */
  async hasWatchChannel(): Promise<boolean> {
    for (const platform of this.deps.notifications.platforms) {
      if (await this.deps.settings.channel(platform, "veille")) return true;
    }
    return false;
  }

  /**
   * One collection write at a time in this process; and if another process (a second instance,
   * an animator adding the same feed there) inserted the same link meanwhile, the unique index
   * refuses the transaction and it is simply run again, seeing that row this time.
   */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const retried = async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await work();
        } catch (error) {
          if (attempt >= 3 || !isUniqueViolation(error)) throw error;
        }
      }
    };
    const run = this.writes.then(retried, retried);
    this.writes = run.catch(() => {});
    return run;
  }
}

/** A source that has just been read successfully: its failure history is cleared. */
export function healthy(now: Date) {
  return { lastFetchAt: now, lastSuccessAt: now, nextFetchAt: null, failures: 0, failingSince: null, lastError: null, alertedAt: null };
}
