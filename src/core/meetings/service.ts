/**
 * Network meetings: creation, changes, cancellation, answers (with a waiting list), attendance,
 * and the posts that show them. The rules live here; commands/rencontre.ts only reads options
 * and formats answers, and the jobs in ./jobs.ts send the reminders.
 */
import type { Logger } from "../../logger.js";
import { daytimeBefore, type JobStore } from "../../scheduler/index.js";
import type { Member, Prisma, PrismaClient } from "../../store/index.js";
import { audit } from "../audit.js";
import type { Clock } from "../clock.js";
import { UserError } from "../errors.js";
import type { PlatformName } from "../interaction.js";
import type { MemberWithAccounts } from "../members.js";
import { changeLine, scheduleChangeNotice, type Change } from "./change-notice.js";
import { isLastingFailure } from "./delivery.js";
import { platformErrorText } from "../platform-error.js";
import type { Notifications, CalendarEvent } from "../notifier.js";
import {
  CHOICES,
  inAudience,
  inNetwork,
  mayAnswer,
  type Answer,
  type AttendanceStatus,
  type Audience,
  type Choice,
  type MeetingRecord,
  type MeetingType,
  type RsvpRecord,
  canSeeMeeting,
  THE_NETWORK,
  type MeetingReader,
} from "./model.js";
import { audienceLabel, meetingCard, meetingName, typeLabel, type Counts } from "./views.js";
import { formatMinutes, formatWhen, offsetsLabel, parseOffsets, reminderDueAt, type Offset } from "./when.js";
import { plural } from "../plural.js";

type Tx = Prisma.TransactionClient;

export const JOB_KINDS = {
  reminder: "meeting.reminder",
  notice: "meeting.notice",
  publish: "meeting.publish",
  ended: "meeting.ended",
} as const;

export interface ReminderPayload {
  meetingId: number;
  /** The meeting's sequence when scheduled: a reminder of an older sequence is stale. */
  sequence: number;
  offset: string;
}

export interface NoticePayload {
  meetingId: number;
  notice: "changed" | "cancelled" | "promoted";
  memberIds: number[];
  /** What changed, in French, fixed when the change was made. */
  lines: string[];
}

export interface MeetingPayload {
  meetingId: number;
  sequence: number;
}

export const reminderKey = (id: number, sequence: number, label: string) => `meeting:${id}:s${sequence}:rappel:${label}`;
const endKey = (id: number, sequence: number) => `meeting:${id}:s${sequence}:fin`;
const publishKey = (id: number, sequence: number) => `meeting:${id}:s${sequence}:publication`;

export interface MeetingInput {
  type: MeetingType;
  title: string;
  start: Date;
  minutes: number;
  place?: string;
  visioUrl?: string;
  audience: Audience;
  capacity: number | null;
  offsets: Offset[];
}

export type MeetingPatch = Partial<Omit<MeetingInput, "capacity">> & { capacity?: number | null };

export interface ReminderPlan {
  scheduled: { offset: Offset; at: Date }[];
  /** Offsets whose time had already passed: not scheduled. */
  passed: Offset[];
}

export interface PublishResult {
  posted: PlatformName[];
  /** Platforms where the meeting could not be shown, and why (French). */
  problems: { platform: PlatformName; error: string }[];
}

export interface RosterEntry {
  member: MemberWithAccounts;
  rsvp: RsvpRecord;
}

export interface SheetEntry {
  member: MemberWithAccounts;
  status: AttendanceStatus;
  /** Whether this comes from a recorded attendance (else: prefilled from the answer). */
  recorded: boolean;
  answer?: Answer;
}

export interface MeetingDeps {
  db: PrismaClient;
  clock: Clock;
  jobs: JobStore;
  notifications: Notifications;
  timeZone: string;
  log: Logger;
}

export class MeetingService {
  private readonly refreshes = new Map<number, { again: boolean; done: Promise<void> }>();

  constructor(readonly deps: MeetingDeps) {}

  get timeZone(): string {
    return this.deps.timeZone;
  }

  // ─── reading ──────────────────────────────────────────────────────────────────────────

  async get(id: number): Promise<MeetingRecord | null> {
    return this.deps.db.meeting.findUnique({ where: { id } });
  }

  /** The meeting if `reader` may see it (canSeeMeeting); one they may not see reads as absent. */
  async require(id: number, reader: MeetingReader): Promise<MeetingRecord> {
    const meeting = await this.get(id);
    if (!meeting || !canSeeMeeting(reader, meeting)) throw new UserError(`La rencontre n° ${id} n'existe pas. Tapez /rencontre liste pour voir les rencontres à venir.`);
    return meeting;
  }

  /** Meetings not yet over that `reader` may see, soonest first (cancelled ones too when `withCancelled`). */
  async upcoming(reader: MeetingReader, options: { withCancelled?: boolean; limit?: number } = {}): Promise<MeetingRecord[]> {
    // Filtered here rather than in SQL so the rule stays in canSeeMeeting alone; upcoming meetings are a few dozen.
    const all = await this.deps.db.meeting.findMany({
      where: { endsAt: { gt: this.deps.clock.now() }, ...(options.withCancelled ? {} : { status: "scheduled" }) },
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    });
    return all.filter((m) => canSeeMeeting(reader, m)).slice(0, options.limit ?? 25);
  }

  /** The answers of members who still exist, oldest first. */
  async roster(meetingId: number, db: PrismaClient | Tx = this.deps.db): Promise<RosterEntry[]> {
    const rsvps = await db.rsvp.findMany({ where: { meetingId }, orderBy: [{ answeredAt: "asc" }, { id: "asc" }] });
    const members = await this.membersById(rsvps.map((r) => r.memberId), db);
    return rsvps.flatMap((rsvp) => {
      const member = members.get(rsvp.memberId);
      return member ? [{ member, rsvp }] : [];
    });
  }

  counts(roster: readonly RosterEntry[]): Counts {
    const counts: Counts = { yes: 0, maybe: 0, no: 0, waitlist: 0 };
    for (const { rsvp } of roster) counts[rsvp.answer as Answer]++;
    return counts;
  }

  /** Each member's answer for these meetings (for /rencontre liste). */
  async answersOf(memberId: number, meetingIds: number[]): Promise<Map<number, Answer>> {
    const rows = await this.deps.db.rsvp.findMany({ where: { memberId, meetingId: { in: meetingIds } } });
    return new Map(rows.map((r) => [r.meetingId, r.answer as Answer]));
  }

  async countsOf(meetingIds: number[]): Promise<Map<number, Counts>> {
    const out = new Map<number, Counts>(meetingIds.map((id) => [id, { yes: 0, maybe: 0, no: 0, waitlist: 0 }]));
    const rows = await this.deps.db.rsvp.groupBy({ by: ["meetingId", "answer"], where: { meetingId: { in: meetingIds } }, _count: { _all: true } });
    for (const row of rows) {
      const counts = out.get(row.meetingId);
      if (counts && row.answer in counts) counts[row.answer as Answer] = row._count._all;
    }
    return out;
  }

  /** Members of the meeting's public, with their platform accounts. */
  async audienceOf(meeting: Pick<MeetingRecord, "audience">): Promise<MemberWithAccounts[]> {
    const members = await this.deps.db.member.findMany({
      where: { status: { in: ["ACTIVE", "ONBOARDING"] } },
      include: { accounts: true },
      orderBy: { id: "asc" },
    });
    return members.filter((m) => inAudience(m, meeting.audience as Audience) && canSeeMeeting(m, meeting));
  }

  // ─── creating and changing ────────────────────────────────────────────────────────────

  async create(input: MeetingInput, actor: Member): Promise<{ meeting: MeetingRecord; plan: ReminderPlan; publish: PublishResult }> {
    const now = this.deps.clock.now();
    const { meeting, plan } = await this.deps.db.$transaction(async (tx) => {
      const meeting = await tx.meeting.create({
        data: {
          type: input.type,
          title: input.title,
          startsAt: input.start,
          endsAt: new Date(input.start.getTime() + input.minutes * 60_000),
          place: input.place ?? null,
          visioUrl: input.visioUrl ?? null,
          audience: input.audience,
          capacity: input.capacity,
          reminders: offsetsLabel(input.offsets),
          createdById: actor.id,
          createdAt: now,
          updatedAt: now,
        },
      });
      const plan = await this.scheduleJobs(tx, meeting, now);
      await audit(tx, { actorId: actor.id, action: "meeting.create", targetType: "meeting", targetId: meeting.id, details: { ...input, start: input.start.toISOString() } }, now);
      return { meeting, plan };
    });
    const publish = await this.publish(meeting.id);
    return { meeting, plan, publish };
  }

  async modify(
    id: number,
    patch: MeetingPatch,
    actor: Member,
  ): Promise<{ meeting: MeetingRecord; changes: string[]; plan: ReminderPlan; told: number; promoted: number; publish: PublishResult }> {
    const now = this.deps.clock.now();
    const tz = this.deps.timeZone;
    const result = await this.deps.db.$transaction(async (tx) => {
      const before = await this.lock(tx, id);
      if (before.status === "cancelled") throw new UserError(`La rencontre n° ${id} est annulée : elle ne peut plus être modifiée.`);
      if (now >= before.startsAt) throw new UserError(`La rencontre n° ${id} a déjà commencé : elle ne peut plus être modifiée.`);
      const minutesBefore = Math.round((before.endsAt.getTime() - before.startsAt.getTime()) / 60_000);
      const start = patch.start ?? before.startsAt;
      const minutes = patch.minutes ?? minutesBefore;
      const data = {
        type: patch.type ?? before.type,
        title: patch.title ?? before.title,
        startsAt: start,
        endsAt: new Date(start.getTime() + minutes * 60_000),
        place: patch.place ?? before.place,
        visioUrl: patch.visioUrl ?? before.visioUrl,
        audience: patch.audience ?? before.audience,
        capacity: patch.capacity === undefined ? before.capacity : patch.capacity,
        reminders: patch.offsets ? offsetsLabel(patch.offsets) : before.reminders,
      };
      // What changed, for the animator; members hear only of what concerns them: not the reminder
      // offsets, and not the number of places (those whose seat changes get their own notice).
      const diffs: Change[] = [];
      const change = (label: string, from: string, to: string) => from !== to && diffs.push({ label, from, to });
      change("type", typeLabel(before), typeLabel(data));
      change("titre", before.title, data.title);
      change("date", formatWhen(before.startsAt, tz), formatWhen(data.startsAt, tz));
      change("durée", formatMinutes(minutesBefore), formatMinutes(minutes));
      change("lieu", before.place ?? "—", data.place ?? "—");
      change("visio", before.visioUrl ?? "—", data.visioUrl ?? "—");
      change("public", audienceLabel(before), audienceLabel(data));
      change("places", before.capacity === null ? "sans limite" : String(before.capacity), data.capacity === null ? "sans limite" : String(data.capacity));
      const changes = diffs.map(changeLine);
      const remindersChanged = data.reminders !== before.reminders;
      if (changes.length === 0 && !remindersChanged) throw new UserError("Rien à modifier : les valeurs données sont déjà celles de la rencontre.");
      const coming = this.counts(await this.roster(id, tx)).yes;
      if (data.capacity !== null && data.capacity < coming) {
        // Nobody is silently dropped: the animator chooses (more places, or people withdraw first).
        throw new UserError(
          `${coming} personnes ont déjà dit « Je viens » à la rencontre n° ${id} : impossible de passer à ${plural(data.capacity, "place", "places")}. Indiquez places:${coming} ou plus, ou places:0 pour sans limite. Rien n'a été modifié.`,
        );
      }
      await this.cancelJobs(tx, before);
      const meeting = await tx.meeting.update({ where: { id }, data: { ...data, sequence: before.sequence + 1, updatedAt: now } });
      const plan = await this.scheduleJobs(tx, meeting, now);
      const roster = await this.roster(id, tx);
      const promoted = await this.promote(tx, meeting, roster, now);
      const forMembers = diffs.filter((c) => c.label !== "places");
      const answered = roster.filter((r) => !promoted.includes(r.member.id)).map((r) => r.member.id);
      const told = forMembers.length > 0 && answered.length > 0 ? await scheduleChangeNotice(this.deps.jobs, tx, meeting, forMembers, answered, now) : 0;
      await audit(tx, { actorId: actor.id, action: "meeting.update", targetType: "meeting", targetId: id, details: { changements: changes, rappels: data.reminders } }, now);
      return { meeting, changes, plan, told, promoted: promoted.length };
    });
    await this.refreshPosts(id);
    const publish = await this.publish(id);
    return { ...result, publish };
  }

  async cancel(id: number, reason: string | undefined, actor: Member): Promise<{ meeting: MeetingRecord; told: number }> {
    const now = this.deps.clock.now();
    const result = await this.deps.db.$transaction(async (tx) => {
      const before = await this.lock(tx, id);
      if (before.status === "cancelled") throw new UserError(`La rencontre n° ${id} est déjà annulée.`);
      if (now >= before.endsAt) throw new UserError(`La rencontre n° ${id} a déjà eu lieu.`);
      await this.cancelJobs(tx, before);
      const meeting = await tx.meeting.update({
        where: { id },
        data: { status: "cancelled", cancelReason: reason ?? null, sequence: before.sequence + 1, updatedAt: now },
      });
      const told = (await this.roster(id, tx)).map((r) => r.member.id);
      if (told.length > 0) {
        await this.deps.jobs.schedule<NoticePayload>(
          { kind: JOB_KINDS.notice, dueAt: now, payload: { meetingId: id, notice: "cancelled", memberIds: told, lines: reason ? [`Motif : ${reason}`] : [] }, dedupeKey: `meeting:${id}:annulation` },
          tx,
        );
      }
      await audit(tx, { actorId: actor.id, action: "meeting.cancel", targetType: "meeting", targetId: id, details: { motif: reason ?? null } }, now);
      return { meeting, told: told.length };
    });
    await this.refreshPosts(id);
    await this.syncCalendars(result.meeting);
    return result;
  }

  // ─── answers ──────────────────────────────────────────────────────────────────────────

  /**
   * Records a member's answer; one answer per member, whichever platform it comes from. « Je
   * viens » on a full meeting puts them on the waiting list; a seat freed by a withdrawal goes to
   * the first on the list, who is told by private message.
   */
  async answer(meetingId: number, member: Member, choice: Choice): Promise<{ meeting: MeetingRecord; answer: Answer; previous?: Answer; position?: number; promoted: number[] }> {
    const now = this.deps.clock.now();
    const result = await this.deps.db.$transaction(async (tx) => {
      const meeting = await this.lock(tx, meetingId, "Ce bouton n'est plus valable : cette rencontre n'existe plus.");
      if (meeting.status === "cancelled") throw new UserError(`« ${meeting.title} » est annulée : il n'est plus possible d'y répondre.`);
      if (now >= meeting.startsAt) throw new UserError(`« ${meeting.title} » a commencé ${formatWhen(meeting.startsAt, this.deps.timeZone)} : les réponses sont closes.`);
      if (!canSeeMeeting(member, meeting)) throw new UserError("Ce bouton n'est plus valable : cette rencontre n'existe plus.");
      if (!inNetwork(member)) throw new UserError("Seuls les membres du réseau peuvent répondre aux rencontres. Contactez l'animateur du réseau.");
      if (!mayAnswer(member, meeting.audience as Audience)) {
        throw new UserError(`« ${meeting.title} » est réservée au public suivant : ${audienceLabel(meeting)}. Si vous pensez que cette rencontre vous concerne, contactez l'animateur du réseau.`);
      }
      const roster = await this.roster(meetingId, tx);
      const mine = roster.find((r) => r.member.id === member.id)?.rsvp;
      const previous = mine?.answer as Answer | undefined;
      let answer: Answer = CHOICES[choice].answer;
      if (answer === "yes" && previous !== "yes") {
        if (previous === "waitlist") answer = "waitlist";
        else if (meeting.capacity !== null && this.counts(roster).yes >= meeting.capacity) answer = "waitlist";
      }
      const waitlistedAt = answer === "waitlist" ? (mine?.waitlistedAt ?? now) : null;
      await tx.rsvp.upsert({
        where: { meetingId_memberId: { meetingId, memberId: member.id } },
        create: { meetingId, memberId: member.id, answer, answeredAt: now, waitlistedAt },
        update: { answer, answeredAt: now, waitlistedAt },
      });
      const after = await this.roster(meetingId, tx);
      const promoted = previous === "yes" && answer !== "yes" ? await this.promote(tx, meeting, after, now) : [];
      let position: number | undefined;
      if (answer === "waitlist") {
        position = after.filter((r) => r.rsvp.answer === "waitlist" && r.rsvp.waitlistedAt! <= waitlistedAt!).length;
      }
      return { meeting, answer, previous, position, promoted };
    });
    await this.refreshPosts(meetingId);
    return result;
  }

  // ─── attendance ───────────────────────────────────────────────────────────────────────

  /**
   * Everyone expected (the public, whoever answered, whoever was recorded), with their recorded
   * attendance or, until it is recorded, a proposal from their answer.
   */
  async attendanceSheet(meetingId: number): Promise<SheetEntry[]> {
    const meeting = await this.require(meetingId, "bot");
    const [roster, recorded, audience] = await Promise.all([
      this.roster(meetingId),
      this.deps.db.attendance.findMany({ where: { meetingId } }),
      this.audienceOf(meeting),
    ]);
    const answers = new Map(roster.map((r) => [r.member.id, r.rsvp.answer as Answer]));
    const stored = new Map(recorded.map((a) => [a.memberId, a.status as AttendanceStatus]));
    const members = new Map<number, MemberWithAccounts>();
    for (const m of audience) members.set(m.id, m);
    for (const r of roster) members.set(r.member.id, r.member);
    for (const [id, m] of await this.membersById([...stored.keys()].filter((id) => !members.has(id)))) members.set(id, m);
    return [...members.values()]
      .map((member) => {
        const answer = answers.get(member.id);
        const status = stored.get(member.id);
        return { member, answer, recorded: status !== undefined, status: status ?? proposal(answer) };
      })
      .sort((a, b) => a.member.displayName.localeCompare(b.member.displayName, "fr"));
  }

  /** Saves the whole sheet: the proposals as they are, with `overrides` applied. */
  async recordAttendance(meetingId: number, overrides: Map<number, AttendanceStatus>, actor: Member): Promise<SheetEntry[]> {
    const meeting = await this.require(meetingId, "bot");
    const now = this.deps.clock.now();
    if (meeting.status === "cancelled") throw new UserError(`La rencontre n° ${meetingId} a été annulée : pas de présences à saisir.`);
    if (now < meeting.startsAt) throw new UserError(`La rencontre n° ${meetingId} n'a pas encore commencé (${formatWhen(meeting.startsAt, this.deps.timeZone)}) : les présences se saisissent après.`);
    const sheet = await this.attendanceSheet(meetingId);
    const statuses = new Map(sheet.map((e) => [e.member.id, e.status]));
    for (const [id, status] of overrides) statuses.set(id, status);
    await this.deps.db.$transaction(async (tx) => {
      for (const [memberId, status] of statuses) {
        await tx.attendance.upsert({
          where: { meetingId_memberId: { meetingId, memberId } },
          create: { meetingId, memberId, status, recordedAt: now, recordedById: actor.id },
          update: { status, recordedAt: now, recordedById: actor.id },
        });
      }
      await audit(tx, { actorId: actor.id, action: "meeting.attendance", targetType: "meeting", targetId: meetingId, details: Object.fromEntries(statuses) }, now);
    });
    return this.attendanceSheet(meetingId);
  }

  // ─── posts and calendars ──────────────────────────────────────────────────────────────

  /**
   * Shows the meeting in the « rencontres » channel of each connected platform that does not
   * show it yet, and mirrors it in the platforms' calendars. A post that failed for an outage is
   * tried again later by a job; a missing channel is reported to the animator instead.
   */
  async publish(meetingId: number): Promise<PublishResult & { retry: boolean }> {
    const meeting = await this.require(meetingId, "bot");
    const result: PublishResult & { retry: boolean } = { posted: [], problems: [], retry: false };
    // The team's own meetings (steering committee, Caf points) are not announced to the network.
    if (meeting.status === "cancelled" || !canSeeMeeting(THE_NETWORK, meeting)) return result;
    const posts = await this.deps.db.meetingPost.findMany({ where: { meetingId, kind: "post" } });
    const missing = this.deps.notifications.platforms.filter((p) => !posts.some((post) => post.platform === p));
    if (missing.length > 0) {
      const card = meetingCard(meeting, this.counts(await this.roster(meetingId)), this.deps.clock.now(), this.deps.timeZone);
      const { refs, failures } = await this.deps.notifications.toChannel("rencontres", card, missing);
      for (const ref of refs) {
        await this.deps.db.meetingPost.create({
          data: { meetingId, platform: ref.platform, kind: "post", channelId: ref.channelId, externalId: ref.messageId, createdAt: this.deps.clock.now() },
        });
        result.posted.push(ref.platform);
      }
      for (const f of failures) {
        result.problems.push({ platform: f.platform, error: f.error });
        if (!f.unconfigured && !isLastingFailure(f.cause)) result.retry = true;
      }
    }
    result.problems.push(...(await this.syncCalendars(meeting)));
    if (result.retry) {
      const at = new Date(this.deps.clock.now().getTime() + 60_000);
      await this.deps.jobs.schedule<MeetingPayload>({ kind: JOB_KINDS.publish, dueAt: at, payload: { meetingId, sequence: meeting.sequence }, dedupeKey: publishKey(meetingId, meeting.sequence) });
    }
    return result;
  }

  /**
   * Edits the meeting's posts to show its current state. Concurrent calls for one meeting
   * coalesce: while an edit runs, the next one waits and then reads the latest answers, so the
   * last edit always shows the last state.
   */
  refreshPosts(meetingId: number): Promise<void> {
    const running = this.refreshes.get(meetingId);
    if (running) {
      running.again = true;
      return running.done;
    }
    const state = { again: false, done: Promise.resolve() };
    state.done = (async () => {
      try {
        do {
          state.again = false;
          await this.editPosts(meetingId).catch((err: unknown) => this.deps.log.warn({ err, meetingId }, "mise à jour des messages de la rencontre échouée"));
        } while (state.again);
      } finally {
        this.refreshes.delete(meetingId);
      }
    })();
    this.refreshes.set(meetingId, state);
    return state.done;
  }

  private async editPosts(meetingId: number): Promise<void> {
    const meeting = await this.get(meetingId);
    if (!meeting) return;
    const posts = await this.deps.db.meetingPost.findMany({ where: { meetingId, kind: "post" } });
    if (posts.length === 0) return;
    const card = meetingCard(meeting, this.counts(await this.roster(meetingId)), this.deps.clock.now(), this.deps.timeZone);
    await this.deps.notifications.edit(
      posts.map((p) => ({ platform: p.platform as PlatformName, channelId: p.channelId, messageId: p.externalId })),
      card,
    );
  }

  /** Creates, updates or cancels the meeting's event in each platform calendar; problems are returned, never thrown. */
  async syncCalendars(meeting: MeetingRecord): Promise<PublishResult["problems"]> {
    const problems: PublishResult["problems"] = [];
    for (const { platform, events } of this.deps.notifications.calendars()) {
      const row = await this.deps.db.meetingPost.findUnique({ where: { meetingId_platform_kind: { meetingId: meeting.id, platform, kind: "event" } } });
      try {
        if (meeting.status === "cancelled") {
          if (row) await events.cancel(row.externalId);
        } else if (row) {
          await events.update(row.externalId, this.calendarEvent(meeting));
        } else if (meeting.startsAt > this.deps.clock.now() && canSeeMeeting(THE_NETWORK, meeting)) {
          const id = await events.create(this.calendarEvent(meeting));
          await this.deps.db.meetingPost.create({ data: { meetingId: meeting.id, platform, kind: "event", channelId: "", externalId: id, createdAt: this.deps.clock.now() } });
        }
      } catch (err) {
        this.deps.log.warn({ err, platform, meetingId: meeting.id }, "événement du calendrier de la plateforme non synchronisé");
        problems.push({ platform, error: `événement du calendrier non synchronisé (${platformErrorText(err)})` });
      }
    }
    return problems;
  }

  private calendarEvent(m: MeetingRecord): CalendarEvent {
    const description = [`${audienceLabel(m)}.`, m.visioUrl ? `Visio : ${m.visioUrl}` : "", `Répondre : /rencontre details rencontre:${m.id}`].filter(Boolean).join("\n");
    return { name: meetingName(m), description, start: m.startsAt, end: m.endsAt, location: m.place ?? m.visioUrl ?? "À préciser" };
  }

  // ─── internals ────────────────────────────────────────────────────────────────────────

  /**
   * Takes the meeting's row for this transaction before reading anything: every change and every
   * answer to one meeting queue up behind it (a row lock on PostgreSQL, the write lock on SQLite),
   * so the last seat cannot be given twice. A write that changes nothing is the portable
   * SELECT … FOR UPDATE.
   */
  private async lock(tx: Tx, id: number, missing?: string): Promise<MeetingRecord> {
    const { count } = await tx.meeting.updateMany({ where: { id }, data: { sequence: { increment: 0 } } });
    if (count === 0) throw new UserError(missing ?? `La rencontre n° ${id} n'existe pas. Tapez /rencontre liste pour voir les rencontres à venir.`);
    return tx.meeting.findUniqueOrThrow({ where: { id } });
  }

  /** Gives free seats to the waiting list, first come first served; returns who got one. */
  private async promote(tx: Tx, meeting: MeetingRecord, roster: readonly RosterEntry[], now: Date): Promise<number[]> {
    let free = meeting.capacity === null ? Infinity : meeting.capacity - this.counts(roster).yes;
    const waiting = roster
      .filter((r) => r.rsvp.answer === "waitlist")
      .sort((a, b) => a.rsvp.waitlistedAt!.getTime() - b.rsvp.waitlistedAt!.getTime() || a.rsvp.id - b.rsvp.id);
    const promoted: number[] = [];
    for (const entry of waiting) {
      if (free <= 0) break;
      await tx.rsvp.update({ where: { id: entry.rsvp.id }, data: { answer: "yes", waitlistedAt: null } });
      entry.rsvp.answer = "yes";
      promoted.push(entry.member.id);
      free--;
    }
    if (promoted.length > 0) {
      await this.deps.jobs.schedule<NoticePayload>(
        { kind: JOB_KINDS.notice, dueAt: now, payload: { meetingId: meeting.id, notice: "promoted", memberIds: promoted, lines: [] }, dedupeKey: `meeting:${meeting.id}:promus:${now.getTime()}:${promoted.join("-")}` },
        tx,
      );
    }
    return promoted;
  }

  /** One job per reminder offset still ahead, and one at the end (closing the post, asking for attendance). */
  private async scheduleJobs(tx: Tx, meeting: MeetingRecord, now: Date): Promise<ReminderPlan> {
    const plan: ReminderPlan = { scheduled: [], passed: [] };
    if (meeting.status !== "scheduled") return plan;
    const offsets = parseOffsets(meeting.reminders || "aucun");
    for (const offset of offsets.ok ? offsets.value : []) {
      // At a decent hour (08:00–20:00) before the meeting; none left: like a passed reminder.
      const at = daytimeBefore(reminderDueAt(meeting.startsAt, offset, this.deps.timeZone), this.deps.timeZone, meeting.startsAt, now);
      if (!at || at <= now) {
        plan.passed.push(offset);
        continue;
      }
      // Two reminders moved to the same decent hour are one reminder.
      if (plan.scheduled.some((s) => s.at.getTime() === at.getTime())) continue;
      await this.deps.jobs.schedule<ReminderPayload>(
        { kind: JOB_KINDS.reminder, dueAt: at, payload: { meetingId: meeting.id, sequence: meeting.sequence, offset: offset.label }, dedupeKey: reminderKey(meeting.id, meeting.sequence, offset.label) },
        tx,
      );
      plan.scheduled.push({ offset, at });
    }
    await this.deps.jobs.schedule<MeetingPayload>(
      { kind: JOB_KINDS.ended, dueAt: meeting.endsAt, payload: { meetingId: meeting.id, sequence: meeting.sequence }, dedupeKey: endKey(meeting.id, meeting.sequence) },
      tx,
    );
    return plan;
  }

  private async cancelJobs(tx: Tx, meeting: MeetingRecord): Promise<void> {
    const offsets = parseOffsets(meeting.reminders || "aucun");
    const keys = [
      ...(offsets.ok ? offsets.value : []).map((o) => reminderKey(meeting.id, meeting.sequence, o.label)),
      endKey(meeting.id, meeting.sequence),
      publishKey(meeting.id, meeting.sequence),
    ];
    for (const key of keys) await this.deps.jobs.cancel(key, tx);
  }

  async membersById(ids: readonly number[], db: PrismaClient | Tx = this.deps.db): Promise<Map<number, MemberWithAccounts>> {
    if (ids.length === 0) return new Map();
    const members = await db.member.findMany({ where: { id: { in: [...new Set(ids)] } }, include: { accounts: true } });
    return new Map(members.map((m) => [m.id, m]));
  }
}

/** The attendance proposed from an answer, for the animator to confirm or correct. */
function proposal(answer: Answer | undefined): AttendanceStatus {
  if (answer === "yes") return "present";
  if (answer === "no" || answer === "waitlist") return "excused";
  return "absent";
}
