/** The replies of /rencontre: confirmations, lists, details, attendance sheets. Neutral replies only. */
import { formatWhen } from "../dates.js";
import { platformLabelAfterOn } from "../../platforms/catalog.js";
import { andList } from "../text-lists.js";
import { agree, plural } from "../../shared/plural.js";
import type { Reply } from "../reply.js";
import type { SheetEntry } from "./attendance.js";
import { ANSWER_LABELS, ATTENDANCE_LABELS, type Answer, type MeetingRecord } from "./model.js";
import type { ReminderPlan } from "./planning.js";
import type { PublishResult } from "./posts.js";
import type { Counts, RosterEntry } from "./reading.js";
import type { Answered, Modified } from "./service.js";
import { countsLine, meetingCard, meetingLines, meetingName, MEETING_ROUTES } from "./views.js";
import { describeOffset } from "./when.js";


function planText(plan: ReminderPlan, timeZone: string): string {
  const lines = plan.scheduled.map((s) => `- ${describeOffset(s.offset)} avant : ${formatWhen(s.at, timeZone)}`);
  if (plan.passed.length) lines.push(`- ${agree(plan.passed.length, "non programmé (déjà passé)", "non programmés (déjà passés)")} : ${plan.passed.map((o) => describeOffset(o)).join(", ")}`);
  return lines.length ? lines.join("\n") : "aucun";
}

function publishText(result: PublishResult): string {
  const lines: string[] = [];
  if (result.posted.length) lines.push(`Publiée dans le salon des rencontres sur ${andList(result.posted.map(platformLabelAfterOn))}.`);
  for (const p of result.problems) lines.push(`Sur ${platformLabelAfterOn(p.platform)} : ${p.error}.`);
  return lines.join("\n");
}

function sheetText(sheet: SheetEntry[]): string {
  if (sheet.length === 0) return "Personne n'est attendu à cette rencontre.";
  return sheet
    .map((e) => `- ${e.member.displayName} (#${e.member.id}) — **${ATTENDANCE_LABELS[e.status]}**${e.answer ? ` · réponse : ${ANSWER_LABELS[e.answer]}` : " · pas de réponse"}`)
    .join("\n");
}

/** /rencontre creer: the meeting as created, how its start was understood, where it was posted, its reminders. */
export function createdReply(created: { meeting: MeetingRecord; plan: ReminderPlan; publish: PublishResult }, understood: string | null, timeZone: string): Reply {
  const { meeting, plan, publish } = created;
  const posting = meeting.audience === "equipe" ? "Réservée à l'équipe : elle n'est pas annoncée dans le salon des rencontres ; l'équipe répond avec `/rencontre details`." : publishText(publish);
  return {
    title: `Rencontre n° ${meeting.id} créée`,
    text: [`**${meetingName(meeting)}**`, ...meetingLines(meeting, timeZone), ...(understood ? [understood] : []), ...(meeting.capacity ? [`Places : ${meeting.capacity}`] : []), "", posting].join("\n").trim(),
    fields: [{ name: "Rappels par message privé", value: planText(plan, timeZone) }],
    private: true,
    tone: publish.problems.length ? "warning" : "success",
  };
}

/** /rencontre liste: the meetings to come, with the member's own answer. */
export function upcomingReply(list: readonly MeetingRecord[], answers: Map<number, Answer>, counts: Map<number, Counts>, timeZone: string): Reply {
  if (list.length === 0) return { text: "Aucune rencontre à venir pour le moment.", private: true };
  return {
    title: "Rencontres à venir",
    text: "Pour répondre : `/rencontre details rencontre:<n°>`, ou les boutons du message de la rencontre.",
    fields: list.map((m) => {
      const answer = answers.get(m.id);
      return {
        name: `n° ${m.id} — ${meetingName(m)}`.slice(0, 256),
        value: `${formatWhen(m.startsAt, timeZone)}${m.place ? ` · ${m.place}` : m.visioUrl ? " · en visio" : ""}\n${countsLine(m, counts.get(m.id)!)}\nVotre réponse : **${answer ? ANSWER_LABELS[answer] : "aucune"}**`,
      };
    }),
    private: true,
  };
}

/** /rencontre details: the card, who comes, and the reader's answer. */
export function detailsReply(meeting: MeetingRecord, roster: readonly RosterEntry[], counts: Counts, readerId: number, now: Date, timeZone: string): Reply {
  const card = meetingCard(meeting, counts, now, timeZone);
  const names = (answer: string) => roster.filter((r) => r.rsvp.answer === answer).map((r) => r.member.displayName);
  const mine = roster.find((r) => r.member.id === readerId)?.rsvp.answer as Answer | undefined;
  return {
    ...card,
    fields: [
      { name: "Je viens", value: names("yes").join(", ") || "personne pour l'instant" },
      { name: "Peut-être", value: names("maybe").join(", ") || "—" },
      ...(meeting.capacity !== null ? [{ name: "Liste d'attente", value: names("waitlist").join(", ") || "—" }] : []),
      { name: "Votre réponse", value: mine ? ANSWER_LABELS[mine] : "aucune" },
    ],
    private: true,
  };
}

/** /rencontre modifier: what changed, who will be told, where it is posted, the reminders now planned. */
export function modifiedReply(result: Modified, timeZone: string): Reply {
  const { meeting } = result;
  const lines = [
    `**${meetingName(meeting)}**`,
    ...meetingLines(meeting, timeZone),
    "",
    result.changes.length ? `Changements :\n${result.changes.map((c) => `- ${c}`).join("\n")}` : "Seuls les rappels changent.",
    result.told
      ? `${plural(result.told, "personne", "personnes")} qui ${agree(result.told, "a répondu va être prévenue", "ont répondu vont être prévenues")} par message privé, en un seul message avec les autres changements faits dans les 5 minutes.`
      : result.changes.some((c) => !c.startsWith("places : "))
        ? "Personne n'a encore répondu : personne à prévenir."
        : "Personne n'est prévenu : seuls le nombre de places ou les rappels changent.",
    result.promoted
      ? `${result.promoted} personne${result.promoted > 1 ? "s passent" : " passe"} de la liste d'attente à « Je viens » et ${result.promoted > 1 ? "vont être prévenues" : "va être prévenue"} par message privé.`
      : "",
    publishText(result.publish),
  ];
  return {
    title: `Rencontre n° ${meeting.id} modifiée`,
    text: lines.filter(Boolean).join("\n"),
    fields: [{ name: "Rappels par message privé", value: planText(result.plan, timeZone) }],
    private: true,
    tone: "success",
  };
}

/** /rencontre annuler. */
export function cancelledReply(meeting: MeetingRecord, told: number, timeZone: string): Reply {
  return {
    text: `« ${meetingName(meeting)} » du ${formatWhen(meeting.startsAt, timeZone)} est annulée. Les rappels sont annulés${told ? ` et ${plural(told, "personne", "personnes")} ${agree(told, "va être prévenue", "vont être prévenues")} par message privé` : ""}.`,
    private: true,
    tone: "success",
  };
}

/** The attendance once saved. */
export function attendanceRecordedReply(meeting: MeetingRecord, sheet: SheetEntry[]): Reply {
  return { title: `Présences enregistrées — ${meetingName(meeting)}`, text: sheetText(sheet), private: true, tone: "success" };
}

/** The attendance as recorded, or proposed from the answers with a button to save it. */
export function attendanceSheetReply(meeting: MeetingRecord, sheet: SheetEntry[]): Reply {
  const recorded = sheet.some((e) => e.recorded);
  return {
    title: `Présences — ${meetingName(meeting)}`,
    text: [
      recorded ? "Présences enregistrées :" : "Proposition d'après les réponses (rien n'est encore enregistré) :",
      sheetText(sheet),
      "",
      `Pour corriger : \`/rencontre presences rencontre:${meeting.id} presents:#12, #15 excuses:#7\` (les autres gardent l'état affiché).`,
    ].join("\n"),
    components: recorded ? undefined : [{ buttons: [{ kind: "button", id: MEETING_ROUTES.attendance(meeting.id), label: "Enregistrer ces présences", style: "primary" }] }],
    private: true,
  };
}

/** /rencontre ics: the calendar file of the meetings to come. */
export function calendarFileReply(calendar: string, scheduled: number): Reply {
  return {
    text: scheduled
      ? `${plural(scheduled, "rencontre", "rencontres")} à venir. Importez ce fichier dans votre agenda ; l'importer à nouveau plus tard met à jour les rencontres sans les dupliquer.`
      : "Aucune rencontre à venir pour le moment : le fichier est vide.",
    files: [{ name: "rencontres-promeneurs-du-net.ics", data: Buffer.from(calendar, "utf8"), contentType: "text/calendar", description: "Rencontres des Promeneurs du Net des Vosges" }],
    private: true,
  };
}

/** The answer to an RSVP button, with what the member will really receive: the next reminder, or that none is planned. */
export function answeredReply(r: Answered, nextReminder: Date | null, timeZone: string): Reply {
  const title = r.meeting.title;
  const when = formatWhen(r.meeting.startsAt, timeZone);
  const reminder = nextReminder ? `Vous recevrez un rappel par message privé le ${formatWhen(nextReminder, timeZone)}.` : "Aucun rappel n'est prévu pour cette rencontre.";
  return { text: answerText(title, when, r, reminder), private: true, tone: "success" };
}

function answerText(meetingTitle: string, when: string, r: Answered, reminder: string): string {
  if (r.previous === r.answer) return `Votre réponse à « ${meetingTitle} » était déjà « ${ANSWER_LABELS[r.answer]} ».`;
  switch (r.answer) {
    case "yes":
      return `C'est noté : vous venez à « ${meetingTitle} » (${when}). ${reminder}`;
    case "waitlist":
      return `« ${meetingTitle} » est complète : vous êtes sur la liste d'attente (position ${r.position}). Un message privé vous préviendra si une place se libère.`;
    case "maybe":
      return `C'est noté : peut-être pour « ${meetingTitle} » (${when}). ${reminder} Confirmez quand vous saurez.`;
    case "no":
      return `C'est noté : vous ne venez pas à « ${meetingTitle} ».${r.previous === "yes" || r.previous === "waitlist" ? " Votre place est libérée." : ""}`;
  }
}
