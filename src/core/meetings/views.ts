/** How meetings look in messages: the channel card, reminders, notices, the calendar event. Neutral replies only. */
import { formatMinutes } from "../date-input.js";
import { formatWhen } from "../dates.js";
import type { CalendarEvent } from "../notifier.js";
import { plural } from "../../shared/plural.js";
import { componentId, type Button, type Reply } from "../reply.js";
import { AUDIENCES, ANSWER_LABELS, CHOICES, MEETING_TYPES, type Answer, type Audience, type Choice, type MeetingRecord, type MeetingType } from "./model.js";
import type { NoticePayload } from "./planning.js";
import type { Counts } from "./reading.js";

/** The command every meeting button goes back to (commands/rencontre.ts). */
export const MEETING_COMMAND = "rencontre";
/** The component actions of that command; its handlers are keyed on these. */
export const MEETING_ACTIONS = { rsvp: "rsvp", attendance: "presences" } as const;
export type MeetingAction = (typeof MEETING_ACTIONS)[keyof typeof MEETING_ACTIONS];
export const MEETING_ROUTES = {
  rsvp: (meetingId: number, choice: Choice) => componentId(MEETING_COMMAND, MEETING_ACTIONS.rsvp, meetingId, choice),
  attendance: (meetingId: number) => componentId(MEETING_COMMAND, MEETING_ACTIONS.attendance, meetingId),
} as const;

export function typeLabel(m: Pick<MeetingRecord, "type">): string {
  return MEETING_TYPES[m.type as MeetingType] ?? m.type;
}

export function audienceLabel(m: Pick<MeetingRecord, "audience">): string {
  return AUDIENCES[m.audience as Audience] ?? m.audience;
}

export function meetingName(m: Pick<MeetingRecord, "type" | "title">): string {
  return `${typeLabel(m)} — ${m.title}`;
}

/** The RSVP buttons; the route is in the id, so they work on every platform and after a restart. */
export function answerButtons(meetingId: number): { buttons: Button[] } {
  return {
    buttons: (Object.keys(CHOICES) as Choice[]).map((choice) => ({
      kind: "button" as const,
      id: MEETING_ROUTES.rsvp(meetingId, choice),
      label: CHOICES[choice].label,
      style: CHOICES[choice].style,
    })),
  };
}

/** Date, duration, place and public: the lines every message about a meeting starts with. */
export function meetingLines(m: MeetingRecord, timeZone: string): string[] {
  const minutes = Math.round((m.endsAt.getTime() - m.startsAt.getTime()) / 60_000);
  const lines = [`**${formatWhen(m.startsAt, timeZone)}** (${formatMinutes(minutes)})`];
  if (m.place) lines.push(`Lieu : ${m.place}`);
  if (m.visioUrl) lines.push(`Visio : ${m.visioUrl}`);
  lines.push(`Pour : ${audienceLabel(m)}`);
  return lines;
}

export function countsLine(m: Pick<MeetingRecord, "capacity">, c: Counts): string {
  const parts = [`Je viens : ${c.yes}`, `Peut-être : ${c.maybe}`, `Je ne viens pas : ${c.no}`];
  let line = parts.join(" · ");
  if (m.capacity !== null) line += `\nPlaces : ${c.yes}/${m.capacity}${c.waitlist ? ` · liste d'attente : ${c.waitlist}` : ""}`;
  return line;
}

/** The post in the meetings channel, edited in place at each answer. */
export function meetingCard(m: MeetingRecord, counts: Counts, now: Date, timeZone: string): Reply {
  const cancelled = m.status === "cancelled";
  const open = !cancelled && now < m.startsAt;
  const lines = meetingLines(m, timeZone);
  let status = "";
  if (cancelled) status = `**Rencontre annulée**${m.cancelReason ? ` : ${m.cancelReason}` : "."}`;
  else if (!open) status = now < m.endsAt ? "La rencontre a commencé : les réponses sont closes." : "La rencontre a eu lieu.";
  const text = [...lines, "", countsLine(m, counts), status ? `\n${status}` : "", `\nRencontre n° ${m.id} · \`/rencontre details rencontre:${m.id}\``]
    .filter((l) => l !== "")
    .join("\n");
  return {
    title: `${cancelled ? "[Annulée] " : ""}${meetingName(m)}`,
    text,
    components: open ? [answerButtons(m.id)] : undefined,
    tone: cancelled ? "warning" : "info",
  };
}

/** The meeting in a platform's calendar (a Discord scheduled event). */
export function calendarEvent(m: MeetingRecord): CalendarEvent {
  const description = [`${audienceLabel(m)}.`, m.visioUrl ? `Visio : ${m.visioUrl}` : "", `Répondre : /rencontre details rencontre:${m.id}`].filter(Boolean).join("\n");
  return { name: meetingName(m), description, start: m.startsAt, end: m.endsAt, location: m.place ?? m.visioUrl ?? "À préciser" };
}

/** « dans 7 jours », « demain », « dans 2 heures »: from the reminder's point of view. */
function untilText(start: Date, now: Date): string {
  const minutes = Math.round((start.getTime() - now.getTime()) / 60_000);
  if (minutes < 1) return "dans moins d'une minute";
  if (minutes < 90) return `dans ${plural(minutes, "minute", "minutes")}`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `dans ${plural(hours, "heure", "heures")}`;
  return `dans ${plural(Math.round(hours / 24), "jour", "jours")}`;
}

export function reminderReply(m: MeetingRecord, answer: Answer | undefined, now: Date, timeZone: string): Reply {
  const head = answer
    ? `Rappel : la rencontre a lieu ${untilText(m.startsAt, now)}. Votre réponse : **${ANSWER_LABELS[answer]}**.`
    : `Une invitation à cette rencontre, qui a lieu ${untilText(m.startsAt, now)} : serez-vous là ? Répondez avec les boutons.`;
  return {
    title: meetingName(m),
    text: [head, "", ...meetingLines(m, timeZone)].join("\n"),
    components: [answerButtons(m.id)],
  };
}

/** The private message of a notice: the meeting changed, was cancelled, or a seat freed up for this member. */
export function noticeReply(m: MeetingRecord, notice: NoticePayload["notice"], lines: readonly string[], answer: Answer | undefined, timeZone: string): Reply {
  if (notice === "cancelled") {
    return { title: `Annulée : ${meetingName(m)}`, text: [`La rencontre prévue ${formatWhen(m.startsAt, timeZone)} est annulée.`, ...lines].join("\n"), tone: "warning" };
  }
  if (notice === "promoted") {
    return {
      title: meetingName(m),
      text: [`Une place s'est libérée : vous passez de la liste d'attente à **Je viens**. Si vous ne pouvez plus venir, dites-le avec les boutons pour laisser la place.`, "", ...meetingLines(m, timeZone)].join("\n"),
      components: [answerButtons(m.id)],
      tone: "success",
    };
  }
  return {
    title: `Modifiée : ${meetingName(m)}`,
    text: [
      "La rencontre a changé :",
      ...lines.map((l) => `- ${l}`),
      "",
      ...meetingLines(m, timeZone),
      "",
      answer ? `Votre réponse reste **${ANSWER_LABELS[answer]}** : changez-la avec les boutons si besoin.` : "Répondez avec les boutons.",
    ].join("\n"),
    components: [answerButtons(m.id)],
  };
}

/** What a notice is called in the animator's report of who it could not reach. */
export function noticeName(notice: NoticePayload["notice"]): string {
  return notice === "cancelled" ? "L'avis d'annulation" : notice === "promoted" ? "L'avis de place libérée" : "L'avis de modification";
}

/** A private message to the meeting's animator. */
export function animatorReport(text: string): Reply {
  return { title: "Rencontres — à votre attention", text, tone: "warning" };
}
