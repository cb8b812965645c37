// The watch's durable jobs: the hourly read of the sources (plus one-off retries of failing
// ones), and the digest on its schedule (Mondays 09:00 in BOT_TIMEZONE unless changed).
import type { FeatureRuntime } from "../feature.js";
import type { JobContext, RecurringPayload, RunningJob } from "../../scheduler/index.js";
import { formatDate } from "../dates.js";
import { loadDefaultSources } from "./default-sources.js";
import { digestReply } from "./render.js";
import { DIGEST_KIND, FETCH_CRON, FETCH_KIND } from "./schedule.js";
import type { WatchService } from "./service.js";

/** A digest due while the bot was down for longer than this is skipped: its items go in the next one. */
export const DIGEST_SKIP_IF_LATE_MS = 2 * 24 * 60 * 60_000;

/**
 * At start-up: the shipped sources on the very first start, then the next hourly read and the
 * next digest planned (a digest missed while the bot was down is then due at once).
 */
export async function startWatch(watch: WatchService, { recurring, clock, timeZone, log }: FeatureRuntime): Promise<void> {
  // Read here rather than when the bot is built: a broken file stops the start-up with its reason.
  const seeded = await watch.sources.seedDefaults(watch.defaultSources ?? loadDefaultSources());
  if (seeded > 0) log.info({ seeded }, "sources de veille par défaut chargées");
  const now = clock.now();
  await recurring.ensureNext(FETCH_KIND, FETCH_CRON, timeZone, now);
  await recurring.ensureNext(DIGEST_KIND, await watch.schedule.digestCron(), timeZone, now);
}

/** The hourly read (or a retry of failing sources), then the next retry planned if one is due sooner. */
export async function collect(watch: WatchService, ctx: JobContext): Promise<void> {
  const report = await watch.collector.collectDue(ctx.signal);
  if (report.skipped) ctx.log.debug({ reason: report.skipped }, "veille : rien lu");
  else ctx.log.info(report, "veille : sources lues");
  const retryAt = await watch.schedule.scheduleRetry(ctx.jobs);
  if (retryAt) ctx.log.debug({ retryAt }, "veille : nouvel essai des sources en échec planifié");
}

/**
 * Posts the digest of one occurrence in the « veille » channel of every platform. Its items are
 * claimed into a WatchDigest row first, so a retried job posts the same digest and no item can
 * appear in two; the post itself goes through deliverOnce, so a re-run never posts twice.
 */
export async function postDigest(watch: WatchService, job: RunningJob<RecurringPayload>, ctx: JobContext): Promise<void> {
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
    title: `Veille de la semaine — ${formatDate(new Date(job.payload.occurrence), watch.timeZone)}`,
    timeZone: watch.timeZone,
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
