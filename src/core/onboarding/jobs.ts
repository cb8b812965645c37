// The journey's job handlers: the message a change caused (planned in planning.ts), and each
// point of the nudge chain. Both re-read the journey when they run, so a job made stale by a
// progress, a departure or an end does nothing; each recipient is reached at most once
// (deliverOnce). Also the animator's « relancer », which sends the same nudge at once.
import type { JobContext, RunningJob } from "../../scheduler/index.js";
import { audit } from "../audit.js";
import type { Clock } from "../../shared/clock.js";
import { days as daysText } from "../dates.js";
import { UserError } from "../errors.js";
import type { PrismaClient } from "../../store/index.js";
import type { MemberDelivery } from "../notifier.js";
import { fill, memberValues } from "./content.js";
import type { JourneyDelivery } from "./delivery.js";
import { daysBetween, waypointDue, waypoints, type JourneyState } from "./journey.js";
import { JourneyPlanner, type MessagePayload, type NudgePayload } from "./planning.js";
import { platformPlace } from "../../platforms/catalog.js";
import type { Onboarding } from "./service.js";
import { endReport, stateReply } from "./views.js";

interface OnboardingJobsDeps {
  onboarding: Onboarding;
  delivery: JourneyDelivery;
  planner: JourneyPlanner;
  db: PrismaClient;
  clock: Clock;
}

const ANIMATOR_TITLE = "Accueil des nouveaux";

export class OnboardingJobs {
  constructor(private readonly deps: OnboardingJobsDeps) {}

  async runMessage(job: RunningJob<MessagePayload>, ctx: JobContext): Promise<void> {
    const { payload } = job;
    const { onboarding, delivery } = this.deps;
    const state = await onboarding.stateById(payload.journeyId);
    if (!state) return ctx.log.info({ journeyId: payload.journeyId }, "parcours d'accueil sans membre : message abandonné");
    const { content } = onboarding;
    const values = memberValues(content, state.member);
    const outcomes: string[] = [];
    const toMember = () => ctx.deliverOnce(`membre:${state.member.id}`, () => delivery.sendToMember(state.member, stateReply(onboarding, state)));
    if (payload.message === "etape") {
      // Superseded when the member moved on (or left) since: they have seen their step.
      if (state.journey.state !== "active" || state.journey.sequence !== payload.sequence) return;
      if (await onboarding.catchUp(state)) return;
      outcomes.push(await toMember());
    } else if (payload.message === "presentation") {
      const text = `**${state.member.displayName} se présente**\n\n${payload.text ?? ""}`;
      outcomes.push(await ctx.deliverOnce("salon:reseau", () => delivery.postToNetwork({ text })));
    } else if (payload.message === "depart") {
      const text = fill(content.relances.depart, { ...values, plateforme: platformPlace(payload.platform ?? "discord"), etape: onboarding.currentStep(state).label });
      outcomes.push(await ctx.deliverOnce("animateur", () => delivery.tellAnimator({ title: ANIMATOR_TITLE, text, tone: "warning" })));
    } else {
      outcomes.push(await ctx.deliverOnce("salon:reseau", () => delivery.postToNetwork({ text: fill(content.fin.salon, values) })));
      if (payload.override) outcomes.push(await toMember());
      else {
        const text = endReport(content, state, this.deps.clock.now());
        outcomes.push(await ctx.deliverOnce("animateur", () => delivery.tellAnimator({ title: ANIMATOR_TITLE, text, tone: "success" })));
      }
    }
    if (outcomes.includes("failed")) throw new Error("envoi échoué pour au moins un destinataire : nouvel essai");
  }

  async runNudge(job: RunningJob<NudgePayload>, ctx: JobContext): Promise<void> {
    const { payload } = job;
    const { onboarding, delivery } = this.deps;
    const state = await onboarding.stateById(payload.journeyId);
    // A progress, a departure or an end since this was planned makes it void.
    if (!state || state.journey.state !== "active" || state.journey.sequence !== payload.sequence) return;
    // Settled meanwhile (the member answered the meeting elsewhere, or it was cancelled): that is progress.
    if (await onboarding.catchUp(state)) return;
    const settings = await onboarding.settings();
    const points = waypoints(settings);
    const due = (i: number) => waypointDue(state.journey.lastProgressAt, points[i]!.days, onboarding.timeZone);
    // After a long stop of the bot, only the latest point that fell due is sent, not a burst.
    let index = payload.index;
    while (index + 1 < points.length && due(index + 1) <= ctx.now) index++;
    const point = points[index];
    if (!point) return;
    const values = memberValues(onboarding.content, state.member);
    let outcome;
    if (point.to === "membre") {
      const header = fill(onboarding.content.relances.membre, values);
      outcome = await ctx.deliverOnce(`membre:${state.member.id}`, async () => delivery.sendToMember(state.member, await stateReply(onboarding, state, header)));
    } else {
      const days = daysText(daysBetween(state.journey.lastProgressAt, ctx.now));
      const text = fill(onboarding.content.relances.animateur, { ...values, jours: days, etape: onboarding.currentStep(state).label });
      outcome = await ctx.deliverOnce("animateur", () => delivery.tellAnimator({ title: ANIMATOR_TITLE, text, tone: "warning" }));
    }
    if (outcome === "failed") throw new Error("relance non envoyée : nouvel essai");
    await this.deps.planner.nudge(state.journey, index + 1, settings);
  }

  /** /accueil relancer: the current step, privately, now. */
  async nudgeNow(memberId: number, actorId: number): Promise<{ state: JourneyState; delivery: MemberDelivery }> {
    const { onboarding } = this.deps;
    const state = await onboarding.stateOf(memberId);
    if (!state || state.journey.state !== "active") {
      throw new UserError(state ? `Pas de parcours d'accueil en cours pour ${state.member.displayName} (${state.journey.state === "completed" ? "terminé" : "arrêté : il reprendra à son retour"}).` : "Ce membre n'a pas de parcours d'accueil en cours (/accueil ajouter pour en lancer un).");
    }
    const header = fill(onboarding.content.relances.membre, memberValues(onboarding.content, state.member));
    const delivery = await this.deps.delivery.toMember(state.member, await stateReply(onboarding, state, header));
    const now = this.deps.clock.now();
    await this.deps.db.$transaction((tx) =>
      audit(tx, { actorId, action: "onboarding.nudge", targetType: "member", targetId: memberId, details: { étape: onboarding.currentStep(state).label, remis: delivery.refs.length } }, now),
    );
    return { state, delivery };
  }
}
