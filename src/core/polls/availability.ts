/**
 * Practice-analysis scheduling, Doodle-style: the animator proposes 2 to 8 slots (3 h by
 * default, as the specification's « 2 fois 3 heures / an »), members answer each one with
 * « Disponible », « Si besoin » or « Indisponible » from any platform, and at closing the slot
 * with the most « Disponible » (then « Si besoin », then the earliest) becomes an « analyse de
 * pratique » meeting through the meetings feature (practice-meetings.ts).
 *
 * The rules live here and return domain results (./availability-model.ts); the replies are built
 * in ./availability-views.ts.
 */
import type { PollDeps } from "./common.js";
import type { Member } from "../../store/index.js";
import { audit } from "../audit.js";
import { publishRecord, type Published } from "../publication.js";
import { UserError } from "../errors.js";
import { MeetingsNotConnected, type PracticeMeetings } from "./practice-meetings.js";
import { slotLabel } from "./when.js";
import { scheduleOutcome, tellOutcome, type OutcomePayload } from "./availability-outcome.js";
import type { JobContext } from "../../scheduler/index.js";
import type { AvailabilityDraft } from "./availability-draft.js";
import { isAnswer, type Answer, type AnswerDetails, type AnswerSheet, type ChoiceOutcome, type MeetingOutcome, type PollWithSlots, type SlotCount } from "./availability-model.js";
import { availabilityMessage, availabilityResultPost, missingMeetingNotice, slotChangePost } from "./availability-views.js";
export const AVAILABILITY_CHANNEL = "rencontres" as const;
export const AVAILABILITY_JOBS = { close: "availability.close" } as const;

/** The payloads of these kinds, for the compiler (see src/scheduler/job-kinds.ts). */
declare module "../../scheduler/index.js" {
  interface JobPayloads {
    [AVAILABILITY_JOBS.close]: { pollId: number };
  }
}
const availabilityJobKey = (id: number) => `availability:${id}:close`;

/** What a poll needs, plus the meetings service the chosen slot becomes a meeting through. */
interface AvailabilityDeps extends PollDeps {
  meetings: () => PracticeMeetings | undefined;
}

export class AvailabilityService {
  constructor(private readonly deps: AvailabilityDeps) {}

  private get db() {
    return this.deps.db;
  }

  async create(draft: AvailabilityDraft, actorId: number): Promise<Published<PollWithSlots>> {
    const { clock, services } = this.deps;
    const now = clock.now();
    return publishRecord(this.deps, {
      subject: "availability",
      channel: AVAILABILITY_CHANNEL,
      auditTarget: "availability",
      create: async (tx) => {
        const created = await tx.availabilityPoll.create({
          data: {
            title: draft.title,
            place: draft.place,
            visioUrl: draft.visioUrl,
            capacity: draft.capacity,
            closesAt: draft.closesAt,
            createdById: actorId,
            createdAt: now,
            slots: { create: draft.slots.map((s, i) => ({ position: i + 1, startsAt: s.startsAt, endsAt: s.endsAt })) },
          },
          include: { slots: { orderBy: { position: "asc" } } },
        });
        await services.jobs.schedule({ kind: AVAILABILITY_JOBS.close, dueAt: draft.closesAt, payload: { pollId: created.id }, dedupeKey: availabilityJobKey(created.id) }, tx);
        await audit(tx, { actorId, action: "availability.create", targetType: "availability", targetId: created.id, details: { titre: draft.title, creneaux: draft.slots.map((s) => s.reading), cloture: draft.closesAt.toISOString() } }, now);
        return created;
      },
      render: async (created) => availabilityMessage(created, await this.counts(created), this.deps.timeZone),
      jobKeys: (created) => [availabilityJobKey(created.id)],
      discard: (tx, created) => tx.availabilityPoll.delete({ where: { id: created.id } }),
    });
  }

  async get(id: number): Promise<PollWithSlots> {
    const poll = await this.db.availabilityPoll.findUnique({ where: { id }, include: { slots: { orderBy: { position: "asc" } } } });
    if (!poll) throw new UserError(`La proposition de créneaux n°${id} n'existe pas.`);
    return poll;
  }

  async latest(): Promise<PollWithSlots> {
    const poll = await this.db.availabilityPoll.findFirst({ orderBy: { id: "desc" }, include: { slots: { orderBy: { position: "asc" } } } });
    if (!poll) throw new UserError("Aucune proposition de créneaux n'a encore été faite (/analyse planifier).");
    return poll;
  }

  async counts(poll: PollWithSlots): Promise<SlotCount[]> {
    const rows = await this.db.availabilityAnswer.groupBy({ by: ["slotId", "answer"], where: { slotId: { in: poll.slots.map((s) => s.id) } }, _count: { _all: true } });
    return poll.slots.map((s) => {
      const of = (a: Answer) => rows.find((r) => r.slotId === s.id && r.answer === a)?._count._all ?? 0;
      return { position: s.position, slotId: s.id, startsAt: s.startsAt, endsAt: s.endsAt, oui: of("oui"), sibesoin: of("sibesoin"), non: of("non") };
    });
  }

  /** The rule: most « Disponible », then most « Si besoin », then the earliest. */
  best(counts: readonly SlotCount[]): SlotCount {
    return [...counts].sort((a, b) => b.oui - a.oui || b.sibesoin - a.sibesoin || a.startsAt.getTime() - b.startsAt.getTime())[0]!;
  }

  /** A member's answers, for the private view where they answer (open polls only). */
  async sheet(pollId: number, member: Member): Promise<AnswerSheet> {
    const poll = await this.get(pollId);
    if (poll.state !== "open") throw new UserError(`Les réponses à la proposition de créneaux n°${poll.id} sont closes.`);
    const mine = await this.db.availabilityAnswer.findMany({ where: { memberId: member.id, slotId: { in: poll.slots.map((s) => s.id) } } });
    return { poll, mine: new Map(mine.map((a) => [a.slotId, a.answer as Answer])) };
  }

  /** Records one slot's answer; returns the member's answers now. */
  async answer(pollId: number, member: Member, position: number, value: string): Promise<AnswerSheet> {
    if (!isAnswer(value)) throw new UserError("Réponse inconnue : choisissez Disponible, Si besoin ou Indisponible.");
    const poll = await this.get(pollId);
    const slot = poll.slots.find((s) => s.position === position);
    if (!slot) throw new UserError("Ce créneau n'existe plus.");
    const now = this.deps.clock.now();
    if (poll.state !== "open" || poll.closesAt.getTime() <= now.getTime()) throw new UserError(`Les réponses à la proposition de créneaux n°${poll.id} sont closes : la vôtre n'a pas été enregistrée.`);
    await this.db.availabilityAnswer.upsert({
      where: { slotId_memberId: { slotId: slot.id, memberId: member.id } },
      create: { slotId: slot.id, memberId: member.id, answer: value, answeredAt: now },
      update: { answer: value, answeredAt: now },
    });
    this.deps.live.request(`availability:${poll.id}`);
    return this.sheet(poll.id, member);
  }

  /** Who answered what, slot by slot (for the animator's choice). */
  async details(pollId: number | undefined): Promise<AnswerDetails> {
    const poll = pollId === undefined ? await this.latest() : await this.get(pollId);
    const answers = await this.db.availabilityAnswer.findMany({ where: { slotId: { in: poll.slots.map((s) => s.id) } } });
    const members = await this.db.member.findMany({ where: { id: { in: [...new Set(answers.map((a) => a.memberId))] } }, select: { id: true, displayName: true } });
    const leading = poll.state === "open" ? this.best(await this.counts(poll)).position : null;
    return { poll, answers, names: new Map(members.map((m) => [m.id, m.displayName])), leading };
  }

  /** The job after a choice: the « Disponible » registered, every respondent told (availability-outcome.ts). */
  tellOutcome(payload: OutcomePayload, ctx: JobContext): Promise<void> {
    return tellOutcome(this.deps, payload, ctx);
  }

  async render(pollId: number): Promise<void> {
    const poll = await this.db.availabilityPoll.findUnique({ where: { id: pollId }, include: { slots: { orderBy: { position: "asc" } } } });
    if (!poll) return;
    await this.deps.services.notifications.edit(await this.deps.posted.refs("availability", poll.id, "channel"), availabilityMessage(poll, await this.counts(poll), this.deps.timeZone));
  }

  /** The closing job: picks the best slot (unless the animator chose already), then the meeting and the result. */
  async closeDue(pollId: number): Promise<void> {
    const poll = await this.db.availabilityPoll.findUnique({ where: { id: pollId }, include: { slots: { orderBy: { position: "asc" } } } });
    if (!poll) return;
    if (poll.state === "open") {
      const best = this.best(await this.counts(poll));
      await this.db.availabilityPoll.updateMany({ where: { id: poll.id, state: "open" }, data: { state: "closed", closedAt: this.deps.clock.now(), chosenSlotId: best.slotId, chosenBy: "auto" } });
    }
    const meeting = await this.ensureMeeting(poll.id);
    await this.publishResult(poll.id, meeting);
  }

  /** /analyse choisir: before closing, closes now with that slot; after, switches to it. */
  async choose(pollId: number, position: number, actorId: number): Promise<ChoiceOutcome> {
    const { db, clock, services } = this.deps;
    const poll = await this.get(pollId);
    const slot = poll.slots.find((s) => s.position === position);
    if (!slot) throw new UserError(`La proposition n°${poll.id} a ${poll.slots.length} créneaux : choisissez un numéro de 1 à ${poll.slots.length}.`);
    const label = slotLabel(slot.startsAt, slot.endsAt, this.deps.timeZone);
    if (slot.startsAt.getTime() <= clock.now().getTime()) throw new UserError(`Le créneau ${position} (${label}) est passé : choisissez-en un autre.`);
    const now = clock.now();
    if (poll.state === "open") {
      const won = await db.$transaction(async (tx) => {
        const { count } = await tx.availabilityPoll.updateMany({ where: { id: poll.id, state: "open" }, data: { state: "closed", closedAt: now, chosenSlotId: slot.id, chosenBy: "animateur" } });
        if (count === 0) return false;
        await services.jobs.cancel(availabilityJobKey(poll.id), tx);
        await audit(tx, { actorId, action: "availability.choose", targetType: "availability", targetId: poll.id, details: { creneau: position, avantCloture: true } }, now);
        return true;
      });
      if (won) {
        const meeting = await this.ensureMeeting(poll.id);
        const posted = await this.publishResult(poll.id, meeting);
        return { kind: "closed", position, slot, meeting, failures: posted ? posted.failures : null };
      }
    }
    // Closed already: switch to another slot (and move the meeting).
    const current = await this.get(poll.id);
    if (current.chosenSlotId === slot.id) throw new UserError(`Le créneau ${position} (${label}) est déjà celui retenu.`);
    await db.$transaction(async (tx) => {
      await tx.availabilityPoll.update({ where: { id: poll.id }, data: { chosenSlotId: slot.id, chosenBy: "animateur" } });
      await audit(tx, { actorId, action: "availability.choose", targetType: "availability", targetId: poll.id, details: { creneau: position, avantCloture: false } }, now);
    });
    const meeting = await this.moveMeeting(poll.id);
    const updated = await this.get(poll.id);
    const sent = await services.notifications.toChannel(AVAILABILITY_CHANNEL, slotChangePost(updated, slot, meeting, this.deps.timeZone));
    await this.render(poll.id);
    return { kind: "switched", position, slot, meeting, failures: sent.failures };
  }

  private input(poll: PollWithSlots, slot: { startsAt: Date; endsAt: Date }) {
    return { title: poll.title, startsAt: slot.startsAt, endsAt: slot.endsAt, place: poll.place, visioUrl: poll.visioUrl, capacity: poll.capacity, organizerId: poll.createdById, source: `availability:${poll.id}` };
  }

  /**
   * Creates the meeting of the chosen slot, at most once: the poll is claimed (meetingError
   * « en cours ») before the meetings service is called, so a job re-run cannot create a second
   * one. Without a connected meetings service, the reason is recorded and said, never hidden.
   */
  private async ensureMeeting(pollId: number): Promise<MeetingOutcome> {
    const poll = await this.get(pollId);
    const slot = poll.slots.find((s) => s.id === poll.chosenSlotId);
    if (!slot) return { kind: "none" };
    if (poll.meetingId) return { kind: "exists" };
    const claimed = await this.db.availabilityPoll.updateMany({ where: { id: poll.id, meetingId: null, meetingError: null }, data: { meetingError: "en cours" } });
    if (claimed.count === 0) return poll.meetingError ? { kind: "failed-before", reason: poll.meetingError } : { kind: "none" };
    return this.createMeeting(poll, slot);
  }

  private async createMeeting(poll: PollWithSlots, slot: { id: number; startsAt: Date; endsAt: Date }): Promise<MeetingOutcome> {
    const port = this.deps.meetings();
    try {
      if (!port) throw new MeetingsNotConnected();
      const created = await port.create(this.input(poll, slot));
      await this.db.$transaction(async (tx) => {
        await tx.availabilityPoll.update({ where: { id: poll.id }, data: { meetingId: created.id, meetingError: null } });
        await scheduleOutcome(this.deps, { pollId: poll.id, slotId: slot.id, informed: [] }, tx);
      });
      return { kind: "created", title: poll.title, summary: created.summary };
    } catch (err) {
      const reason = err instanceof MeetingsNotConnected ? err.message : `échec de la création (${(err as Error).message})`;
      this.deps.log.warn({ err, availabilityId: poll.id }, "rencontre d'analyse de pratique non créée");
      await this.db.availabilityPoll.update({ where: { id: poll.id }, data: { meetingError: reason } });
      return { kind: "not-created", reason };
    }
  }

  private async moveMeeting(pollId: number): Promise<MeetingOutcome> {
    const poll = await this.get(pollId);
    const slot = poll.slots.find((s) => s.id === poll.chosenSlotId)!;
    const port = this.deps.meetings();
    if (!poll.meetingId || !port) {
      // Nothing to move: try to create it now (a failure earlier, or meetings connected since).
      await this.db.availabilityPoll.update({ where: { id: poll.id }, data: { meetingError: null } });
      return this.createMeeting(poll, slot);
    }
    try {
      const informed = await port.answered(poll.meetingId);
      const moved = await port.move(poll.meetingId, this.input(poll, slot));
      await scheduleOutcome(this.deps, { pollId: poll.id, slotId: slot.id, informed });
      return { kind: "moved", summary: moved.summary };
    } catch (err) {
      this.deps.log.warn({ err, availabilityId: poll.id }, "rencontre d'analyse de pratique non déplacée");
      return { kind: "not-moved", error: (err as Error).message };
    }
  }

  /** Posts the chosen slot once (claimed first), edits the original messages, tells the animator if the meeting is missing. */
  private async publishResult(pollId: number, meeting: MeetingOutcome) {
    const { db, clock, services } = this.deps;
    const { count } = await db.availabilityPoll.updateMany({ where: { id: pollId, state: "closed", resultPostedAt: null }, data: { resultPostedAt: clock.now() } });
    if (count === 0) return null;
    const poll = await this.get(pollId);
    const sent = await services.notifications.toChannel(AVAILABILITY_CHANNEL, availabilityResultPost(poll, await this.counts(poll), meeting, this.deps.timeZone));
    await this.render(poll.id);
    const notice = missingMeetingNotice(poll.id, meeting);
    if (notice && poll.createdById) {
      const organizer = await services.members.get(poll.createdById);
      if (organizer) await services.notifications.toMember(organizer, notice).catch(() => undefined);
    }
    return sent;
  }
}

