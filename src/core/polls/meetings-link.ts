/**
 * The practice-analysis → meeting step, connected to the meetings feature (issue 3) through its
 * public API (src/core/meetings/index.ts), used read-only: a chosen slot becomes an
 * « analyse de pratique » meeting for the whole network, with the meetings' default reminders,
 * posted in the « rencontres » channel by that feature.
 */
import { UserError } from "../errors.js";
import { answerButtons, parseOffsets, DEFAULT_REMINDERS, type MeetingService } from "../meetings/index.js";
import type { MemberService } from "../members.js";
import type { PracticeMeetingInput, PracticeMeetings } from "./practice-meetings.js";
import { plural } from "../../shared/plural.js";

export function practiceMeetingsFromMeetings(service: MeetingService, members: MemberService): PracticeMeetings {
  const organizer = async (input: PracticeMeetingInput) => {
    const member = input.organizerId === null ? null : await members.get(input.organizerId);
    if (!member) throw new Error("l'animateur qui a proposé les créneaux n'est plus dans l'annuaire");
    return member;
  };
  const minutes = (input: PracticeMeetingInput) => Math.round((input.endsAt.getTime() - input.startsAt.getTime()) / 60_000);
  return {
    async create(input) {
      const offsets = parseOffsets(DEFAULT_REMINDERS);
      if (!offsets.ok) throw new Error(offsets.error);
      const { meeting, plan } = await service.create(
        {
          type: "analyse_pratique",
          title: input.title,
          start: input.startsAt,
          minutes: minutes(input),
          place: input.place ?? undefined,
          visioUrl: input.visioUrl ?? undefined,
          audience: "tous",
          capacity: input.capacity,
          offsets: offsets.value,
        },
        await organizer(input),
      );
      return { id: String(meeting.id), summary: `rencontre n° ${meeting.id}, ${plural(plan.scheduled.length, "rappel programmé", "rappels programmés")}` };
    },
    async move(id, input) {
      const { meeting, plan } = await service.modify(Number(id), { start: input.startsAt, minutes: minutes(input) }, await organizer(input));
      return { summary: `rencontre n° ${meeting.id}, ${plural(plan.scheduled.length, "rappel reprogrammé", "rappels reprogrammés")}` };
    },
    async answered(id) {
      return (await service.roster(Number(id))).map((entry) => entry.member.id);
    },
    async register(id, memberId) {
      const member = await members.get(memberId);
      if (!member) throw new UserError("ce membre n'est plus dans l'annuaire");
      const { answer, position } = await service.answer(Number(id), member, "oui");
      return { waitlisted: answer === "waitlist", position };
    },
    answerButtons(id) {
      return answerButtons(Number(id));
    },
  };
}
