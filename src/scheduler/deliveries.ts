// One Delivery row per (job, recipient), written BEFORE the message goes out: exactly once.
//
// A job can be re-run (its process crashed, its lease expired, a handler asked to retry), so each
// recipient is recorded as `sending` first and `sent` once the platform accepted the message.
// On a re-run:
// - `sent` is skipped: that person already has the message;
// - `sending` (the previous run died between recording and confirming) and `failed` (the call
//   threw, possibly after the platform acted) are sent again, with the same delivery key and the
//   time since which a copy may exist (`resumedSince`). The key travels with every platform call
//   (delivery-scope.ts → core/notifier.ts → adapters), and each platform makes the resend
//   idempotent: Discord returns the message already created with that nonce, Slack looks in the
//   conversation for a message carrying the key. So the message arrives once whether or not the
//   first call reached the platform, and no delivery stays « uncertain »: each one ends `sent`, or
//   `failed` with the platform's reason (kept on the row, reported by the feature to the animator).
// The unique (jobId, recipient) index, and taking over a `sending` or `failed` row only by a
// conditional update of the state seen, make two runs of the same job never claim one recipient at once.
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../logger.js";
import type { Prisma, PrismaClient } from "../store/index.js";
import { withinDelivery, type DeliveryAttempt } from "./delivery-scope.js";
import { isUniqueViolation } from "../store/index.js";
import { describeError } from "./errors.js";

type DeliveryRecord = Prisma.DeliveryModel;

/**
 * - sent: sent now (or confirmed now after an interrupted attempt);
 * - already-sent: an earlier run sent it;
 * - failed: `send` threw (recorded; a later run of the job tries this recipient again).
 */
export type DeliveryOutcome = "sent" | "already-sent" | "failed";

/**
 * How far back a copy of a resent message is looked for, before the row's time: a `failed` row
 * records when the call failed, and the platform may have acted up to a request timeout earlier.
 */
const RESUME_MARGIN_MS = 10 * 60_000;

/** The delivery key of a recipient of a job, the same at every attempt. */
function deliveryKey(jobId: number, recipient: string): string {
  return `job:${jobId}:${recipient}`;
}

export class Deliveries {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /**
   * Sends to `recipient` (a stable key chosen by the feature, e.g. "member:42") exactly once for
   * this job, as long as `send` goes through the notifier (which passes the delivery key to the
   * platform). Never throws because of `send`: a failure is returned, so one unreachable person
   * does not stop a loop over the others.
   */
  async deliverOnce(jobId: number, recipient: string, send: (attempt: DeliveryAttempt) => Promise<unknown>): Promise<DeliveryOutcome> {
    const claim = await this.claim(jobId, recipient);
    if (claim === "already-sent") return claim;
    const attempt: DeliveryAttempt = { key: deliveryKey(jobId, recipient), ...(claim.resumedSince && { resumedSince: claim.resumedSince }) };
    try {
      await withinDelivery(attempt, () => send(attempt));
    } catch (error) {
      this.log.warn({ err: error, jobId, recipient }, "envoi échoué : il sera retenté si la tâche est relancée");
      await this.prisma.delivery
        .updateMany({
          where: { jobId, recipient, state: "sending" },
          data: { state: "failed", error: describeError(error), at: this.clock.now() },
        })
        .catch((err: unknown) => this.log.error({ err, jobId, recipient }, "échec d'envoi non enregistré (renvoyé sans doublon à la reprise)"));
      return "failed";
    }
    try {
      await this.prisma.delivery.updateMany({
        where: { jobId, recipient, state: "sending" },
        data: { state: "sent", error: null, at: this.clock.now() },
      });
    } catch (err) {
      // The message left; only the bookkeeping failed. A re-run resends it with the same key: no duplicate.
      this.log.error({ err, jobId, recipient }, "envoi fait mais non enregistré (confirmé sans doublon à la reprise)");
    }
    return "sent";
  }

  /**
   * Ends as `failed` the deliveries of a job still `sending` when the job itself gives up for good
   * (no run will come back to them), so none is left without an outcome.
   */
  async abandon(jobId: number, reason: string): Promise<number> {
    const { count } = await this.prisma.delivery.updateMany({
      where: { jobId, state: "sending" },
      data: { state: "failed", error: reason, at: this.clock.now() },
    });
    return count;
  }

  /** How many of a job's recipients have their message (the progress of runs that were interrupted). */
  sentCount(jobId: number): Promise<number> {
    return this.prisma.delivery.count({ where: { jobId, state: "sent" } });
  }

  /** The deliveries of a job, for admin views and tests. */
  list(jobId: number): Promise<DeliveryRecord[]> {
    return this.prisma.delivery.findMany({ where: { jobId }, orderBy: { id: "asc" } });
  }

  private async claim(jobId: number, recipient: string): Promise<"already-sent" | { resumedSince?: Date }> {
    const now = this.clock.now();
    try {
      await this.prisma.delivery.create({ data: { jobId, recipient, state: "sending", at: now } });
      return {};
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    // An earlier run recorded this recipient. Take it over unless it was sent, by a conditional
    // update of exactly the row seen: of two runs racing for it, only one wins.
    for (let round = 0; round < 5; round++) {
      const row = await this.prisma.delivery.findUnique({ where: { jobId_recipient: { jobId, recipient } } });
      if (!row || row.state === "sent") return "already-sent";
      const taken = await this.prisma.delivery.updateMany({
        where: { jobId, recipient, state: row.state, at: row.at },
        data: { state: "sending", error: null, at: now },
      });
      if (taken.count === 1) {
        if (row.state === "sending") {
          this.log.info({ jobId, recipient, since: row.at }, "envoi interrompu par un arrêt : renvoyé avec la même clé (sans doublon)");
        }
        return { resumedSince: new Date(row.at.getTime() - RESUME_MARGIN_MS) };
      }
    }
    throw new Error(`Envoi à « ${recipient} » disputé sans fin entre deux exécutions de la tâche ${jobId}.`);
  }
}
