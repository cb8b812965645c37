// The durable jobs a change of the journey plans, in the same transaction as the change: the
// message it causes, and the next point of the nudge chain. The handlers are in jobs.ts.
import type { JobStore } from "../../scheduler/index.js";
import type { Prisma } from "../../store/index.js";
import type { PlatformName } from "../interaction.js";
import { waypointDue, waypoints, type Journey, type NudgeSettings } from "./journey.js";

export const JOB_KINDS = {
  /** A message caused by a change: the current step (start, return), the end, a departure. */
  message: "onboarding.message",
  /** One point of the nudge chain: a reminder to the member, or the alert to the animator. */
  nudge: "onboarding.followup",
} as const;

/** The payloads of these kinds, for the compiler (see src/scheduler/job-kinds.ts). */
declare module "../../scheduler/index.js" {
  interface JobPayloads {
    [JOB_KINDS.message]: MessagePayload;
    [JOB_KINDS.nudge]: NudgePayload;
  }
}

export interface MessagePayload {
  journeyId: number;
  sequence: number;
  message: "etape" | "fin" | "depart" | "presentation";
  /** fin: ended by the animator (the member is told privately, the animator needs no word). */
  override?: boolean;
  /** depart: the platform left. */
  platform?: PlatformName;
  /** presentation: the text the member wrote. */
  text?: string;
}

export interface NudgePayload {
  journeyId: number;
  sequence: number;
  index: number;
}

type Tx = Prisma.TransactionClient;

const nudgePrefix = (journey: Journey) => `onboarding:${journey.id}:${journey.sequence}:relance:`;
const nudgeKey = (journey: Journey, index: number) => `${nudgePrefix(journey)}${index}`;

export class JourneyPlanner {
  constructor(
    private readonly jobs: JobStore,
    private readonly timeZone: string,
  ) {}

  async message(tx: Tx, journey: Journey, message: MessagePayload["message"], now: Date, extra: Partial<MessagePayload> = {}): Promise<void> {
    // "fin" and "presentation" happen once per journey; the others once per sequence (a return
    // sends the step again).
    const once = message === "fin" || message === "presentation";
    const key = once ? `onboarding:${journey.id}:${message}` : `onboarding:${journey.id}:${journey.sequence}:${message}`;
    const payload: MessagePayload = { journeyId: journey.id, sequence: journey.sequence, message, ...extra };
    await this.jobs.schedule({ kind: JOB_KINDS.message, dueAt: now, payload, dedupeKey: key }, tx);
  }

  /** Schedules the first point of the chain still to come, counted from the last progress. */
  async nudges(tx: Tx, journey: Journey, settings: NudgeSettings, now: Date): Promise<void> {
    const next = waypoints(settings).find((p) => waypointDue(journey.lastProgressAt, p.days, this.timeZone) > now);
    if (next) await this.nudge(journey, next.index, settings, tx);
  }

  async nudge(journey: Journey, index: number, settings: NudgeSettings, tx?: Tx): Promise<void> {
    const point = waypoints(settings)[index];
    if (!point) return;
    const payload: NudgePayload = { journeyId: journey.id, sequence: journey.sequence, index };
    await this.jobs.schedule(
      { kind: JOB_KINDS.nudge, dueAt: waypointDue(journey.lastProgressAt, point.days, this.timeZone), payload, dedupeKey: nudgeKey(journey, index) },
      tx,
    );
  }

  voidNudges(tx: Tx, journeyId: number): Promise<number> {
    return this.jobs.cancel({ kind: JOB_KINDS.nudge, where: (p) => p.journeyId === journeyId }, tx);
  }

  /**
   * After the animator changes the delays: the journey's open nudge (pending, or cancelled by an
   * earlier change of delays) moves to its point's new time, pending again; a point that no
   * longer exists is cancelled, and comes back if the delays return. True when a nudge is planned.
   */
  async replan(journey: Journey, settings: NudgeSettings): Promise<boolean> {
    const own = await this.jobs.list({ dedupeKeyPrefix: nudgePrefix(journey), limit: 500 });
    // The latest point of the current sequence: the chain goes on from it (earlier ones ran).
    const latest = own
      .map((job) => ({ job, index: (JSON.parse(job.payload) as NudgePayload).index }))
      .sort((a, b) => b.index - a.index)[0];
    if (!latest || (latest.job.state !== "pending" && latest.job.state !== "cancelled")) return false;
    if (!waypoints(settings)[latest.index]) {
      await this.jobs.cancel(latest.job.dedupeKey!);
      return false;
    }
    await this.nudge(journey, latest.index, settings);
    return true;
  }
}
