/** The meetings' vocabulary: the values stored in the Meeting, Rsvp and Attendance rows, and their French labels. */
import type { Member, Prisma, Role } from "../../store/index.js";

export type MeetingRecord = Prisma.MeetingModel;
export type RsvpRecord = Prisma.RsvpModel;

/** What the call for tenders asks the animator (and the Caf) to organise. */
export const MEETING_TYPES = {
  departementale: "Rencontre départementale",
  formation: "Formation",
  analyse_pratique: "Analyse de pratique",
  accueil_nouveaux: "Accueil des nouveaux",
  copil: "Comité de pilotage",
  point_caf: "Point de situation Caf",
  autre: "Autre",
} as const;
export type MeetingType = keyof typeof MEETING_TYPES;

/** Practice analysis sessions are 2 × 3 hours a year in the call for tenders; the rest default to 2 hours. */
export function defaultDuration(type: MeetingType): number {
  return type === "analyse_pratique" ? 180 : 120;
}

export const AUDIENCES = {
  tous: "Tous les Promeneurs du Net",
  jeunesse: "Promeneurs du Net Jeunesse",
  parentalite: "Promeneurs du Net Parentalité",
  nouveaux: "Nouveaux Promeneurs du Net",
  equipe: "Équipe d'animation et Caf",
} as const;
export type Audience = keyof typeof AUDIENCES;

/** The welcome of newcomers is for them; the steering committee and the Caf points are for the team. */
export function defaultAudience(type: MeetingType): Audience {
  if (type === "accueil_nouveaux") return "nouveaux";
  if (type === "copil" || type === "point_caf") return "equipe";
  return "tous";
}

export type Answer = "yes" | "maybe" | "no" | "waitlist";
/** What a button says (and carries in its id). */
export type Choice = "oui" | "peutetre" | "non";
export const CHOICES: Record<Choice, { label: string; answer: Exclude<Answer, "waitlist">; style: "success" | "secondary" | "danger" }> = {
  oui: { label: "Je viens", answer: "yes", style: "success" },
  peutetre: { label: "Peut-être", answer: "maybe", style: "secondary" },
  non: { label: "Je ne viens pas", answer: "no", style: "danger" },
};
export const ANSWER_LABELS: Record<Answer, string> = {
  yes: "Je viens",
  maybe: "Peut-être",
  no: "Je ne viens pas",
  waitlist: "Liste d'attente",
};

export type AttendanceStatus = "present" | "absent" | "excused";
export const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = { present: "présence", absent: "absence", excused: "absence excusée" };

/** Those who run meetings; they may answer any meeting whatever its public. */
const TEAM_ROLES: readonly Role[] = ["ANIMATEUR", "REFERENT_CAF", "ADMIN"];

/** Members still in the network (candidates have not joined, inactive ones have left). */
export function inNetwork(member: Pick<Member, "status">): boolean {
  return member.status === "ACTIVE" || member.status === "ONBOARDING";
}

/** Whether the meeting's public includes this member (who is invited, who is expected). */
export function inAudience(member: Pick<Member, "status" | "kind" | "role">, audience: Audience): boolean {
  if (!inNetwork(member)) return false;
  if (TEAM_ROLES.includes(member.role)) return true;
  switch (audience) {
    case "tous":
      return true;
    case "jeunesse":
      return member.kind === "JEUNESSE";
    case "parentalite":
      return member.kind === "PARENTALITE";
    case "nouveaux":
      return member.status === "ONBOARDING";
    case "equipe":
      return false;
  }
}

/** Who reads meetings: a member, or the bot itself (jobs, and staff operations already limited by role). */
export type MeetingReader = Pick<Member, "status" | "role"> | "bot";

/** Any member of the network: what a channel post or a platform's shared calendar may show. */
export const THE_NETWORK: MeetingReader = { status: "ACTIVE", role: "PROMENEUR" };

/**
 * The one visibility rule for meetings, applied to every read path (list, details, calendar
 * file, reminders, buttons, channel posts, platform calendars, a future web agenda): the team's
 * own meetings (steering committee, Caf points, with their visio links) exist only for the team;
 * the others are visible to the whole network. A meeting one may not see is answered as absent.
 */
export function canSeeMeeting(reader: MeetingReader, meeting: { audience: string }): boolean {
  if (reader === "bot" || meeting.audience !== "equipe") return true;
  return inNetwork(reader) && TEAM_ROLES.includes(reader.role);
}

/**
 * Who may answer. The public decides who is invited; answering is open to the whole network
 * (a Parentalité Promeneur may join a Jeunesse meeting), except for the newcomers' welcome and
 * the team's meetings, which are for their public only.
 */
export function mayAnswer(member: Pick<Member, "status" | "kind" | "role">, audience: Audience): boolean {
  if (!inNetwork(member)) return false;
  if (audience === "nouveaux" || audience === "equipe") return inAudience(member, audience);
  return true;
}
