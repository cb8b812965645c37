// One Delivery row per (job, recipient), written BEFORE the message goes out.
//
// The choice is at-most-once. A job can be re-run (its process crashed, its lease expired, a
// handler asked to retry), so each recipient is recorded as `sending` first and `sent` once the
// platform accepted the message. On a re-run:
// - `sent` is skipped: that person already has the message;
// - `sending` is skipped too, and logged as uncertain: the previous run died between recording
//   and confirming, so the message may or may not have left. Sending it again risks a duplicate
//   reminder or digest in someone's DMs, which the network would see; missing one is rarer
//   (it takes a crash in that exact window) and shows in the log for the animator to follow up;
// - `failed` (the platform said no, e.g. an outage) is tried again: nothing was delivered.
// The unique (jobId, recipient) index is what makes this hold even if two runs of the same job
// overlap: only one of them can insert the row.
import type { Clock } from "../core/clock.js";
import type { Logger } from "../logger.js";
import type { Prisma, PrismaClient } from "../store/index.js";
import { describeError, isUniqueViolation } from "./errors.js";

export type DeliveryState = "sending" | "sent" | "failed";
export type DeliveryRecord = Prisma.DeliveryModel;

/**
 * - sent: sent now;
 * - already-sent: an earlier run sent it;
 * - uncertain: an earlier run started sending and never confirmed; not sent again;
 * - failed: `send` threw (recorded; a later run of the job tries this recipient again).
 */
export type DeliveryOutcome = "sent" | "already-sent" | "uncertain" | "failed";

export class Deliveries {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /**
   * Sends to `recipient` (a stable key chosen by the feature, e.g. "member:42") at most once
   * for this job. Never throws because of `send`: a failure is returned, so one unreachable
   * person does not stop a loop over the others.
   */
  async deliverOnce(jobId: number, recipient: string, send: () => Promise<unknown>): Promise<DeliveryOutcome> {
    const claim = await this.claim(jobId, recipient);
    if (claim !== "go") return claim;
    try {
      await send();
    } catch (error) {
      this.log.warn({ err: error, jobId, recipient }, "envoi échoué : il sera retenté si la tâche est relancée");
      await this.prisma.delivery
        .updateMany({
          where: { jobId, recipient, state: "sending" },
          data: { state: "failed", error: describeError(error), at: this.clock.now() },
        })
        .catch((err: unknown) => this.log.error({ err, jobId, recipient }, "échec d'envoi non enregistré (restera « incertain »)"));
      return "failed";
    }
    try {
      await this.prisma.delivery.updateMany({
        where: { jobId, recipient, state: "sending" },
        data: { state: "sent", error: null, at: this.clock.now() },
      });
    } catch (err) {
      // The message left; only the bookkeeping failed. A re-run will see `sending` and not resend.
      this.log.error({ err, jobId, recipient }, "envoi fait mais non enregistré (sera vu comme incertain)");
    }
    return "sent";
  }

  /** The deliveries of a job, for admin views and tests. */
  list(jobId: number): Promise<DeliveryRecord[]> {
    return this.prisma.delivery.findMany({ where: { jobId }, orderBy: { id: "asc" } });
  }

  private async claim(jobId: number, recipient: string): Promise<"go" | "already-sent" | "uncertain"> {
    const now = this.clock.now();
    try {
      await this.prisma.delivery.create({ data: { jobId, recipient, state: "sending", at: now } });
      return "go";
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    // An earlier run recorded this recipient. Take it over only if that run knew it had failed.
    const retried = await this.prisma.delivery.updateMany({
      where: { jobId, recipient, state: "failed" },
      data: { state: "sending", error: null, at: now },
    });
    if (retried.count === 1) return "go";
    const row = await this.prisma.delivery.findUnique({ where: { jobId_recipient: { jobId, recipient } } });
    if (row?.state === "sent") return "already-sent";
    this.log.warn(
      { jobId, recipient, since: row?.at },
      "envoi incertain : une exécution précédente s'est arrêtée pendant l'envoi ; pas de nouvel envoi (au plus une fois)",
    );
    return "uncertain";
  }
}
