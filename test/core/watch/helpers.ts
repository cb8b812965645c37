// A watch on a fresh database, with a recording notifier standing for the connected platforms.
import type { PlatformNotifier, MessageRef } from "../../../src/core/notifier.js";
import type { Reply } from "../../../src/core/reply.js";
import type { WatchTuning } from "../../../src/core/watch/context.js";
import { WatchService } from "../../../src/core/watch/service.js";
import type { WatchCategory } from "../../../src/core/watch/categories.js";
import { createLogger } from "../../../src/logger.js";
import { coreOnFreshStore } from "../../helpers/store.js";
import { afterAll, beforeAll } from "vitest";
import { startFeedServer, type FeedServer } from "../../helpers/feed-server.js";

class RecordingNotifier implements PlatformNotifier {
  readonly platform = "console" as const;
  readonly posts: { channelId: string; reply: Reply }[] = [];
  async dm(): Promise<MessageRef> {
    throw new Error("pas de message privé dans ces tests");
  }
  async post(channelId: string, reply: Reply): Promise<MessageRef> {
    this.posts.push({ channelId, reply });
    return { platform: this.platform, channelId, messageId: String(this.posts.length) };
  }
  async edit(): Promise<void> {}
  mention(id: string): string {
    return `@${id}`;
  }
  in(channelId: string): Reply[] {
    return this.posts.filter((p) => p.channelId === channelId).map((p) => p.reply);
  }
}

export async function watchOnFreshStore(options: { channels?: boolean; tuning?: WatchTuning } = {}) {
  const { store, services, clock } = await coreOnFreshStore();
  const notifier = new RecordingNotifier();
  services.notifications.register(notifier);
  const admin = (await services.members.bootstrapAdmins(["console:root"]))[0]!;
  if (options.channels !== false) {
    await services.settings.setChannel("console", "veille", "veille", admin.id);
    await services.settings.setChannel("console", "animation", "animation", admin.id);
  }
  // Generous: loopback answers are instant, but a loaded CI machine must not turn them into time-outs.
  // The feeds are served on 127.0.0.1: private hosts allowed explicitly, as WATCH_ALLOW_PRIVATE_HOSTS=1 does.
  const defaults: WatchTuning = { fetch: { timeoutMs: 5000, maxBytes: 1024 * 1024 }, pageTitles: false, allowPrivateHosts: true };
  const deps = { db: store.prisma, clock, settings: services.settings, notifications: services.notifications, jobs: services.jobs, log: createLogger({ level: "silent", pretty: false }), timeZone: "Europe/Paris" };
  /** Another watch on the same store, tuned otherwise (as the bot would be with other settings). */
  const tuned = (tuning: WatchTuning) => new WatchService(deps, { tuning: { ...defaults, ...tuning } });
  const watch = tuned(options.tuning ?? {});
  const db = store.prisma;
  /** A source as the hourly job finds it before its first read. */
  const source = (name: string, url: string, category: WatchCategory = "reglementation") =>
    db.watchSource.create({ data: { name, url, urlKey: url, category, createdAt: clock.now(), updatedAt: clock.now() } });
  return { watch, tuned, services, clock, notifier, admin, db, source };
}

export const minutes = (n: number) => n * 60_000;

/**
 * A feed server on 127.0.0.1 for the test file, and `serve`: a fresh path per test, so routes set
 * by one test never leak into another.
 */
export function feedServerForFile() {
  const feeds = { server: undefined as unknown as FeedServer, n: 0 };
  beforeAll(async () => {
    feeds.server = await startFeedServer();
  });
  afterAll(() => feeds.server.close());
  const serve = (name: string, route: Parameters<FeedServer["route"]>[1]) => {
    const path = `/${++feeds.n}/${name}`;
    feeds.server.route(path, route);
    return feeds.server.url(path);
  };
  return { serve, server: () => feeds.server };
}

export async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error("attendu : un refus");
    },
    (e: Error) => e,
  );
}
