// The journey's state and rules: reading it, starting, stopping and ending it, recording its
// steps. Every change is one transaction that also (re)plans the durable jobs it implies
// (planning.ts), so a crash never leaves a journey whose reminders or closing messages were
// forgotten; the jobs themselves (jobs.ts) send at most once. Replies are built in views.ts.
import type { Logger } from "../../logger.js";
import { platformPlace } from "../../platforms/catalog.js";
import { isUniqueViolation, type Member, type Prisma, type PrismaClient } from "../../store/index.js";
import { audit } from "../audit.js";
import type { Clock } from "../../shared/clock.js";
import { formatDate } from "../dates.js";
import { UserError } from "../errors.js";
import type { PlatformName } from "../interaction.js";
import type { Services } from "../services.js";
import { onboardingContent, stepTitle, type LoadedContent } from "./content.js";
import {
  currentStepIndex,
  daysBetween,
  stepIndexOfKey,
  type Journey,
  type JourneyState,
  type JourneyView,
  type NudgeSettings,
} from "./journey.js";
import { JourneyPlanner } from "./planning.js";
import { readAllJourneys, readJourney, welcomingPeople, type People } from "./reading.js";
import { readSettings, writeSettings, type OnboardingSettings } from "./settings.js";
import type { MeetingChoice, NextWelcomeMeeting, WelcomeMeeting } from "./welcome-meeting.js";

/** Who moved the journey: the animator, the member, or the platform whose event did (a join, a leave). */
type Origin = "animateur" | "membre" | PlatformName;

type StartOutcome = "started" | "resumed" | "already" | "completed";

export type RecordOutcome =
  | { status: "recorded"; state: JourneyState; completed: boolean }
  | { status: "already" | "not-yet"; state: JourneyState }
  | { status: "no-journey" }
  | { status: "completed" | "stopped"; state: JourneyState };

/** What the views need besides the journey: the texts, and the data of the current step. */
export interface RenderContext {
  content: LoadedContent;
  timeZone: string;
  /** Needed by the welcome step only. */
  people?: People;
  /** Needed by the welcome-meeting step only: the meeting to answer, and the answers offered. */
  meeting?: WelcomeMeeting | null;
  choices?: readonly MeetingChoice[];
}

interface OnboardingDeps {
  db: PrismaClient;
  services: Services;
  clock: Clock;
  timeZone: string;
  log: Logger;
  /** The welcome meeting's side of the journey (step « rencontre »), backed by the meetings feature. */
  meetings: NextWelcomeMeeting;
  content?: LoadedContent;
}

/** Thrown inside a transaction when another one changed the journey first; nothing is written. */
class LostRace extends Error {}

export class Onboarding {
  readonly content: LoadedContent;
  private readonly meetings: NextWelcomeMeeting;
  private readonly plan: JourneyPlanner;

  constructor(private readonly deps: OnboardingDeps) {
    this.content = deps.content ?? onboardingContent();
    this.meetings = deps.meetings;
    this.plan = new JourneyPlanner(deps.services.jobs, deps.timeZone);
  }

  get timeZone(): string {
    return this.deps.timeZone;
  }

  private get db() {
    return this.deps.db;
  }

  private get steps() {
    return this.content.etapes;
  }

  settings(): Promise<OnboardingSettings> {
    return readSettings(this.deps.services.settings);
  }

  // ─── Reading ───────────────────────────────────────────────────────────────────────────────

  stateOf(memberId: number): Promise<JourneyState | null> {
    return readJourney(this.db, this.deps.services.members, { memberId });
  }

  stateById(journeyId: number): Promise<JourneyState | null> {
    return readJourney(this.db, this.deps.services.members, { id: journeyId });
  }

  /** Every journey whose member still exists, for /accueil suivi. */
  all(): Promise<JourneyState[]> {
    return readAllJourneys(this.db, this.deps.services.members);
  }

  /** Index of the current step (-1: all done) and its title, for lists and messages. */
  currentStep(state: JourneyView): { index: number; label: string } {
    const index = currentStepIndex(this.steps, state.progress);
    return { index, label: index === -1 ? "toutes les étapes faites" : stepTitle(this.content, index) };
  }

  // ─── What the views need ───────────────────────────────────────────────────────────────────

  async renderContext(state?: JourneyView): Promise<RenderContext> {
    const current = state ? this.steps[currentStepIndex(this.steps, state.progress)]?.type : undefined;
    return {
      content: this.content,
      timeZone: this.deps.timeZone,
      people: !state || current === "accueil" ? await welcomingPeople(this.db) : undefined,
      ...(current === "rencontre" && { meeting: await this.meetings.next(this.deps.clock.now()), choices: this.meetings.choices }),
    };
  }

  // ─── Start, stop, end ──────────────────────────────────────────────────────────────────────

  /**
   * Starts a journey (the member becomes ONBOARDING), or resumes a stopped one where it was.
   * The welcome (or the current step, on a return) goes out through a durable job.
   */
  async start(
    member: Member,
    how: { actorId: number | null; origin: Origin; channelId?: string; /** false when the caller shows the step itself. */ sendStep?: boolean },
  ): Promise<{ outcome: StartOutcome; state: JourneyState }> {
    if (member.status === "EXCLUDED") throw new UserError(`${member.displayName} ne fait plus partie du dispositif (exclusion) : pas de parcours d'accueil.`);
    const now = this.deps.clock.now();
    const settings = await this.settings();
    let outcome: StartOutcome;
    try {
      outcome = await this.db.$transaction(async (tx) => {
        const existing = await tx.onboardingJourney.findUnique({ where: { memberId: member.id } });
        if (existing?.state === "active") return "already";
        if (existing?.state === "completed") return "completed";
        const journey = existing
          ? await tx.onboardingJourney.update({
              where: { id: existing.id },
              data: { state: "active", stoppedAt: null, stopReason: null, lastProgressAt: now, sequence: { increment: 1 }, updatedAt: now, ...(how.channelId ? { originChannelId: how.channelId } : {}) },
            })
          : await tx.onboardingJourney.create({
              data: { memberId: member.id, startedAt: now, startedById: how.actorId, origin: how.origin, originChannelId: how.channelId ?? null, lastProgressAt: now, sequence: 1, createdAt: now, updatedAt: now },
            });
        if (member.status !== "ONBOARDING") {
          await tx.member.update({ where: { id: member.id }, data: { status: "ONBOARDING" } });
          await audit(tx, { actorId: how.actorId, action: "member.status", targetType: "member", targetId: member.id, details: { avant: member.status, après: "ONBOARDING" } }, now);
        }
        await audit(tx, { actorId: how.actorId, action: existing ? "onboarding.resume" : "onboarding.start", targetType: "member", targetId: member.id, details: { origine: how.origin } }, now);
        if (how.sendStep !== false) await this.plan.message(tx, journey, "etape", now);
        await this.plan.nudges(tx, journey, settings, now);
        return existing ? "resumed" : "started";
      });
    } catch (err) {
      // Two starts raced (Slack sends team_join and member_joined_channel together): one won.
      if (!isUniqueViolation(err)) throw err;
      outcome = "already";
    }
    return { outcome, state: (await this.stateOf(member.id))! };
  }

  /** Stops an active journey (the member left); false when there was none to stop. */
  async stop(memberId: number, platform: PlatformName): Promise<boolean> {
    const now = this.deps.clock.now();
    return this.db.$transaction(async (tx) => {
      const [journey] = await tx.onboardingJourney.updateManyAndReturn({
        where: { memberId, state: "active" },
        data: { state: "stopped", stoppedAt: now, stopReason: `a quitté ${platformPlace(platform)}`, sequence: { increment: 1 }, updatedAt: now },
      });
      if (!journey) return false;
      await this.plan.voidNudges(tx, journey.id);
      await audit(tx, { actorId: null, action: "onboarding.stop", targetType: "member", targetId: memberId, details: { motif: journey.stopReason } }, now);
      await this.plan.message(tx, journey, "depart", now, { platform });
      return true;
    });
  }

  /** The animator ends a journey by hand: the member becomes active whatever step they were at. */
  async override(memberId: number, actorId: number, reason: string): Promise<JourneyState> {
    const state = await this.stateOf(memberId);
    if (!state) throw new UserError("Ce membre n'a pas de parcours d'accueil : rien à terminer.");
    if (state.journey.state === "completed") {
      throw new UserError(`Parcours d'accueil déjà terminé pour ${state.member.displayName} (le ${formatDate(state.journey.completedAt!, this.deps.timeZone)}).`);
    }
    const step = this.currentStep(state).label;
    const now = this.deps.clock.now();
    await this.db.$transaction(async (tx) => {
      const [journey] = await tx.onboardingJourney.updateManyAndReturn({
        where: { id: state.journey.id, state: state.journey.state },
        data: { state: "completed", completedAt: now, completedById: actorId, overrideReason: reason, sequence: { increment: 1 }, updatedAt: now },
      });
      if (!journey) throw new UserError("Le parcours vient de changer : relancez la commande.");
      await this.activate(tx, state.member, actorId, now);
      await this.plan.voidNudges(tx, journey.id);
      await audit(tx, { actorId, action: "onboarding.override", targetType: "member", targetId: memberId, details: { étape: step, état: state.journey.state, motif: reason } }, now);
      await this.plan.message(tx, journey, "fin", now, { override: true });
    });
    return (await this.stateOf(memberId))!;
  }

  private async activate(tx: Prisma.TransactionClient, member: Member, actorId: number | null, now: Date): Promise<void> {
    const current = await tx.member.findUniqueOrThrow({ where: { id: member.id } });
    if (current.status === "ACTIVE") return;
    await tx.member.update({ where: { id: member.id }, data: { status: "ACTIVE", leftAt: null } });
    await audit(tx, { actorId, action: "member.status", targetType: "member", targetId: member.id, details: { avant: current.status, après: "ACTIVE" } }, now);
  }

  // ─── Progress ──────────────────────────────────────────────────────────────────────────────

  /**
   * Whether `key` may be recorded now: the journey is active and the key's step is the current
   * one or an earlier one. Callers check this before writing anything else (the profile).
   */
  async check(memberId: number, key: string): Promise<RecordOutcome | { status: "ok"; state: JourneyState }> {
    const state = await this.stateOf(memberId);
    if (!state) return { status: "no-journey" };
    if (state.journey.state !== "active") return { status: state.journey.state as "completed" | "stopped", state };
    const index = stepIndexOfKey(this.steps, key);
    const current = currentStepIndex(this.steps, state.progress);
    if (index === -1) return { status: "already", state };
    if (current !== -1 && index > current) return { status: "not-yet", state };
    return { status: "ok", state };
  }

  /**
   * Records one step (or part of one) once: the unique (journey, key) row makes a second press
   * of the same button a no-op. Reaching the welcome-meeting step settles it at once when it can
   * (none planned, or already answered), which ends the journey.
   */
  async record(
    memberId: number,
    key: string,
    details: Record<string, unknown> = {},
    /** More work in the same transaction, only when the key is recorded now (not on a second press). */
    alsoInTransaction?: (tx: Prisma.TransactionClient, journey: Journey) => Promise<void>,
  ): Promise<RecordOutcome> {
    const checked = await this.check(memberId, key);
    if (checked.status !== "ok") return checked;
    const { state } = checked;
    if (state.progress.has(key)) return { status: "already", state };
    const now = this.deps.clock.now();
    const rows = [{ key, details }];
    const after = new Map(state.progress).set(key, { at: now, details });
    if (key !== "rencontre" && this.steps[currentStepIndex(this.steps, after)]?.type === "rencontre") {
      const reached = await this.meetingStep(memberId, now);
      if (reached) {
        rows.push({ key: "rencontre", details: reached });
        after.set("rencontre", { at: now, details: reached });
      }
    }
    const completes = currentStepIndex(this.steps, after) === -1;
    const settings = completes ? undefined : await this.settings();
    try {
      await this.db.$transaction(async (tx) => {
        await tx.onboardingStep.createMany({ data: rows.map((r) => ({ journeyId: state.journey.id, key: r.key, doneAt: now, details: JSON.stringify(r.details) })) });
        const [journey] = await tx.onboardingJourney.updateManyAndReturn({
          where: { id: state.journey.id, state: "active" },
          data: { lastProgressAt: now, sequence: { increment: 1 }, updatedAt: now, ...(completes ? { state: "completed", completedAt: now } : {}) },
        });
        if (!journey) throw new LostRace();
        await this.plan.voidNudges(tx, journey.id);
        if (alsoInTransaction) await alsoInTransaction(tx, journey);
        if (completes) {
          await this.activate(tx, state.member, null, now);
          await audit(tx, { actorId: memberId, action: "onboarding.complete", targetType: "member", targetId: memberId, details: { jours: daysBetween(journey.startedAt, now) } }, now);
          await this.plan.message(tx, journey, "fin", now);
        } else await this.plan.nudges(tx, journey, settings!, now);
      });
    } catch (err) {
      if (!isUniqueViolation(err) && !(err instanceof LostRace)) throw err;
      const latest = (await this.stateOf(memberId))!;
      return latest.journey.state === "active" ? { status: "already", state: latest } : { status: latest.journey.state as "completed" | "stopped", state: latest };
    }
    return { status: "recorded", state: (await this.stateOf(memberId))!, completed: completes };
  }

  /**
   * Reaching the welcome-meeting step: with none planned, the step is done at once (the member
   * is told, the animator hears that one is needed with the end report); with one planned, it is
   * done once the member has answered (here, or from the meeting's own messages). Returns what to
   * record, or null while an answer is awaited.
   */
  private async meetingStep(memberId: number, now: Date): Promise<Record<string, unknown> | null> {
    const meeting = await this.meetings.next(now);
    if (!meeting) return { rencontre: null };
    const answer = await this.meetings.answerOf(meeting.id, memberId);
    return answer ? { rencontre: meeting.id, titre: meeting.title, date: meeting.startsAt.toISOString(), réponse: answer } : null;
  }

  /** The newcomer answers the welcome meeting's invitation: recorded by the meetings feature, then the step. */
  async answerMeeting(member: Member, meetingId: number, choice: string): Promise<{ notice: string; outcome: RecordOutcome }> {
    const checked = await this.check(member.id, "rencontre");
    if (checked.status !== "ok") return { notice: "", outcome: checked };
    const notice = await this.meetings.answer(meetingId, member, choice);
    const answer = await this.meetings.answerOf(meetingId, member.id);
    const outcome = await this.record(member.id, "rencontre", { rencontre: meetingId, réponse: answer });
    return { notice: `✅ ${notice}`, outcome };
  }

  /**
   * At the welcome-meeting step, things change without the member: the meeting gets planned or
   * cancelled, they answer from the meeting's own message. Before showing the step (or nudging
   * about it), settle it: done when none is planned any more or when they have answered.
   */
  async catchUp(state: JourneyState): Promise<RecordOutcome | null> {
    const current = this.steps[currentStepIndex(this.steps, state.progress)];
    if (state.journey.state !== "active" || current?.type !== "rencontre") return null;
    const reached = await this.meetingStep(state.member.id, this.deps.clock.now());
    return reached ? this.record(state.member.id, "rencontre", reached) : null;
  }

  /** Whether a network channel is set on at least one connected platform (where the intro goes). */
  async hasNetworkChannel(): Promise<boolean> {
    const { notifications, settings } = this.deps.services;
    for (const platform of notifications.platforms) if (await settings.channel(platform, "reseau")) return true;
    return false;
  }

  /** Records the presentation step and posts the member's text in the network channel (a durable job, once). */
  publishIntro(memberId: number, text: string): Promise<RecordOutcome> {
    return this.record(memberId, "presentation", { publiée: "par le bot" }, (tx, journey) =>
      this.plan.message(tx, journey, "presentation", this.deps.clock.now(), { text }),
    );
  }

  /**
   * The animator's change of the settings (options already validated one by one), with the
   * audit entry; the planned nudges follow new delays at once. Returns how many journeys moved.
   */
  async changeSettings(patch: Partial<OnboardingSettings>, actorId: number): Promise<{ settings: OnboardingSettings; replanned: number }> {
    const next = await writeSettings(this.db, this.deps.clock, await this.settings(), patch, actorId);
    const delaysChanged = patch.reminderDays !== undefined || patch.alertDays !== undefined;
    return { settings: next, replanned: delaysChanged ? await this.replan(next) : 0 };
  }

  /**
   * After the animator changes the delays: each active journey's open nudge moves to its point's
   * new time (see JourneyPlanner.replan). Returns how many journeys have a nudge planned under
   * the new delays.
   */
  async replan(settings: NudgeSettings): Promise<number> {
    const journeys = await this.db.onboardingJourney.findMany({ where: { state: "active" }, orderBy: { id: "asc" } });
    let planned = 0;
    for (const journey of journeys) if (await this.plan.replan(journey, settings)) planned++;
    return planned;
  }
}
