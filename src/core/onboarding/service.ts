// The journey's state changes and the messages they cause. Every change is one transaction that
// also (re)plans the durable jobs it implies, so a crash never leaves a journey whose reminders
// or closing messages were forgotten; the jobs themselves send at most once (deliverOnce).
import type { Logger } from "../../logger.js";
import type { JobContext, RunningJob } from "../../scheduler/index.js";
import { isUniqueViolation } from "../../scheduler/errors.js";
import type { Member, Prisma } from "../../store/index.js";
import { audit } from "../audit.js";
import type { Clock } from "../clock.js";
import { days as daysText, formatDate } from "../dates.js";
import { UserError } from "../errors.js";
import type { PlatformEvent } from "../events.js";
import type { PlatformName } from "../interaction.js";
import { toStorePlatform, type MemberWithAccounts } from "../members.js";
import type { MemberDelivery } from "../notifier.js";
import type { Reply } from "../reply.js";
import type { Services } from "../services.js";
import { fill, onboardingContent, type LoadedContent } from "./content.js";
import {
  currentStepIndex,
  daysBetween,
  stepIndexOfKey,
  waypointDue,
  waypoints,
  type NudgeSettings,
  type StepRecord,
} from "./journey.js";
import { completionReply, journeyReply, memberValues, stepTitle, type JourneyView, type People, type RenderContext } from "./render.js";
import { readSettings, type OnboardingSettings } from "./settings.js";
import { welcomeMeetingsFor, type NextWelcomeMeeting } from "./welcome-meeting.js";

export type Journey = Prisma.OnboardingJourneyModel;
export type Origin = "animateur" | "discord" | "slack" | "matrix" | "membre";

export interface JourneyState extends JourneyView {
  journey: Journey;
  member: MemberWithAccounts;
  progress: Map<string, StepRecord>;
}

export const JOB_KINDS = {
  /** A message caused by a change: the current step (start, return), the end, a departure. */
  message: "onboarding.message",
  /** One point of the nudge chain: a reminder to the member, or the alert to the animator. */
  nudge: "onboarding.relance",
} as const;

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

export type StartOutcome = "started" | "resumed" | "already" | "completed";

export type RecordOutcome =
  | { status: "recorded"; state: JourneyState; completed: boolean }
  | { status: "already" | "not-yet"; state: JourneyState }
  | { status: "no-journey" }
  | { status: "completed" | "stopped"; state: JourneyState };

export interface OnboardingDeps {
  services: Services;
  clock: Clock;
  timezone: string;
  log: Logger;
  meetings?: NextWelcomeMeeting;
  content?: LoadedContent;
}

const PLATFORM_PLACES: Record<PlatformName, string> = {
  discord: "le serveur Discord du réseau",
  slack: "l'espace Slack du réseau",
  matrix: "les salons Matrix du réseau",
  console: "la console",
};

/** Thrown inside a transaction when another one changed the journey first; nothing is written. */
class LostRace extends Error {}

export class Onboarding {
  readonly content: LoadedContent;
  private readonly meetings: NextWelcomeMeeting;

  constructor(private readonly deps: OnboardingDeps) {
    this.content = deps.content ?? onboardingContent();
    this.meetings = deps.meetings ?? welcomeMeetingsFor(deps);
  }

  private get db() {
    return this.deps.services.db;
  }

  private get steps() {
    return this.content.etapes;
  }

  settings(): Promise<OnboardingSettings> {
    return readSettings(this.deps.services.settings);
  }

  // ─── Reading ───────────────────────────────────────────────────────────────────────────────

  async stateOf(memberId: number): Promise<JourneyState | null> {
    const journey = await this.db.onboardingJourney.findUnique({ where: { memberId }, include: { steps: true } });
    return journey ? this.withMember(journey) : null;
  }

  private async stateById(journeyId: number): Promise<JourneyState | null> {
    const journey = await this.db.onboardingJourney.findUnique({ where: { id: journeyId }, include: { steps: true } });
    return journey ? this.withMember(journey) : null;
  }

  /** Null when the member is gone (a first-contact stub merged into another record). */
  private async withMember(journey: Journey & { steps: Prisma.OnboardingStepModel[] }): Promise<JourneyState | null> {
    const member = await this.deps.services.members.get(journey.memberId);
    if (!member) return null;
    const { steps, ...rest } = journey;
    return { journey: rest, member, progress: progressOf(steps) };
  }

  /** Every journey whose member still exists, for /accueil suivi. */
  async all(): Promise<JourneyState[]> {
    const journeys = await this.db.onboardingJourney.findMany({ include: { steps: true }, orderBy: { startedAt: "asc" } });
    const members = new Map((await this.deps.services.members.all()).map((m) => [m.id, m]));
    return journeys.flatMap(({ steps, ...journey }) => {
      const member = members.get(journey.memberId);
      return member ? [{ journey, member, progress: progressOf(steps) }] : [];
    });
  }

  /** Index of the current step (-1: all done) and its title, for lists and messages. */
  currentStep(state: JourneyView): { index: number; label: string } {
    const index = currentStepIndex(this.steps, state.progress);
    return { index, label: index === -1 ? "toutes les étapes faites" : stepTitle(this.content, index) };
  }

  // ─── Views ─────────────────────────────────────────────────────────────────────────────────

  async renderContext(state?: JourneyView): Promise<RenderContext> {
    const current = state ? this.steps[currentStepIndex(this.steps, state.progress)]?.type : undefined;
    return {
      content: this.content,
      timezone: this.deps.timezone,
      people: !state || current === "accueil" ? await this.people() : undefined,
      ...(current === "rencontre" && { meeting: await this.meetings.next(this.deps.clock.now()), choices: this.meetings.choices }),
    };
  }

  /** The member's journey as they should see it now, with an optional line on what was just done. */
  async view(state: JourneyState, notice?: string): Promise<Reply> {
    if (state.journey.state === "stopped") {
      return { text: `Votre parcours d'accueil est en pause (vous avez ${state.journey.stopReason ?? "quitté le réseau"}). Tapez \`/accueil parcours\` pour le reprendre là où vous en étiez.`, private: true };
    }
    const ctx = await this.renderContext(state);
    if (state.journey.state === "completed") {
      const when = formatDate(state.journey.completedAt ?? state.journey.updatedAt, this.deps.timezone);
      return completionReply(ctx, state, false, notice ?? `Votre accueil dans le réseau est terminé depuis le ${when}.`);
    }
    return journeyReply(ctx, state, notice);
  }

  /** The answer to a button or form of the journey, from what recording it did. */
  async outcomeReply(outcome: RecordOutcome, notices: { done: string; already?: string }): Promise<Reply> {
    switch (outcome.status) {
      case "no-journey":
        return { text: "Vous n'avez pas de parcours d'accueil en cours : tapez `/accueil parcours` pour le commencer ou le reprendre.", private: true };
      case "recorded":
        if (outcome.completed) return completionReply(await this.renderContext(outcome.state), outcome.state, true, notices.done);
        return this.view(outcome.state, notices.done);
      case "already":
        return this.view(outcome.state, notices.already);
      case "not-yet":
        return this.view(outcome.state, "Une étape à la fois : voici celle qui vous attend.");
      default:
        return this.view(outcome.state);
    }
  }

  /** Who welcomes newcomers, named in the welcome step. */
  async people(): Promise<People> {
    const staff = await this.db.member.findMany({
      where: { role: { in: ["ANIMATEUR", "REFERENT_CAF"] }, status: "ACTIVE" },
      orderBy: { id: "asc" },
    });
    const names = (role: Member["role"]) => staff.filter((m) => m.role === role).map((m) => m.displayName);
    const list = (items: string[], fallback: string) => (items.length ? items.join(", ") : fallback);
    return {
      animateurs: list(names("ANIMATEUR"), "l'animateur du réseau, qui se présentera très vite"),
      referents: list(names("REFERENT_CAF"), "le référent Promeneurs du Net de la Caf des Vosges"),
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
        if (how.sendStep !== false) await this.scheduleMessage(tx, journey, "etape", now);
        await this.planNudges(tx, journey, settings, now);
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
        data: { state: "stopped", stoppedAt: now, stopReason: `a quitté ${PLATFORM_PLACES[platform]}`, sequence: { increment: 1 }, updatedAt: now },
      });
      if (!journey) return false;
      await this.voidNudges(tx, journey.id);
      await audit(tx, { actorId: null, action: "onboarding.stop", targetType: "member", targetId: memberId, details: { motif: journey.stopReason } }, now);
      await this.scheduleMessage(tx, journey, "depart", now, { platform });
      return true;
    });
  }

  /** The animator ends a journey by hand: the member becomes active whatever step they were at. */
  async override(memberId: number, actorId: number, reason: string): Promise<JourneyState> {
    const state = await this.stateOf(memberId);
    if (!state) throw new UserError("Ce membre n'a pas de parcours d'accueil : rien à terminer.");
    if (state.journey.state === "completed") {
      throw new UserError(`Parcours d'accueil déjà terminé pour ${state.member.displayName} (le ${formatDate(state.journey.completedAt!, this.deps.timezone)}).`);
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
      await this.voidNudges(tx, journey.id);
      await audit(tx, { actorId, action: "onboarding.override", targetType: "member", targetId: memberId, details: { étape: step, état: state.journey.state, motif: reason } }, now);
      await this.scheduleMessage(tx, journey, "fin", now, { override: true });
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
        await this.voidNudges(tx, journey.id);
        if (alsoInTransaction) await alsoInTransaction(tx, journey);
        if (completes) {
          await this.activate(tx, state.member, null, now);
          await audit(tx, { actorId: memberId, action: "onboarding.complete", targetType: "member", targetId: memberId, details: { jours: daysBetween(journey.startedAt, now) } }, now);
          await this.scheduleMessage(tx, journey, "fin", now);
        } else await this.planNudges(tx, journey, settings!, now);
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
      this.scheduleMessage(tx, journey, "presentation", this.deps.clock.now(), { text }),
    );
  }

  // ─── Jobs ──────────────────────────────────────────────────────────────────────────────────

  private async scheduleMessage(tx: Prisma.TransactionClient, journey: Journey, message: MessagePayload["message"], now: Date, extra: Partial<MessagePayload> = {}): Promise<void> {
    // "fin" and "presentation" happen once per journey; the others once per sequence (a return
    // sends the step again).
    const once = message === "fin" || message === "presentation";
    const key = once ? `onboarding:${journey.id}:${message}` : `onboarding:${journey.id}:${journey.sequence}:${message}`;
    const payload: MessagePayload = { journeyId: journey.id, sequence: journey.sequence, message, ...extra };
    await this.deps.services.jobs.schedule({ kind: JOB_KINDS.message, dueAt: now, payload, dedupeKey: key }, tx);
  }

  /** Schedules the first point of the chain still to come, counted from the last progress. */
  private async planNudges(tx: Prisma.TransactionClient, journey: Journey, settings: NudgeSettings, now: Date): Promise<void> {
    const next = waypoints(settings).find((p) => waypointDue(journey.lastProgressAt, p.days, this.deps.timezone) > now);
    if (next) await this.scheduleNudge(journey, next.index, settings, tx);
  }

  private async scheduleNudge(journey: Journey, index: number, settings: NudgeSettings, tx?: Prisma.TransactionClient): Promise<void> {
    const point = waypoints(settings)[index];
    if (!point) return;
    const payload: NudgePayload = { journeyId: journey.id, sequence: journey.sequence, index };
    await this.deps.services.jobs.schedule(
      { kind: JOB_KINDS.nudge, dueAt: waypointDue(journey.lastProgressAt, point.days, this.deps.timezone), payload, dedupeKey: nudgeKey(journey, index) },
      tx,
    );
  }

  private voidNudges(tx: Prisma.TransactionClient, journeyId: number): Promise<number> {
    return this.deps.services.jobs.cancel<NudgePayload>({ kind: JOB_KINDS.nudge, where: (p) => p.journeyId === journeyId }, tx);
  }

  /**
   * After the animator changes the delays: each active journey's open nudge (pending, or cancelled
   * by an earlier change of delays) moves to its point's new time, pending again; a point that no
   * longer exists is cancelled, and comes back if the delays return. Returns how many journeys
   * have a nudge planned under the new delays.
   */
  async replan(settings: NudgeSettings): Promise<number> {
    const journeys = await this.db.onboardingJourney.findMany({ where: { state: "active" }, orderBy: { id: "asc" } });
    let planned = 0;
    for (const journey of journeys) if (await this.replanJourney(journey, settings)) planned++;
    return planned;
  }

  private async replanJourney(journey: Journey, settings: NudgeSettings): Promise<boolean> {
    const { jobs } = this.deps.services;
    const own = await jobs.list({ dedupeKeyPrefix: nudgePrefix(journey), limit: 500 });
    // The latest point of the current sequence: the chain goes on from it (earlier ones ran).
    const latest = own
      .map((job) => ({ job, index: (JSON.parse(job.payload) as NudgePayload).index }))
      .sort((a, b) => b.index - a.index)[0];
    if (!latest || (latest.job.state !== "pending" && latest.job.state !== "cancelled")) return false;
    if (!waypoints(settings)[latest.index]) {
      await jobs.cancel(latest.job.dedupeKey!);
      return false;
    }
    await this.scheduleNudge(journey, latest.index, settings);
    return true;
  }

  async runMessage(job: RunningJob<MessagePayload>, ctx: JobContext): Promise<void> {
    const { payload } = job;
    const state = await this.stateById(payload.journeyId);
    if (!state) return ctx.log.info({ journeyId: payload.journeyId }, "parcours d'accueil sans membre : message abandonné");
    const values = memberValues(this.content, state.member);
    const outcomes: string[] = [];
    if (payload.message === "etape") {
      // Superseded when the member moved on (or left) since: they have seen their step.
      if (state.journey.state !== "active" || state.journey.sequence !== payload.sequence) return;
      if (await this.catchUp(state)) return;
      outcomes.push(await ctx.deliverOnce(`membre:${state.member.id}`, () => this.sendToMember(state.member, this.view(state))));
    } else if (payload.message === "presentation") {
      const text = `**${state.member.displayName} se présente**\n\n${payload.text ?? ""}`;
      outcomes.push(await ctx.deliverOnce("salon:reseau", () => this.postToNetwork({ text })));
    } else if (payload.message === "depart") {
      const text = fill(this.content.relances.depart, { ...values, plateforme: PLATFORM_PLACES[payload.platform ?? "discord"], etape: this.currentStep(state).label });
      outcomes.push(await ctx.deliverOnce("animateur", () => this.tellAnimator({ title: "Accueil des nouveaux", text, tone: "warning" })));
    } else {
      const welcome = fill(this.content.fin.salon, values);
      outcomes.push(await ctx.deliverOnce("salon:reseau", () => this.postToNetwork({ text: welcome })));
      if (payload.override) {
        outcomes.push(await ctx.deliverOnce(`membre:${state.member.id}`, () => this.sendToMember(state.member, this.view(state))));
      } else {
        outcomes.push(await ctx.deliverOnce("animateur", () => this.tellAnimator({ title: "Accueil des nouveaux", text: this.endReport(state), tone: "success" })));
      }
    }
    if (outcomes.includes("failed")) throw new Error("envoi échoué pour au moins un destinataire : nouvel essai");
  }

  private endReport(state: JourneyState): string {
    const values = memberValues(this.content, state.member);
    const days = daysText(daysBetween(state.journey.startedAt, state.journey.completedAt ?? this.deps.clock.now()));
    const visible = state.member.directoryConsent ? "visible dans l'annuaire" : "absent de l'annuaire (sans consentement)";
    const lines = [fill(this.content.fin.animateur, { ...values, jours: days, annuaire_visible: visible })];
    const invitation = state.progress.get("rencontre");
    if (invitation && invitation.details.rencontre === null) lines.push(fill(this.content.fin.sans_rencontre, values));
    return lines.join("\n\n");
  }

  async runNudge(job: RunningJob<NudgePayload>, ctx: JobContext): Promise<void> {
    const { payload } = job;
    const state = await this.stateById(payload.journeyId);
    // A progress, a departure or an end since this was planned makes it void.
    if (!state || state.journey.state !== "active" || state.journey.sequence !== payload.sequence) return;
    // Settled meanwhile (the member answered the meeting elsewhere, or it was cancelled): that is progress.
    if (await this.catchUp(state)) return;
    const settings = await this.settings();
    const points = waypoints(settings);
    const due = (i: number) => waypointDue(state.journey.lastProgressAt, points[i]!.days, this.deps.timezone);
    // After a long stop of the bot, only the latest point that fell due is sent, not a burst.
    let index = payload.index;
    while (index + 1 < points.length && due(index + 1) <= ctx.now) index++;
    const point = points[index];
    if (!point) return;
    const days = daysText(daysBetween(state.journey.lastProgressAt, ctx.now));
    let outcome;
    if (point.to === "membre") {
      const header = fill(this.content.relances.membre, memberValues(this.content, state.member));
      outcome = await ctx.deliverOnce(`membre:${state.member.id}`, async () => this.sendToMember(state.member, await this.view(state, header)));
    } else {
      const text = fill(this.content.relances.animateur, { ...memberValues(this.content, state.member), jours: days, etape: this.currentStep(state).label });
      outcome = await ctx.deliverOnce("animateur", () => this.tellAnimator({ title: "Accueil des nouveaux", text, tone: "warning" }));
    }
    if (outcome === "failed") throw new Error("relance non envoyée : nouvel essai");
    await this.scheduleNudge(state.journey, index + 1, settings);
  }

  /** /accueil relancer: the current step, privately, now. */
  async nudgeNow(memberId: number, actorId: number): Promise<{ state: JourneyState; delivery: MemberDelivery }> {
    const state = await this.stateOf(memberId);
    if (!state || state.journey.state !== "active") {
      throw new UserError(state ? `Pas de parcours d'accueil en cours pour ${state.member.displayName} (${state.journey.state === "completed" ? "terminé" : "arrêté : il reprendra à son retour"}).` : "Ce membre n'a pas de parcours d'accueil en cours (/accueil ajouter pour en lancer un).");
    }
    const header = fill(this.content.relances.membre, memberValues(this.content, state.member));
    const delivery = await this.deps.services.notifications.toMember(state.member, await this.view(state, header));
    const now = this.deps.clock.now();
    await this.db.$transaction((tx) =>
      audit(tx, { actorId, action: "onboarding.nudge", targetType: "member", targetId: memberId, details: { étape: this.currentStep(state).label, remis: delivery.refs.length } }, now),
    );
    return { state, delivery };
  }

  // ─── Sending ───────────────────────────────────────────────────────────────────────────────

  /** Privately, with the « rappels » channel as the fallback; throws when nothing could be delivered. */
  private async sendToMember(member: MemberWithAccounts, reply: Reply | Promise<Reply>): Promise<void> {
    const result = await this.deps.services.notifications.toMember(member, await reply);
    // Kept in the inbox (closed DMs): the member reads it with /messages, sending again changes nothing.
    if (result.refs.length > 0 || result.inbox) return;
    if (result.failures.length > 0) throw new Error(result.failures.map((f) => `${f.platform} : ${f.error}`).join(" ; "));
    this.deps.log.warn({ member: member.id }, "membre sans compte sur une plateforme connectée : message d'accueil non envoyé");
  }

  /** Posts in the network channel of every platform that has one. */
  async postToNetwork(reply: Reply): Promise<string[]> {
    const { refs, failures } = await this.deps.services.notifications.toChannel("reseau", reply);
    const broken = failures.filter((f) => !f.error.startsWith("aucun salon"));
    if (refs.length === 0 && broken.length > 0) throw new Error(broken.map((f) => `${f.platform} : ${f.error}`).join(" ; "));
    if (refs.length === 0) this.deps.log.warn("aucun salon « reseau » configuré : message de bienvenue non publié");
    return refs.map((r) => r.platform);
  }

  /**
   * The animator's space (« animation » channel); where no platform has one, a private message
   * to each active animator (or administrator, when the network has no animator yet).
   */
  async tellAnimator(reply: Reply): Promise<void> {
    const { notifications } = this.deps.services;
    const posted = await notifications.toChannel("animation", reply);
    if (posted.refs.length > 0) return;
    const staff = await this.db.member.findMany({ where: { role: { in: ["ANIMATEUR", "ADMIN"] }, status: "ACTIVE" }, include: { accounts: true }, orderBy: { id: "asc" } });
    const animators = staff.filter((m) => m.role === "ANIMATEUR");
    const targets = animators.length > 0 ? animators : staff;
    if (targets.length === 0) return this.deps.log.warn("ni salon « animation » ni animateur actif : message à l'animateur non envoyé");
    let delivered = 0;
    for (const target of targets) delivered += (await notifications.toMember(target, reply)).refs.length;
    if (delivered === 0) throw new Error("message à l'animateur non remis (salon « animation » absent, messages privés en échec)");
  }

  // ─── Platform events ───────────────────────────────────────────────────────────────────────

  /**
   * Someone joined the Discord server, the Slack workspace, or a Slack channel. A journey
   * starts (or resumes) for a newcomer; members already active, inactive or excluded are left
   * alone, and of the channels only the network's one counts.
   */
  async onJoined(event: Extract<PlatformEvent, { type: "joined" }>): Promise<void> {
    const settings = await this.settings();
    if (!settings.autoStart) return;
    const platform = event.user.platform;
    if (event.channelId && event.channelId !== (await this.deps.services.settings.channel(platform, "reseau"))) return;
    const account = await this.db.platformAccount.findUnique({
      where: { platform_externalId: { platform: toStorePlatform(platform), externalId: event.user.id } },
      include: { member: true },
    });
    if (account && !["ONBOARDING", "CANDIDATE"].includes(account.member.status)) return;
    const member = account?.member ?? (await this.deps.services.members.resolveOrRegister(event.user));
    const { outcome } = await this.start(member, { actorId: null, origin: platform === "console" ? "membre" : platform, channelId: event.channelId });
    this.deps.log.info({ member: member.id, platform, outcome }, "parcours d'accueil à l'arrivée");
  }

  /**
   * Someone left the Discord server, or a Slack channel: leaving stops the journey; of the
   * channels, only the network's one and the one whose join started the journey count.
   */
  async onLeft(event: Extract<PlatformEvent, { type: "left" }>): Promise<void> {
    const platform = event.user.platform;
    const account = await this.db.platformAccount.findUnique({
      where: { platform_externalId: { platform: toStorePlatform(platform), externalId: event.user.id } },
    });
    if (!account) return;
    const journey = await this.db.onboardingJourney.findUnique({ where: { memberId: account.memberId } });
    if (!journey || journey.state !== "active") return;
    if (event.channelId) {
      const network = await this.deps.services.settings.channel(platform, "reseau");
      if (event.channelId !== journey.originChannelId && event.channelId !== network) return;
    }
    if (await this.stop(account.memberId, platform)) this.deps.log.info({ member: account.memberId, platform }, "parcours d'accueil arrêté : départ");
  }
}

/**
 * Members whose journey ended while no welcome meeting was planned, and who have therefore not
 * been invited to one yet: for the meetings feature, whose « nouveaux » public counts only
 * members still onboarding.
 */
export async function awaitingWelcomeMeeting(db: Services["db"]): Promise<number[]> {
  const rows = await db.onboardingStep.findMany({
    where: { key: "rencontre", details: JSON.stringify({ rencontre: null }), journey: { state: "completed" } },
    select: { journey: { select: { memberId: true } } },
    orderBy: { doneAt: "asc" },
  });
  return rows.map((r) => r.journey.memberId);
}

export function progressOf(steps: readonly Prisma.OnboardingStepModel[]): Map<string, StepRecord> {
  return new Map(steps.map((s) => [s.key, { at: s.doneAt, details: parseDetails(s.details) }]));
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const nudgePrefix = (journey: Journey) => `onboarding:${journey.id}:${journey.sequence}:relance:`;
const nudgeKey = (journey: Journey, index: number) => `${nudgePrefix(journey)}${index}`;
