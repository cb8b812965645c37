/**
 * Practice-analysis scheduling, Doodle-style: the animator proposes 2 to 8 slots (3 h by
 * default, as the specification's « 2 fois 3 heures / an »), members answer each one with
 * « Disponible », « Si besoin » or « Indisponible » from any platform, and at closing the slot
 * with the most « Disponible » (then « Si besoin », then the earliest) becomes an « analyse de
 * pratique » meeting through the meetings feature (practice-meetings.ts).
 *
 * Answering happens in a private view opened from the public message: eight slots × three
 * answers would not fit Discord's five rows of five components, so each slot is a select menu,
 * four per page, with page buttons.
 */
import type { PollDeps } from "./common.js";
import type { Prisma } from "../../store/index.js";
import type { Member } from "../../store/index.js";
import { audit } from "../audit.js";
import { publishRecord } from "../publication.js";
import { UserError } from "../errors.js";
import { componentId, type Button, type ComponentRow, type Reply } from "../reply.js";
import { platformsLabel, postingReport } from "../publication.js";
import { cut } from "../text-lists.js";
import { MeetingsNotConnected, type PracticeMeetings } from "./practice-meetings.js";
import { formatWhen } from "../dates.js";
import { slotLabel } from "./when.js";
import { scheduleOutcome, tellOutcome, type OutcomePayload } from "./availability-outcome.js";
import type { JobContext } from "../../scheduler/index.js";
import type { AvailabilityDraft } from "./availability-draft.js";
import { agree } from "../../shared/plural.js";
export const AVAILABILITY_CHANNEL = "rencontres" as const;
export const AVAILABILITY_JOBS = { close: "availability.close" } as const;

/** The payloads of these kinds, for the compiler (see src/scheduler/job-kinds.ts). */
declare module "../../scheduler/index.js" {
  interface JobPayloads {
    [AVAILABILITY_JOBS.close]: { pollId: number };
  }
}
const availabilityJobKey = (id: number) => `availability:${id}:close`;
const SLOTS_PER_PAGE = 4;

const ANSWERS = { oui: "Disponible", sibesoin: "Si besoin", non: "Indisponible" } as const;
type Answer = keyof typeof ANSWERS;
const ANSWER_ICONS: Record<Answer, string> = { oui: "✅", sibesoin: "🤔", non: "❌" };
const isAnswer = (v: string): v is Answer => v in ANSWERS;

type PollWithSlots = Prisma.AvailabilityPollGetPayload<{ include: { slots: true } }>;
interface SlotCount {
  position: number;
  slotId: number;
  startsAt: Date;
  endsAt: Date;
  oui: number;
  sibesoin: number;
  non: number;
}

/** What a poll needs, plus the meetings service the chosen slot becomes a meeting through. */
interface AvailabilityDeps extends PollDeps {
  meetings: () => PracticeMeetings | undefined;
}


/** How many answered, and (while open, once someone has) the slot that leads. */
function answeredLine(respondents: number, leading: number | null): string {
  if (respondents === 0) return "Personne n'a encore répondu.";
  const count = respondents === 1 ? "1 personne a répondu." : `${respondents} personnes ont répondu.`;
  return leading === null ? count : `${count} En tête pour l'instant : créneau ${leading}.`;
}

export class AvailabilityService {
  constructor(private readonly deps: AvailabilityDeps) {}

  private get db() {
    return this.deps.db;
  }

  async create(draft: AvailabilityDraft, actorId: number): Promise<Reply> {
    const { clock, services } = this.deps;
    const now = clock.now();
    const { record: poll, refs, failures } = await publishRecord(this.deps, {
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
      render: async (created) => this.message(created, await this.counts(created)),
      jobKeys: (created) => [availabilityJobKey(created.id)],
      discard: (tx, created) => tx.availabilityPoll.delete({ where: { id: created.id } }),
    });
    return {
      text: `Proposition de créneaux n°${poll.id} publiée (${platformsLabel(refs)}) : ${draft.slots.length} créneaux, réponses jusqu'au ${draft.closingReading}.${postingReport(failures)}`,
      private: true,
      tone: failures.length ? "warning" : "success",
    };
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

  message(poll: PollWithSlots, counts: readonly SlotCount[]): Reply {
    const timeZone = this.deps.timeZone;
    const open = poll.state === "open";
    const chosen = poll.slots.find((s) => s.id === poll.chosenSlotId);
    const text = open
      ? `Indiquez vos disponibilités pour chaque créneau avant le ${formatWhen(poll.closesAt, timeZone)} (bouton « Répondre »). Le créneau qui réunit le plus de « Disponible » sera retenu.`
      : chosen
        ? `Réponses closes. **Créneau retenu : ${slotLabel(chosen.startsAt, chosen.endsAt, timeZone)}.**`
        : "Réponses closes.";
    const where = [poll.place ? `Lieu : ${poll.place}` : "", poll.visioUrl ? `Visio : ${poll.visioUrl}` : ""].filter(Boolean).join(" · ");
    const components: ComponentRow[] = open ? [{ buttons: [{ kind: "button", id: componentId("analyse", "repondre", poll.id), label: "Répondre", style: "primary" }] }] : [];
    return {
      title: cut(`🗓️ ${poll.title} — créneaux n°${poll.id}`, 256),
      text: where ? `${text}\n${where}` : text,
      fields: counts.map((c) => ({
        name: `${c.position}. ${slotLabel(c.startsAt, c.endsAt, timeZone)}${c.slotId === poll.chosenSlotId ? " — retenu" : ""}`,
        value: `${ANSWER_ICONS.oui} ${ANSWERS.oui} : ${c.oui} · ${ANSWER_ICONS.sibesoin} ${ANSWERS.sibesoin} : ${c.sibesoin} · ${ANSWER_ICONS.non} ${ANSWERS.non} : ${c.non}`,
      })),
      components,
      tone: open ? "info" : "success",
    };
  }

  /** The private view where a member answers, four slots per page. */
  async answerView(pollId: number, member: Member, page = 1): Promise<Reply> {
    const poll = await this.get(pollId);
    if (poll.state !== "open") throw new UserError(`Les réponses à la proposition de créneaux n°${poll.id} sont closes.`);
    const mine = await this.db.availabilityAnswer.findMany({ where: { memberId: member.id, slotId: { in: poll.slots.map((s) => s.id) } } });
    const answerOf = new Map(mine.map((a) => [a.slotId, a.answer as Answer]));
    const pages = Math.ceil(poll.slots.length / SLOTS_PER_PAGE);
    const current = Math.min(Math.max(1, page), pages);
    const shown = poll.slots.slice((current - 1) * SLOTS_PER_PAGE, current * SLOTS_PER_PAGE);
    const components: ComponentRow[] = shown.map((s) => {
      const answer = answerOf.get(s.id);
      return {
        select: {
          kind: "select",
          id: componentId("analyse", "dispo", poll.id, s.position, current),
          placeholder: cut(`${s.position}. ${slotLabel(s.startsAt, s.endsAt, this.deps.timeZone)} — ${answer ? ANSWERS[answer] : "à renseigner"}`, 150),
          options: (Object.keys(ANSWERS) as Answer[]).map((a) => ({ label: `${ANSWER_ICONS[a]} ${ANSWERS[a]}`, value: a })),
        },
      };
    });
    if (pages > 1) {
      const nav: Button[] = [];
      if (current > 1) nav.push({ kind: "button", id: componentId("analyse", "page", poll.id, current - 1), label: `◀ Créneaux ${(current - 2) * SLOTS_PER_PAGE + 1}–${(current - 1) * SLOTS_PER_PAGE}`, style: "secondary" });
      if (current < pages) nav.push({ kind: "button", id: componentId("analyse", "page", poll.id, current + 1), label: `Créneaux ${current * SLOTS_PER_PAGE + 1}–${Math.min(poll.slots.length, (current + 1) * SLOTS_PER_PAGE)} ▶`, style: "secondary" });
      components.push({ buttons: nav });
    }
    const answered = poll.slots.filter((s) => answerOf.has(s.id)).length;
    return {
      title: cut(`Vos disponibilités — ${poll.title}`, 256),
      text: `Choisissez une réponse pour chaque créneau (${answered}/${poll.slots.length} ${agree(answered, "renseigné", "renseignés")}${pages > 1 ? `, page ${current}/${pages}` : ""}). Vous pouvez changer d'avis jusqu'au ${formatWhen(poll.closesAt, this.deps.timeZone)}.`,
      components,
      private: true,
    };
  }

  async answer(pollId: number, member: Member, position: number, value: string, page: number): Promise<Reply> {
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
    return { ...(await this.answerView(poll.id, member, page)), update: true };
  }

  /** Who answered what, slot by slot (for the animator's choice). */
  async details(pollId: number | undefined): Promise<Reply> {
    const poll = pollId === undefined ? await this.latest() : await this.get(pollId);
    const answers = await this.db.availabilityAnswer.findMany({ where: { slotId: { in: poll.slots.map((s) => s.id) } } });
    const members = await this.db.member.findMany({ where: { id: { in: [...new Set(answers.map((a) => a.memberId))] } }, select: { id: true, displayName: true } });
    const name = new Map(members.map((m) => [m.id, m.displayName]));
    const counts = await this.counts(poll);
    const best = this.best(counts);
    return {
      title: cut(`Réponses — ${poll.title} (créneaux n°${poll.id})`, 256),
      text: answeredLine(new Set(answers.map((a) => a.memberId)).size, poll.state === "open" ? best.position : null),
      fields: poll.slots.map((s) => {
        const of = (a: Answer) => answers.filter((x) => x.slotId === s.id && x.answer === a).map((x) => name.get(x.memberId) ?? `#${x.memberId}`).sort((a, b) => a.localeCompare(b, "fr"));
        return {
          name: `${s.position}. ${slotLabel(s.startsAt, s.endsAt, this.deps.timeZone)}${s.id === poll.chosenSlotId ? " — retenu" : ""}`,
          value: (Object.keys(ANSWERS) as Answer[]).map((a) => `${ANSWER_ICONS[a]} ${of(a).join(", ") || "—"}`).join("\n"),
        };
      }),
      private: true,
    };
  }

  /** The job after a choice: the « Disponible » registered, every respondent told (availability-outcome.ts). */
  tellOutcome(payload: OutcomePayload, ctx: JobContext): Promise<void> {
    return tellOutcome(this.deps, payload, ctx);
  }

  async render(pollId: number): Promise<void> {
    const poll = await this.db.availabilityPoll.findUnique({ where: { id: pollId }, include: { slots: { orderBy: { position: "asc" } } } });
    if (!poll) return;
    await this.deps.services.notifications.edit(await this.deps.posted.refs("availability", poll.id, "channel"), this.message(poll, await this.counts(poll)));
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
  async choose(pollId: number, position: number, actorId: number): Promise<Reply> {
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
        return { text: `Créneau ${position} retenu (${label}) ; les réponses sont closes. ${meeting.line}${posted ? postingReport(posted.failures) : ""}`, private: true, tone: meeting.ok ? "success" : "warning" };
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
    const sent = await services.notifications.toChannel(AVAILABILITY_CHANNEL, {
      title: cut(`🗓️ ${updated.title} — changement de créneau`, 256),
      text: `L'animateur a retenu un autre créneau : **${label}**.${meeting.ok ? " La rencontre et ses rappels suivent ce changement." : ""}`,
      tone: "info",
    });
    await this.render(poll.id);
    return { text: `Créneau ${position} retenu à la place du précédent (${label}). ${meeting.line}${postingReport(sent.failures)}`, private: true, tone: meeting.ok ? "success" : "warning" };
  }

  private input(poll: PollWithSlots, slot: { startsAt: Date; endsAt: Date }) {
    return { title: poll.title, startsAt: slot.startsAt, endsAt: slot.endsAt, place: poll.place, visioUrl: poll.visioUrl, capacity: poll.capacity, organizerId: poll.createdById, source: `availability:${poll.id}` };
  }

  /**
   * Creates the meeting of the chosen slot, at most once: the poll is claimed (meetingError
   * « en cours ») before the meetings service is called, so a job re-run cannot create a second
   * one. Without a connected meetings service, the reason is recorded and said, never hidden.
   */
  private async ensureMeeting(pollId: number): Promise<{ ok: boolean; line: string }> {
    const poll = await this.get(pollId);
    const slot = poll.slots.find((s) => s.id === poll.chosenSlotId);
    if (!slot) return { ok: false, line: "" };
    if (poll.meetingId) return { ok: true, line: "La rencontre existe déjà." };
    const claimed = await this.db.availabilityPoll.updateMany({ where: { id: poll.id, meetingId: null, meetingError: null }, data: { meetingError: "en cours" } });
    if (claimed.count === 0) return { ok: false, line: poll.meetingError ? `Rencontre non créée : ${poll.meetingError}.` : "" };
    return this.createMeeting(poll, slot);
  }

  private async createMeeting(poll: PollWithSlots, slot: { id: number; startsAt: Date; endsAt: Date }): Promise<{ ok: boolean; line: string }> {
    const port = this.deps.meetings();
    try {
      if (!port) throw new MeetingsNotConnected();
      const created = await port.create(this.input(poll, slot));
      await this.db.$transaction(async (tx) => {
        await tx.availabilityPoll.update({ where: { id: poll.id }, data: { meetingId: created.id, meetingError: null } });
        await scheduleOutcome(this.deps, { pollId: poll.id, slotId: slot.id, informed: [] }, tx);
      });
      return { ok: true, line: `La rencontre « ${poll.title} » est créée avec ses rappels${created.summary ? ` (${created.summary})` : ""}.` };
    } catch (err) {
      const reason = err instanceof MeetingsNotConnected ? err.message : `échec de la création (${(err as Error).message})`;
      this.deps.log.warn({ err, availabilityId: poll.id }, "rencontre d'analyse de pratique non créée");
      await this.db.availabilityPoll.update({ where: { id: poll.id }, data: { meetingError: reason } });
      return { ok: false, line: `⚠️ La rencontre n'a PAS été créée : ${reason}. Créez-la avec /rencontre pour ce créneau.` };
    }
  }

  private async moveMeeting(pollId: number): Promise<{ ok: boolean; line: string }> {
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
      return { ok: true, line: `La rencontre est déplacée sur ce créneau, rappels compris${moved.summary ? ` (${moved.summary})` : ""}.` };
    } catch (err) {
      this.deps.log.warn({ err, availabilityId: poll.id }, "rencontre d'analyse de pratique non déplacée");
      return { ok: false, line: `⚠️ La rencontre n'a PAS été déplacée (${(err as Error).message}) : modifiez-la avec /rencontre.` };
    }
  }

  /** Posts the chosen slot once (claimed first), edits the original messages, tells the animator if the meeting is missing. */
  private async publishResult(pollId: number, meeting: { ok: boolean; line: string }) {
    const { db, clock, services } = this.deps;
    const { count } = await db.availabilityPoll.updateMany({ where: { id: pollId, state: "closed", resultPostedAt: null }, data: { resultPostedAt: clock.now() } });
    if (count === 0) return null;
    const poll = await this.get(pollId);
    const counts = await this.counts(poll);
    const chosen = counts.find((c) => c.slotId === poll.chosenSlotId);
    const nobody = counts.every((c) => c.oui + c.sibesoin + c.non === 0);
    const text = chosen
      ? `**${slotLabel(chosen.startsAt, chosen.endsAt, this.deps.timeZone)}** — ${ANSWERS.oui} : ${chosen.oui}, ${ANSWERS.sibesoin} : ${chosen.sibesoin}.` +
        `${poll.chosenBy === "animateur" ? " Créneau choisi par l'animateur." : nobody ? " Personne n'a répondu : le premier créneau est retenu." : ""}` +
        `${meeting.ok ? " La rencontre est au calendrier, avec ses rappels." : ""}`
      : "Aucun créneau retenu.";
    const sent = await services.notifications.toChannel(AVAILABILITY_CHANNEL, { title: cut(`🗓️ ${poll.title} : créneau retenu`, 256), text, tone: "success" });
    await this.render(poll.id);
    if (!meeting.ok && meeting.line && poll.createdById) {
      const organizer = await services.members.get(poll.createdById);
      if (organizer) await services.notifications.toMember(organizer, { text: `Proposition de créneaux n°${poll.id} : ${meeting.line}` }).catch(() => undefined);
    }
    return sent;
  }
}

