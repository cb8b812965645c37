// The watch's durable jobs: the hourly read of the sources (plus one-off retries of failing
// ones), and the digest on its schedule (Mondays 09:00 in BOT_TIMEZONE unless changed).
import type { JobFeature } from "../feature.js";
import type { JobContext, RecurringPayload, RunningJob } from "../../scheduler/index.js";
import { formatDate } from "../dates.js";
import { digestReply } from "./render.js";
import type { WatchTuning } from "./context.js";
import { DIGEST_KIND, FETCH_CRON, FETCH_KIND, RETRY_KIND } from "./schedule.js";
import type { WatchService } from "./service.js";
import type { DefaultSource } from "./sources.js";
import { watchFor } from "./registry.js";
import { loadDefaultSources } from "./default-sources.js";

/** A digest due while the bot was down for longer than this is skipped: its items go in the next one. */
const DIGEST_SKIP_IF_LATE_MS = 2 * 24 * 60 * 60_000;

interface WatchJobsOptions extends WatchTuning {
  /** The list loaded on first start (default: default-sources.json). */
  defaultSources?: readonly DefaultSource[];
}

export function watchJobs(options: WatchJobsOptions = {}): JobFeature {
  const { defaultSources, ...tuning } = options;
  return {
    name: "veille",
    async register({ dispatcher, recurring, services, config, clock, log }) {
      const watch = watchFor(services, { clock, log, timezone: config.BOT_TIMEZONE });
      watch.configure({ allowPrivateHosts: config.WATCH_ALLOW_PRIVATE_HOSTS, ...tuning });
      watch.attachSchedule(recurring);
      const seeded = await watch.sources.seedDefaults(defaultSources ?? loadDefaultSources());
      if (seeded > 0) log.info({ seeded }, "sources de veille par défaut chargées");

      const collect = async (_job: RunningJob<unknown>, ctx: JobContext) => {
        const report = await watch.collector.collectDue(ctx.signal);
        if (report.skipped) ctx.log.debug({ reason: report.skipped }, "veille : rien lu");
        else ctx.log.info(report, "veille : sources lues");
        const retryAt = await watch.schedule.scheduleRetry(ctx.jobs);
        if (retryAt) ctx.log.debug({ retryAt }, "veille : nouvel essai des sources en échec planifié");
      };
      dispatcher.register(FETCH_KIND, collect);
      dispatcher.register(RETRY_KIND, collect);
      dispatcher.register<RecurringPayload>(DIGEST_KIND, (job, ctx) => postDigest(watch, job, ctx), { skipIfLateBy: DIGEST_SKIP_IF_LATE_MS });

      const now = clock.now();
      await recurring.ensureNext(FETCH_KIND, FETCH_CRON, config.BOT_TIMEZONE, now);
      await recurring.ensureNext(DIGEST_KIND, await watch.schedule.digestCron(), config.BOT_TIMEZONE, now);
    },
  };
}

/**
 * Posts the digest of one occurrence in the « veille » channel of every platform. Its items are
 * claimed into a WatchDigest row first, so a retried job posts the same digest and no item can
 * appear in two; the post itself goes through deliverOnce, so a re-run never posts twice.
 */
async function postDigest(watch: WatchService, job: RunningJob<RecurringPayload>, ctx: JobContext): Promise<void> {
  if (!(await watch.hasWatchChannel())) {
    ctx.log.warn("récapitulatif de veille reporté : aucun salon « veille » configuré (/config canal usage:veille)");
    return;
  }
  const digest = await watch.digests.claim(job.payload.occurrence);
  if (!digest) {
    ctx.log.info("récapitulatif de veille : rien de nouveau cette semaine, rien n'est publié");
    return;
  }
  const reply = digestReply(digest.entries, {
    title: `Veille de la semaine — ${formatDate(new Date(job.payload.occurrence), watch.timezone)}`,
    timezone: watch.timezone,
  });
  const outcome = await ctx.deliverOnce("channel:veille", async () => {
    const { refs, failures } = await watch.notifications.toChannel("veille", reply);
    if (refs.length === 0) throw new Error(`récapitulatif publié nulle part : ${failures.map((f) => `${f.platform} : ${f.error}`).join(" ; ")}`);
    if (failures.length > 0) ctx.log.warn({ failures }, "récapitulatif de veille non publié sur certaines plateformes");
  });
  // Nothing left: the job is retried (with back-off) and posts the same digest then.
  if (outcome === "failed") throw new Error("récapitulatif de veille non publié");
  ctx.log.info({ digest: digest.id, items: digest.entries.length, outcome }, "récapitulatif de veille publié");
}
