// Step « rencontre » needs the meetings feature (src/core/meetings/, /rencontre): the next
// « accueil des nouveaux » meeting, the newcomer's answer to it, and a way to answer. This port
// is all the journey knows of it; the adapter below is the only file of onboarding that reads meetings.
import type { Member } from "../../store/index.js";
import { formatWhen } from "../dates.js";
import { ANSWER_LABELS, CHOICES, type Choice, type MeetingService } from "../meetings/index.js";
import type { Button } from "../reply.js";

export interface WelcomeMeeting {
  id: number;
  title: string;
  startsAt: Date;
  place: string | null;
}

export interface MeetingChoice {
  value: string;
  label: string;
  style: Button["style"];
}

export interface NextWelcomeMeeting {
  /** The answers offered, in order (the meetings' own: « Je viens », « Peut-être »…). */
  readonly choices: readonly MeetingChoice[];
  /** The next « accueil des nouveaux » meeting still to come, or null when none is planned. */
  next(now: Date): Promise<WelcomeMeeting | null>;
  /** The member's answer to that meeting (a label), or null when they have not answered. */
  answerOf(meetingId: number, memberId: number): Promise<string | null>;
  /**
   * Records the member's answer with the meetings' rules (capacity, waiting list, closed
   * answers…); returns what to tell them. Refusals are UserErrors in French.
   */
  answer(meetingId: number, member: Member, choice: string): Promise<string>;
}

const WELCOME_TYPE = "accueil_nouveaux";

/** The port backed by the bot's meetings feature (the instance /rencontre uses). */
export function welcomeMeetingsFor(meetings: MeetingService, timeZone: string): NextWelcomeMeeting {
  return {
    choices: (Object.keys(CHOICES) as Choice[]).map((value) => ({ value, label: CHOICES[value].label, style: CHOICES[value].style })),
    async next(now) {
      // upcoming() lists scheduled meetings not yet over, soonest first; answers close at the start.
      const found = (await meetings.upcoming("bot", { limit: 100 })).find((m) => m.type === WELCOME_TYPE && m.startsAt > now);
      return found ? { id: found.id, title: found.title, startsAt: found.startsAt, place: found.place } : null;
    },
    async answerOf(meetingId, memberId) {
      const answer = (await meetings.answersOf(memberId, [meetingId])).get(meetingId);
      return answer ? ANSWER_LABELS[answer] : null;
    },
    async answer(meetingId, member, choice) {
      if (!(choice in CHOICES)) return "Ce bouton n'est plus valable : relancez `/accueil parcours`.";
      const result = await meetings.answer(meetingId, member, choice as Choice);
      const when = formatWhen(result.meeting.startsAt, timeZone);
      const waiting = result.answer === "waitlist" ? ` (la rencontre est complète : vous êtes n° ${result.position ?? "?"} sur la liste d'attente)` : "";
      return `Votre réponse à « ${result.meeting.title} » (${when}) est enregistrée : ${ANSWER_LABELS[result.answer]}${waiting}.`;
    },
  };
}
