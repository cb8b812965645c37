/**
 * How practice-analysis scheduling looks: the live post, the private answer view (eight slots ×
 * three answers would not fit Discord's five rows of five components, so each slot is a select
 * menu, four per page, with page buttons), the result, and the answers to /analyse. Neutral
 * replies only; the rules are in ./availability.ts.
 */
import { formatWhen } from "../dates.js";
import { platformsLabel, postingReport, type Published } from "../publication.js";
import { componentId, type Button, type ComponentRow, type Reply } from "../reply.js";
import { cut } from "../text-lists.js";
import { agree } from "../../shared/plural.js";
import type { AvailabilityDraft } from "./availability-draft.js";
import { ANSWER_KEYS, type Answer, type AnswerDetails, type AnswerSheet, type ChoiceOutcome, type MeetingOutcome, type PollWithSlots, type SlotCount } from "./availability-model.js";
import { slotLabel } from "./when.js";

/** The command every button of practice-analysis scheduling goes back to (commands/analyse.ts). */
export const AVAILABILITY_COMMAND = "analyse";
/** The component actions of that command; its handlers are keyed on these. */
export const AVAILABILITY_ACTIONS = { answer: "repondre", page: "page", slot: "dispo" } as const;
export type AvailabilityAction = (typeof AVAILABILITY_ACTIONS)[keyof typeof AVAILABILITY_ACTIONS];
export const AVAILABILITY_ROUTES = {
  /** « Répondre » under the posted poll: opens the member's private view. */
  answer: (pollId: number) => componentId(AVAILABILITY_COMMAND, AVAILABILITY_ACTIONS.answer, pollId),
  page: (pollId: number, page: number) => componentId(AVAILABILITY_COMMAND, AVAILABILITY_ACTIONS.page, pollId, page),
  /** One slot's select menu, with the page it is shown on (the view comes back on that page). */
  slot: (pollId: number, position: number, page: number) => componentId(AVAILABILITY_COMMAND, AVAILABILITY_ACTIONS.slot, pollId, position, page),
} as const;

const SLOTS_PER_PAGE = 4;
const ANSWERS: Record<Answer, string> = { oui: "Disponible", sibesoin: "Si besoin", non: "Indisponible" };
const ANSWER_ICONS: Record<Answer, string> = { oui: "✅", sibesoin: "🤔", non: "❌" };

const retained = (poll: PollWithSlots, slotId: number) => (slotId === poll.chosenSlotId ? " — retenu" : "");

/** The poll as posted: the counts of every slot, the « Répondre » button while open. */
export function availabilityMessage(poll: PollWithSlots, counts: readonly SlotCount[], timeZone: string): Reply {
  const open = poll.state === "open";
  const chosen = poll.slots.find((s) => s.id === poll.chosenSlotId);
  const text = open
    ? `Indiquez vos disponibilités pour chaque créneau avant le ${formatWhen(poll.closesAt, timeZone)} (bouton « Répondre »). Le créneau qui réunit le plus de « Disponible » sera retenu.`
    : chosen
      ? `Réponses closes. **Créneau retenu : ${slotLabel(chosen.startsAt, chosen.endsAt, timeZone)}.**`
      : "Réponses closes.";
  const where = [poll.place ? `Lieu : ${poll.place}` : "", poll.visioUrl ? `Visio : ${poll.visioUrl}` : ""].filter(Boolean).join(" · ");
  const components: ComponentRow[] = open ? [{ buttons: [{ kind: "button", id: AVAILABILITY_ROUTES.answer(poll.id), label: "Répondre", style: "primary" }] }] : [];
  return {
    title: cut(`🗓️ ${poll.title} — créneaux n°${poll.id}`, 256),
    text: where ? `${text}\n${where}` : text,
    fields: counts.map((c) => ({
      name: `${c.position}. ${slotLabel(c.startsAt, c.endsAt, timeZone)}${retained(poll, c.slotId)}`,
      value: `${ANSWER_ICONS.oui} ${ANSWERS.oui} : ${c.oui} · ${ANSWER_ICONS.sibesoin} ${ANSWERS.sibesoin} : ${c.sibesoin} · ${ANSWER_ICONS.non} ${ANSWERS.non} : ${c.non}`,
    })),
    components,
    tone: open ? "info" : "success",
  };
}

/** /analyse planifier: where it was posted, until when members answer. */
export function availabilityCreatedReply(published: Published<PollWithSlots>, draft: AvailabilityDraft): Reply {
  const { record: poll, refs, failures } = published;
  return {
    text: `Proposition de créneaux n°${poll.id} publiée (${platformsLabel(refs)}) : ${draft.slots.length} créneaux, réponses jusqu'au ${draft.closingReading}.${postingReport(failures)}`,
    private: true,
    tone: failures.length ? "warning" : "success",
  };
}

/** The page buttons of the answer view, when the slots need more than one page. */
function pageButtons(poll: PollWithSlots, current: number, pages: number): Button[] {
  const nav: Button[] = [];
  if (current > 1) nav.push({ kind: "button", id: AVAILABILITY_ROUTES.page(poll.id, current - 1), label: `◀ Créneaux ${(current - 2) * SLOTS_PER_PAGE + 1}–${(current - 1) * SLOTS_PER_PAGE}`, style: "secondary" });
  if (current < pages) nav.push({ kind: "button", id: AVAILABILITY_ROUTES.page(poll.id, current + 1), label: `Créneaux ${current * SLOTS_PER_PAGE + 1}–${Math.min(poll.slots.length, (current + 1) * SLOTS_PER_PAGE)} ▶`, style: "secondary" });
  return nav;
}

/** The private view where a member answers, four slots per page (a page out of range shows the nearest). */
export function answerSheetReply({ poll, mine }: AnswerSheet, page: number, timeZone: string): Reply {
  const pages = Math.ceil(poll.slots.length / SLOTS_PER_PAGE);
  const current = Math.min(Math.max(1, page), pages);
  const shown = poll.slots.slice((current - 1) * SLOTS_PER_PAGE, current * SLOTS_PER_PAGE);
  const components: ComponentRow[] = shown.map((s) => {
    const answer = mine.get(s.id);
    return {
      select: {
        kind: "select",
        id: AVAILABILITY_ROUTES.slot(poll.id, s.position, current),
        placeholder: cut(`${s.position}. ${slotLabel(s.startsAt, s.endsAt, timeZone)} — ${answer ? ANSWERS[answer] : "à renseigner"}`, 150),
        options: ANSWER_KEYS.map((a) => ({ label: `${ANSWER_ICONS[a]} ${ANSWERS[a]}`, value: a })),
      },
    };
  });
  if (pages > 1) components.push({ buttons: pageButtons(poll, current, pages) });
  const answered = poll.slots.filter((s) => mine.has(s.id)).length;
  return {
    title: cut(`Vos disponibilités — ${poll.title}`, 256),
    text: `Choisissez une réponse pour chaque créneau (${answered}/${poll.slots.length} ${agree(answered, "renseigné", "renseignés")}${pages > 1 ? `, page ${current}/${pages}` : ""}). Vous pouvez changer d'avis jusqu'au ${formatWhen(poll.closesAt, timeZone)}.`,
    components,
    private: true,
  };
}

/** How many answered, and (while open, once someone has) the slot that leads. */
function answeredLine(respondents: number, leading: number | null): string {
  if (respondents === 0) return "Personne n'a encore répondu.";
  const count = respondents === 1 ? "1 personne a répondu." : `${respondents} personnes ont répondu.`;
  return leading === null ? count : `${count} En tête pour l'instant : créneau ${leading}.`;
}

/** /analyse reponses: who answered what, slot by slot (for the animator's choice). */
export function detailsReply({ poll, answers, names, leading }: AnswerDetails, timeZone: string): Reply {
  return {
    title: cut(`Réponses — ${poll.title} (créneaux n°${poll.id})`, 256),
    text: answeredLine(new Set(answers.map((a) => a.memberId)).size, leading),
    fields: poll.slots.map((s) => {
      const of = (a: Answer) => answers.filter((x) => x.slotId === s.id && x.answer === a).map((x) => names.get(x.memberId) ?? `#${x.memberId}`).sort((a, b) => a.localeCompare(b, "fr"));
      return {
        name: `${s.position}. ${slotLabel(s.startsAt, s.endsAt, timeZone)}${retained(poll, s.id)}`,
        value: ANSWER_KEYS.map((a) => `${ANSWER_ICONS[a]} ${of(a).join(", ") || "—"}`).join("\n"),
      };
    }),
    private: true,
  };
}

/** Whether the meeting of the chosen slot is on the calendar. */
function meetingReady(meeting: MeetingOutcome): boolean {
  return meeting.kind === "exists" || meeting.kind === "created" || meeting.kind === "moved";
}

/** What became of the meeting, in one sentence (empty when there is nothing to say). */
function meetingLine(meeting: MeetingOutcome): string {
  switch (meeting.kind) {
    case "none":
      return "";
    case "exists":
      return "La rencontre existe déjà.";
    case "failed-before":
      return `Rencontre non créée : ${meeting.reason}.`;
    case "created":
      return `La rencontre « ${meeting.title} » est créée avec ses rappels${meeting.summary ? ` (${meeting.summary})` : ""}.`;
    case "not-created":
      return `⚠️ La rencontre n'a PAS été créée : ${meeting.reason}. Créez-la avec /rencontre pour ce créneau.`;
    case "moved":
      return `La rencontre est déplacée sur ce créneau, rappels compris${meeting.summary ? ` (${meeting.summary})` : ""}.`;
    case "not-moved":
      return `⚠️ La rencontre n'a PAS été déplacée (${meeting.error}) : modifiez-la avec /rencontre.`;
  }
}

/** /analyse choisir: the slot retained, what became of the meeting and of the posts. */
export function choiceReply(choice: ChoiceOutcome, timeZone: string): Reply {
  const { position, slot, meeting, failures } = choice;
  const label = slotLabel(slot.startsAt, slot.endsAt, timeZone);
  const head = choice.kind === "closed" ? `Créneau ${position} retenu (${label}) ; les réponses sont closes.` : `Créneau ${position} retenu à la place du précédent (${label}).`;
  return { text: `${head} ${meetingLine(meeting)}${failures ? postingReport(failures) : ""}`, private: true, tone: meetingReady(meeting) ? "success" : "warning" };
}

/** Posted when the animator switches to another slot after closing. */
export function slotChangePost(poll: PollWithSlots, slot: { startsAt: Date; endsAt: Date }, meeting: MeetingOutcome, timeZone: string): Reply {
  return {
    title: cut(`🗓️ ${poll.title} — changement de créneau`, 256),
    text: `L'animateur a retenu un autre créneau : **${slotLabel(slot.startsAt, slot.endsAt, timeZone)}**.${meetingReady(meeting) ? " La rencontre et ses rappels suivent ce changement." : ""}`,
    tone: "info",
  };
}

/** The chosen slot, posted once at closing. */
export function availabilityResultPost(poll: PollWithSlots, counts: readonly SlotCount[], meeting: MeetingOutcome, timeZone: string): Reply {
  const chosen = counts.find((c) => c.slotId === poll.chosenSlotId);
  const nobody = counts.every((c) => c.oui + c.sibesoin + c.non === 0);
  const text = chosen
    ? `**${slotLabel(chosen.startsAt, chosen.endsAt, timeZone)}** — ${ANSWERS.oui} : ${chosen.oui}, ${ANSWERS.sibesoin} : ${chosen.sibesoin}.` +
      `${poll.chosenBy === "animateur" ? " Créneau choisi par l'animateur." : nobody ? " Personne n'a répondu : le premier créneau est retenu." : ""}` +
      `${meetingReady(meeting) ? " La rencontre est au calendrier, avec ses rappels." : ""}`
    : "Aucun créneau retenu.";
  return { title: cut(`🗓️ ${poll.title} : créneau retenu`, 256), text, tone: "success" };
}

/** To the animator, privately, when the meeting of the chosen slot is missing; null when all is well. */
export function missingMeetingNotice(pollId: number, meeting: MeetingOutcome): Reply | null {
  const line = meetingLine(meeting);
  return meetingReady(meeting) || !line ? null : { text: `Proposition de créneaux n°${pollId} : ${line}` };
}
