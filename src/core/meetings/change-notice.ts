// Several changes made to a meeting within a few minutes reach members as one message.
import type { JobStore } from "../../scheduler/index.js";
import type { Prisma } from "../../store/index.js";
import { formatMinutes } from "../date-input.js";
import { formatWhen } from "../dates.js";
import type { MeetingRecord } from "./model.js";
import { JOB_KINDS, type NoticePayload } from "./planning.js";
import { audienceLabel, typeLabel } from "./views.js";

/** How long a change notice waits for further changes before it goes out. */
const CHANGE_GROUPING_MS = 5 * 60_000;

/** One change as members read it: « lieu : MJC Épinal → Salle des fêtes ». */
type Change = { label: string; from: string; to: string };

export const changeLine = (c: Change) => `${c.label} : ${c.from} → ${c.to}`;

type MeetingFields = Pick<MeetingRecord, "type" | "title" | "startsAt" | "endsAt" | "place" | "visioUrl" | "audience" | "capacity">;

/** What differs between two states of a meeting, as members and the animator read it (reminder offsets aside). */
export function meetingChanges(before: MeetingFields, after: MeetingFields, timeZone: string): Change[] {
  const minutes = (m: MeetingFields) => formatMinutes(Math.round((m.endsAt.getTime() - m.startsAt.getTime()) / 60_000));
  const seats = (m: MeetingFields) => (m.capacity === null ? "sans limite" : String(m.capacity));
  const diffs: Change[] = [];
  const change = (label: string, from: string, to: string) => from !== to && diffs.push({ label, from, to });
  change("type", typeLabel(before), typeLabel(after));
  change("titre", before.title, after.title);
  change("date", formatWhen(before.startsAt, timeZone), formatWhen(after.startsAt, timeZone));
  change("durée", minutes(before), minutes(after));
  change("lieu", before.place ?? "—", after.place ?? "—");
  change("visio", before.visioUrl ?? "—", after.visioUrl ?? "—");
  change("public", audienceLabel(before), audienceLabel(after));
  change("places", seats(before), seats(after));
  return diffs;
}

/**
 * Folds new changes into the ones still waiting: a field changed twice shows its first and last
 * values, a field changed back disappears.
 */
function mergeChanges(waiting: readonly Change[], added: readonly Change[]): Change[] {
  const byLabel = new Map(waiting.map((c) => [c.label, { ...c }]));
  for (const c of added) {
    const earlier = byLabel.get(c.label);
    byLabel.set(c.label, earlier ? { ...earlier, to: c.to } : { ...c });
  }
  return [...byLabel.values()].filter((c) => c.from !== c.to);
}

/**
 * Schedules the change notice, or folds these changes into the one still waiting for this
 * meeting (its send time is kept, so a burst of edits cannot postpone it forever). Close to the
 * start there is no waiting. Returns how many members the notice now goes to.
 */
export async function scheduleChangeNotice(
  jobs: JobStore,
  tx: Prisma.TransactionClient,
  meeting: { id: number; startsAt: Date },
  changes: readonly Change[],
  memberIds: readonly number[],
  now: Date,
): Promise<number> {
  const prefix = `meeting:${meeting.id}:avis:`;
  const pending = await tx.job.findFirst({ where: { kind: JOB_KINDS.notice, state: "pending", dedupeKey: { startsWith: prefix } }, orderBy: { id: "desc" } });
  const before = pending ? (JSON.parse(pending.payload) as NoticePayload & { changes?: Change[] }) : undefined;
  const merged = mergeChanges(before?.changes ?? [], changes);
  const members = [...new Set([...(before?.memberIds ?? []), ...memberIds])];
  if (pending && merged.length === 0) {
    await jobs.cancel(pending.dedupeKey!, tx); // changed and changed back: nothing to tell
    return 0;
  }
  const soon = meeting.startsAt.getTime() - now.getTime() < 6 * CHANGE_GROUPING_MS;
  const dueAt = pending ? pending.dueAt : new Date(now.getTime() + (soon ? 0 : CHANGE_GROUPING_MS));
  const payload: NoticePayload & { changes: Change[] } = { meetingId: meeting.id, notice: "changed", memberIds: members, lines: merged.map(changeLine), changes: merged };
  await jobs.schedule({ kind: JOB_KINDS.notice, dueAt, payload, dedupeKey: pending?.dedupeKey ?? `${prefix}${now.getTime()}` }, tx);
  return members.length;
}
