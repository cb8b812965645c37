/**
 * After a practice-analysis slot is chosen and its meeting exists: whoever answered « Disponible »
 * for that slot is registered « Je viens » (the meeting's seats and waiting list apply, first to
 * have answered first served), and every respondent is told privately which slot was chosen,
 * with the meeting's answer buttons. A durable job, one per chosen slot: each respondent is
 * served at most once (deliverOnce), and DMs closed send it to their inbox like any private
 * message (src/core/notifier.ts).
 */
import type { JobContext } from "../../scheduler/index.js";
import type { Prisma } from "../../store/index.js";
import { UserError } from "../errors.js";
import type { Reply } from "../reply.js";
import { cut } from "../text-lists.js";
import type { PracticeMeetings } from "./practice-meetings.js";
import { slotLabel } from "./when.js";
import type { PollDeps } from "./common.js";
import { plural } from "../../shared/plural.js";

export const OUTCOME_JOB = "availability.outcome";

/** The payloads of these kinds, for the compiler (see src/scheduler/job-kinds.ts). */
declare module "../../scheduler/index.js" {
  interface JobPayloads {
    [OUTCOME_JOB]: OutcomePayload;
  }
}

export interface OutcomePayload {
  pollId: number;
  slotId: number;
  /** Members who had answered the meeting before this choice: the meetings feature tells them of a move. */
  informed: number[];
}

/** One job per choice: choosing slot 1, then 2, then 1 again tells again (what was said last is what holds). */
const outcomeJobKey = (pollId: number, slotId: number, at: Date) => `availability:${pollId}:issue:${slotId}:${at.getTime()}`;

const ANSWER_WORDS: Record<string, string> = { oui: "Disponible", sibesoin: "Si besoin", non: "Indisponible" };

type Poll = Prisma.AvailabilityPollGetPayload<{ include: { slots: true } }>;

interface OutcomeDeps extends PollDeps {
  meetings: () => PracticeMeetings | undefined;
}

/** Queues the telling (in the caller's transaction when given). */
export async function scheduleOutcome(deps: OutcomeDeps, payload: OutcomePayload, tx?: Prisma.TransactionClient): Promise<void> {
  const now = deps.clock.now();
  await deps.services.jobs.schedule({ kind: OUTCOME_JOB, dueAt: now, payload, dedupeKey: outcomeJobKey(payload.pollId, payload.slotId, now) }, tx);
}

export async function tellOutcome(deps: OutcomeDeps, payload: OutcomePayload, ctx: JobContext): Promise<void> {
  const { db, services } = deps;
  const poll = await db.availabilityPoll.findUnique({ where: { id: payload.pollId }, include: { slots: true } });
  const port = deps.meetings();
  // Superseded by another choice, or no meeting to register into: nothing to say for this slot.
  if (!poll || poll.chosenSlotId !== payload.slotId || !poll.meetingId || !port) return;
  const slot = poll.slots.find((s) => s.id === payload.slotId)!;
  const answers = await db.availabilityAnswer.findMany({ where: { slotId: { in: poll.slots.map((s) => s.id) } }, orderBy: [{ answeredAt: "asc" }, { id: "asc" }] });
  const onSlot = new Map(answers.filter((a) => a.slotId === slot.id).map((a) => [a.memberId, a.answer]));
  // The « Disponible » first, in the order they answered: they take the seats in that order.
  const respondents = [...new Set([...answers.filter((a) => a.slotId === slot.id && a.answer === "oui"), ...answers].map((a) => a.memberId))];
  let failed = 0;
  for (const memberId of respondents) {
    if (ctx.signal.aborted) throw new Error("arrêt du bot pendant l'envoi du créneau retenu (reprise au prochain démarrage)");
    if (payload.informed.includes(memberId)) continue;
    const member = await services.members.get(memberId);
    if (!member) continue;
    const outcome = await ctx.deliverOnce(`membre:${memberId}`, async () => {
      const status = onSlot.get(memberId) === "oui" ? await register(port, poll.meetingId!, memberId) : answeredLine(onSlot.get(memberId));
      const result = await services.notifications.toMember(member, outcomeReply(deps, poll, slot, status, port), { inboxKey: `analyse:${poll.id}:creneau:${slot.id}` });
      if (result.refs.length === 0 && !result.inbox) throw new Error(result.failures.map((f) => `${f.platform} : ${f.error}`).join(" ; ") || "aucun compte joignable");
    });
    if (outcome === "failed") failed++;
  }
  if (failed > 0) throw new Error(`créneau retenu non transmis à ${plural(failed, "répondant", "répondants")} : nouvel essai`);
}

async function register(port: PracticeMeetings, meetingId: string, memberId: number): Promise<string> {
  try {
    const { waitlisted, position } = await port.register(meetingId, memberId);
    return waitlisted
      ? `Vous étiez disponible, mais les places sont prises : vous êtes sur la liste d'attente (position ${position ?? "?"}). Un message vous préviendra si une place se libère.`
      : "Vous étiez disponible : votre réponse « Je viens » est enregistrée pour cette rencontre. Vous pouvez la changer avec les boutons ci-dessous.";
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return `Vous étiez disponible, mais votre réponse n'a pas pu être enregistrée : ${err.message}`;
  }
}

function answeredLine(answer: string | undefined): string {
  const said = answer ? `Vous aviez répondu « ${ANSWER_WORDS[answer] ?? answer} » pour ce créneau` : "Vous n'aviez pas répondu pour ce créneau";
  return `${said} : dites si vous venez avec les boutons ci-dessous.`;
}

function outcomeReply(deps: OutcomeDeps, poll: Poll, slot: Poll["slots"][number], status: string, port: PracticeMeetings): Reply {
  const where = [poll.place ? `Lieu : ${poll.place}` : "", poll.visioUrl ? `Visio : ${poll.visioUrl}` : ""].filter(Boolean);
  return {
    title: cut(`🗓️ ${poll.title} : créneau retenu`, 256),
    text: [`Le créneau retenu est **${slotLabel(slot.startsAt, slot.endsAt, deps.timeZone)}**.`, ...where, "", status].join("\n"),
    components: [port.answerButtons(poll.meetingId!)],
  };
}
