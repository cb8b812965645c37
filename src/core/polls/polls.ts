/**
 * Polls with our own stored votes, so a vote cast on Discord and one cast on Slack count in one
 * result (Discord's native polls would split them).
 *
 * Anonymity. A voter is stored as HMAC-SHA256(poll salt, member id): enough to refuse a double
 * vote and to let someone change their vote, never their name. For an anonymous poll the member
 * id is not stored at all, and the salt is erased when the poll closes, after which nobody —
 * not even someone reading the database — can tell whose vote is whose. Nothing here logs a
 * voter or a choice, and results of an anonymous poll are counts only.
 */
import { createHmac, randomBytes } from "node:crypto";

import type { Logger } from "../../logger.js";
import { daytimeBefore, type JobContext } from "../../scheduler/index.js";
import type { Prisma, PrismaClient } from "../../store/index.js";
import { audit } from "../audit.js";
import type { Clock } from "../clock.js";
import { UserError } from "../errors.js";
import { STAFF } from "../roles.js";
import type { Member } from "../../store/index.js";
import { publishRecord } from "../publication.js";
import { componentId, type Button, type ComponentRow, type Reply } from "../reply.js";
import type { Services } from "../services.js";
import {
  AUDIENCES,
  InputRefused,
  audienceMembers,
  cut,
  inRows,
  outsideAudience,
  platformsLabel,
  postingReport,
  sameText,
  splitList,
  type Audience,
  type PostedMessages,
  type Problem,
} from "./common.js";
import type { LiveRenders } from "./live.js";
import { plural, tallyFields, winners, type Tally } from "./tally.js";
import { formatWhen, parseClosing } from "./when.js";

export const POLL_LIMITS = { options: { min: 2, max: 10 }, optionLength: 100, questionLength: 200 } as const;
/** The channel polls are posted in. */
export const POLL_CHANNEL = "annonces" as const;
/** The non-voter reminder goes out this long before closing (if the poll lasts long enough). */
export const REMINDER_BEFORE_MS = 24 * 3600_000;

export const POLL_JOBS = { close: "poll.close", remind: "poll.remind" } as const;
export const pollJobKey = (pollId: number, what: "close" | "remind") => `poll:${pollId}:${what}`;

export interface PollDraft {
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
  /** Names shown to every member before closing (noms:visibles). */
  namesVisible: boolean;
  audience: Audience;
  closesAt: Date;
  closingReading: string;
}

export type PollWithOptions = Prisma.PollGetPayload<{ include: { options: true } }>;

export interface PollDeps {
  db: PrismaClient;
  services: Services;
  clock: Clock;
  timezone: string;
  log: Logger;
  posted: PostedMessages;
  live: LiveRenders;
}

/** Reads and checks everything typed for a poll; refuses with every problem at once. */
export function parsePollDraft(
  input: { question: string; options: string; multiple: boolean; anonymous: boolean; namesVisible?: boolean; audience: Audience; closing: string },
  now: Date,
  timeZone: string,
): PollDraft {
  const problems: Problem[] = [];
  const question = input.question.trim();
  if (question.length < 3) problems.push({ field: "question", message: "3 caractères au moins" });
  if (question.length > POLL_LIMITS.questionLength) problems.push({ field: "question", message: `${POLL_LIMITS.questionLength} caractères au plus (${question.length} donnés)` });
  const options = splitList(input.options);
  const expected = "des options séparées par « ; », par exemple « Mardi matin ; Jeudi après-midi »";
  if (options.length < POLL_LIMITS.options.min) {
    problems.push({ field: "options", message: `${POLL_LIMITS.options.min} options au moins (${plural(options.length, "donnée", "données")})`, expected });
  } else if (options.length > POLL_LIMITS.options.max) {
    problems.push({ field: "options", message: `${POLL_LIMITS.options.max} options au plus (${options.length} données)`, expected });
  } else {
    const seen = new Map<string, number>();
    options.forEach((label, i) => {
      if (!label) problems.push({ field: "options", message: `l'option ${i + 1} est vide (deux « ; » à la suite ?)`, expected });
      else if (label.length > POLL_LIMITS.optionLength) problems.push({ field: "options", message: `l'option ${i + 1} dépasse ${POLL_LIMITS.optionLength} caractères` });
      else {
        const key = sameText(label);
        const first = seen.get(key);
        if (first !== undefined) problems.push({ field: "options", message: `« ${label} » est donnée deux fois (options ${first + 1} et ${i + 1})` });
        else seen.set(key, i);
      }
    });
  }
  const closing = parseClosing(input.closing, now, timeZone);
  if (!closing.ok) problems.push({ field: "cloture", message: closing.error, expected: "une date à venir, par exemple « vendredi 18h » ou « 12/03/2026 14h30 »" });
  if (input.anonymous && input.namesVisible) problems.push({ field: "noms", message: "un vote anonyme n'a pas de noms à montrer", expected: "noms:visibles sans anonyme:oui" });
  if (problems.length) throw new InputRefused(problems);
  if (!closing.ok) throw new Error("unreachable");
  return { question, options, multiple: input.multiple, anonymous: input.anonymous, namesVisible: input.namesVisible ?? false, audience: input.audience, closesAt: closing.value.at, closingReading: closing.value.reading };
}

export class PollService {
  constructor(private readonly deps: PollDeps) {}

  private get db() {
    return this.deps.db;
  }

  /** Stores the poll with its closing and reminder jobs, then posts it on every platform. */
  async create(draft: PollDraft, actorId: number): Promise<Reply> {
    const now = this.deps.clock.now();
    const { record: poll, refs, failures } = await publishRecord(this.deps, {
      subject: "poll",
      channel: POLL_CHANNEL,
      auditTarget: "poll",
      create: (tx) => this.insert(tx, draft, actorId, now),
      render: (created) => this.message(created, emptyTally(created)),
      jobKeys: (created) => [pollJobKey(created.id, "close"), pollJobKey(created.id, "remind")],
      discard: (tx, created) => tx.poll.delete({ where: { id: created.id } }),
    });
    return {
      text:
        `Sondage n°${poll.id} publié (${platformsLabel(refs)}) : « ${poll.question} ». Clôture ${draft.closingReading}` +
        `${draft.anonymous ? " ; vote anonyme" : ""}.` +
        postingReport(failures),
      private: true,
      tone: failures.length ? "warning" : "success",
    };
  }

  /** The poll, its closing and reminder jobs and its audit line (inside the publication's transaction). */
  private async insert(tx: Prisma.TransactionClient, draft: PollDraft, actorId: number, now: Date): Promise<PollWithOptions> {
    const { services } = this.deps;
    const created = await tx.poll.create({
      data: {
        question: draft.question,
        multiple: draft.multiple,
        anonymous: draft.anonymous,
        namesVisible: draft.namesVisible,
        audience: draft.audience,
        closesAt: draft.closesAt,
        voterSalt: randomBytes(32).toString("hex"),
        createdById: actorId,
        createdAt: now,
        options: { create: draft.options.map((label, i) => ({ position: i + 1, label })) },
      },
      include: { options: { orderBy: { position: "asc" } } },
    });
    await services.jobs.schedule({ kind: POLL_JOBS.close, dueAt: draft.closesAt, payload: { pollId: created.id }, dedupeKey: pollJobKey(created.id, "close") }, tx);
    // A day before closing, at a decent hour (08:00–20:00, never after the closing).
    const remindAt = daytimeBefore(new Date(draft.closesAt.getTime() - REMINDER_BEFORE_MS), this.deps.timezone, draft.closesAt, now);
    // A poll closing within a day (plus an hour) has just been posted: a reminder would be noise.
    if (remindAt && remindAt.getTime() > now.getTime() + 3600_000) {
      await services.jobs.schedule({ kind: POLL_JOBS.remind, dueAt: remindAt, payload: { pollId: created.id }, dedupeKey: pollJobKey(created.id, "remind") }, tx);
    }
    await audit(tx, { actorId, action: "poll.create", targetType: "poll", targetId: created.id, details: { question: draft.question, options: draft.options, anonyme: draft.anonymous, nomsVisibles: draft.namesVisible, multiple: draft.multiple, public: draft.audience, cloture: draft.closesAt.toISOString() } }, now);
    return created;
  }

  async get(pollId: number): Promise<PollWithOptions> {
    const poll = await this.db.poll.findUnique({ where: { id: pollId }, include: { options: { orderBy: { position: "asc" } } } });
    if (!poll) throw new UserError(`Le sondage n°${pollId} n'existe pas.`);
    return poll;
  }

  /** The latest poll, when a command is given no number. */
  async latest(): Promise<PollWithOptions> {
    const poll = await this.db.poll.findFirst({ orderBy: { id: "desc" }, include: { options: { orderBy: { position: "asc" } } } });
    if (!poll) throw new UserError("Aucun sondage n'a encore été créé.");
    return poll;
  }

  /**
   * Records a vote (single choice: replaces the previous one; multiple choice: ticks or unticks
   * the option). The poll's version is bumped by a conditional update on « still open », in the
   * same transaction, so a vote can never land after closing, and the live render knows there is
   * something new to show.
   */
  async vote(pollId: number, member: Member, position: number): Promise<Reply> {
    const { db, clock, live } = this.deps;
    const poll = await this.get(pollId);
    const option = poll.options.find((o) => o.position === position);
    if (!option) throw new UserError("Cette option n'existe plus dans ce sondage.");
    const now = clock.now();
    this.refuseIfClosed(poll, now);
    const outside = outsideAudience(member, poll.audience as Audience);
    if (outside) throw new UserError(`Vous ne pouvez pas voter à ce sondage : ${outside}.`);
    const voterKey = this.voterKey(poll, member.id);
    const memberId = poll.anonymous ? null : member.id;
    const outcome = await db.$transaction(async (tx) => {
      const open = await tx.poll.updateMany({ where: { id: poll.id, state: "open", closesAt: { gt: now } }, data: { version: { increment: 1 } } });
      if (open.count === 0) throw new UserError(`Le sondage n°${poll.id} est clos : votre vote n'a pas été enregistré.`);
      if (!poll.multiple) {
        const where = { pollId_voterKey_slot: { pollId: poll.id, voterKey, slot: 0 } };
        const before = await tx.vote.findUnique({ where, select: { optionId: true } });
        if (before?.optionId === option.id) return { kind: "same" as const };
        if (before) await tx.vote.update({ where, data: { optionId: option.id, memberId } });
        else await tx.vote.create({ data: { pollId: poll.id, optionId: option.id, voterKey, slot: 0, memberId } });
        return { kind: before ? ("changed" as const) : ("new" as const), previous: poll.options.find((o) => o.id === before?.optionId) };
      }
      const where = { pollId_voterKey_slot: { pollId: poll.id, voterKey, slot: option.position } };
      const ticked = await tx.vote.findUnique({ where, select: { id: true } });
      if (ticked) await tx.vote.delete({ where });
      else await tx.vote.create({ data: { pollId: poll.id, optionId: option.id, voterKey, slot: option.position, memberId } });
      return { kind: ticked ? ("removed" as const) : ("added" as const) };
    });
    if (outcome.kind !== "same") live.request(`poll:${poll.id}`);
    const until = `Vous pouvez changer d'avis jusqu'au ${formatWhen(poll.closesAt, this.deps.timezone)}.`;
    const label = `**${option.position}. ${option.label}**`;
    const secret = poll.anonymous ? " Ce vote est anonyme : personne d'autre ne peut voir votre choix." : "";
    switch (outcome.kind) {
      case "same":
        return { text: `Vous aviez déjà choisi ${label}. ${until}`, private: true };
      case "new":
        return { text: `Vote enregistré : ${label}.${secret} ${until}`, private: true, tone: "success" };
      case "changed":
        return { text: `Vote modifié : ${label} (au lieu de ${outcome.previous ? `${outcome.previous.position}. ${outcome.previous.label}` : "votre choix précédent"}).${secret} ${until}`, private: true, tone: "success" };
      case "added":
      case "removed": {
        const mine = await this.choicesOf(poll, member.id);
        const now = mine.length ? `Vos choix : ${mine.map((o) => `${o.position}. ${o.label}`).join(", ")}.` : "Vous n'avez plus aucun choix coché.";
        return { text: `${outcome.kind === "added" ? "Ajouté à" : "Retiré de"} votre vote : ${label}. ${now}${secret} ${until}`, private: true, tone: "success" };
      }
    }
  }

  /** What this member chose, shown to them only (possible while the poll is open, even anonymous). */
  async myVote(pollId: number, member: Member): Promise<Reply> {
    const poll = await this.get(pollId);
    if (!poll.voterSalt) return { text: `Le sondage n°${poll.id} est clos et anonyme : les votes ne sont plus rattachés à personne, pas même au vôtre.`, private: true };
    const mine = await this.choicesOf(poll, member.id);
    if (mine.length === 0) return { text: `Vous n'avez pas encore voté au sondage n°${poll.id}.`, private: true };
    return { text: `Votre vote au sondage n°${poll.id} : ${mine.map((o) => `**${o.position}. ${o.label}**`).join(", ")}.`, private: true };
  }

  private async choicesOf(poll: PollWithOptions, memberId: number) {
    if (!poll.voterSalt) return [];
    const rows = await this.db.vote.findMany({ where: { pollId: poll.id, voterKey: this.voterKey(poll, memberId) }, select: { optionId: true } });
    const ids = new Set(rows.map((r) => r.optionId));
    return poll.options.filter((o) => ids.has(o.id));
  }

  private refuseIfClosed(poll: { id: number; state: string; closesAt: Date; closedAt: Date | null }, now: Date): void {
    if (poll.state !== "open" || poll.closesAt.getTime() <= now.getTime()) {
      throw new UserError(`Le sondage n°${poll.id} est clos depuis le ${formatWhen(poll.closedAt ?? poll.closesAt, this.deps.timezone)} : les votes ne sont plus possibles.`);
    }
  }

  private voterKey(poll: { id: number; voterSalt: string | null }, memberId: number): string {
    if (!poll.voterSalt) throw new UserError(`Le sondage n°${poll.id} est clos : les votes ne sont plus possibles.`);
    return voterKey(poll.voterSalt, memberId);
  }

  async tally(poll: PollWithOptions, withNames = false): Promise<Tally> {
    const counts = await this.db.vote.groupBy({ by: ["optionId"], where: { pollId: poll.id }, _count: { _all: true } });
    const byOption = new Map(counts.map((c) => [c.optionId, c._count._all]));
    const voters = poll.multiple
      ? (await this.db.vote.groupBy({ by: ["voterKey"], where: { pollId: poll.id } })).length
      : counts.reduce((sum, c) => sum + c._count._all, 0);
    let names: Map<number, string[]> | undefined;
    // Names only ever for a poll that is not anonymous; an anonymous vote has no member id anyway.
    if (withNames && !poll.anonymous) {
      const votes = await this.db.vote.findMany({ where: { pollId: poll.id, memberId: { not: null } }, select: { optionId: true, memberId: true } });
      const members = await this.db.member.findMany({ where: { id: { in: [...new Set(votes.map((v) => v.memberId!))] } }, select: { id: true, displayName: true } });
      const nameOf = new Map(members.map((m) => [m.id, m.displayName]));
      names = new Map();
      for (const v of votes) names.set(v.optionId, [...(names.get(v.optionId) ?? []), nameOf.get(v.memberId!) ?? `#${v.memberId}`]);
    }
    return {
      voters,
      options: poll.options.map((o) => ({ position: o.position, label: o.label, count: byOption.get(o.id) ?? 0, names: names?.get(o.id)?.sort((a, b) => a.localeCompare(b, "fr")) })),
    };
  }

  /** The poll as posted: live bars while open, the final result once closed. */
  message(poll: PollWithOptions, tally: Tally): Reply {
    const tz = this.deps.timezone;
    const open = poll.state === "open";
    const kind = `${poll.multiple ? "Plusieurs choix possibles" : "Un seul choix"} · ${poll.anonymous ? "vote anonyme" : poll.namesVisible ? "vote nominatif, noms visibles de tous" : "vote nominatif"} · pour ${AUDIENCES[poll.audience as Audience]}`;
    const when = open ? `Clôture le ${formatWhen(poll.closesAt, tz)} ; vous pouvez changer votre vote jusque-là.` : `Clos le ${formatWhen(poll.closedAt ?? poll.closesAt, tz)}.`;
    const components: ComponentRow[] = [];
    if (open) {
      const buttons: Button[] = poll.options.map((o) => ({ kind: "button", id: componentId("sondage", "vote", poll.id, o.position), label: cut(`${o.position}. ${o.label}`, 75), style: "primary" }));
      for (const row of inRows(buttons, 5)) components.push({ buttons: row });
      components.push({ buttons: [{ kind: "button", id: componentId("sondage", "monvote", poll.id), label: "Mon vote", style: "secondary" }] });
    }
    return {
      title: cut(`📊 ${open ? "Sondage" : "Sondage clos"} n°${poll.id} — ${poll.question}`, 256),
      text: `${kind}\n${when}\n**${plural(tally.voters, "votant", "votants")}**`,
      fields: tallyFields(tally, { winners: !open }),
      components,
      tone: open ? "info" : "success",
    };
  }

  /** Results on demand (/sondage resultats): names per option where `viewer` may see them (votersVisibleTo). */
  async results(pollId: number | undefined, viewer: Pick<Member, "role">): Promise<Reply> {
    const poll = pollId === undefined ? await this.latest() : await this.get(pollId);
    const withNames = votersVisibleTo(poll, viewer);
    const tally = await this.tally(poll, withNames);
    const shown = this.message(poll, tally);
    const note = poll.anonymous
      ? "\nVote anonyme : seuls les totaux existent."
      : withNames
        ? ""
        : `\nLes noms des votants seront visibles de tous à la clôture (${formatWhen(poll.closesAt, this.deps.timezone)}).`;
    return { ...shown, components: undefined, private: true, text: `${shown.text}${note}` };
  }

  /** Re-renders the posted messages (called through LiveRenders, coalesced). */
  async render(pollId: number): Promise<void> {
    const poll = await this.db.poll.findUnique({ where: { id: pollId }, include: { options: { orderBy: { position: "asc" } } } });
    if (!poll) return;
    const tally = await this.tally(poll);
    const refs = await this.deps.posted.refs("poll", poll.id, "channel");
    await this.deps.services.notifications.edit(refs, this.message(poll, tally));
    await this.db.poll.updateMany({ where: { id: poll.id, renderedVersion: { lt: poll.version } }, data: { renderedVersion: poll.version } });
  }

  /** Polls whose posted messages lag behind their votes (the bot stopped within a render window). */
  async stale(): Promise<number[]> {
    const polls = await this.db.poll.findMany({ where: { state: "open" }, select: { id: true, version: true, renderedVersion: true } });
    return polls.filter((p) => p.version > p.renderedVersion).map((p) => p.id);
  }

  /** /sondage cloturer: closes now, cancels the jobs, posts the result. */
  async closeEarly(pollId: number, actorId: number): Promise<Reply> {
    const poll = await this.get(pollId);
    if (poll.state !== "open") throw new UserError(`Le sondage n°${poll.id} est déjà clos.`);
    const closed = await this.close(poll, actorId);
    if (!closed) throw new UserError(`Le sondage n°${poll.id} est déjà clos.`);
    const posted = await this.publishResult(poll.id);
    return { text: `Sondage n°${poll.id} clos. ${posted ? `Résultat publié (${platformsLabel(posted.refs)}).${postingReport(posted.failures)}` : ""}`.trim(), private: true, tone: "success" };
  }

  /** The closing job: closes (if still open) and posts the result (if not yet posted). */
  async closeDue(pollId: number, ctx: Pick<JobContext, "deliverOnce">): Promise<void> {
    const poll = await this.db.poll.findUnique({ where: { id: pollId }, include: { options: { orderBy: { position: "asc" } } } });
    if (!poll) return;
    if (poll.state === "open") await this.close(poll, null);
    // A run killed between claiming the result and posting it left the delivery `sending`: the
    // next run posts it under the same delivery key (no duplicate if the first post had left).
    await ctx.deliverOnce("resultat", (attempt) => this.publishResult(poll.id, attempt.resumedSince !== undefined));
  }

  /**
   * The conditional move open → closed: only one caller wins. An anonymous poll loses its salt
   * in the same update, so its votes are no longer tied to anyone from that moment on.
   */
  private async close(poll: PollWithOptions, actorId: number | null): Promise<boolean> {
    const { db, clock, services } = this.deps;
    const now = clock.now();
    return db.$transaction(async (tx) => {
      const { count } = await tx.poll.updateMany({ where: { id: poll.id, state: "open" }, data: { state: "closed", closedAt: now, ...(poll.anonymous && { voterSalt: null }) } });
      if (count === 0) return false;
      await services.jobs.cancel(pollJobKey(poll.id, "remind"), tx);
      if (actorId !== null) {
        await services.jobs.cancel(pollJobKey(poll.id, "close"), tx);
        await audit(tx, { actorId, action: "poll.close", targetType: "poll", targetId: poll.id, details: { avance: true } }, now);
      }
      return true;
    });
  }

  /**
   * Posts the final result once: the post is claimed (resultPostedAt) before it is made, so a
   * job re-run, a restart or an early close racing the job never post it twice; only the close
   * job resuming its own interrupted post goes past a claim (its delivery key dedupes the post). Then the poll
   * messages are edited to their closed form (no more buttons).
   */
  private async publishResult(pollId: number, resumingJob = false) {
    const { db, clock, services, posted } = this.deps;
    const { count } = await db.poll.updateMany({ where: { id: pollId, state: "closed", resultPostedAt: null }, data: { resultPostedAt: clock.now() } });
    if (count === 0 && !resumingJob) return null;
    const poll = await this.get(pollId);
    const tally = await this.tally(poll);
    const top = winners(tally);
    const headline =
      top.length === 0
        ? "Personne n'a voté."
        : top.length === 1
          ? `Résultat : **${top[0]!.position}. ${top[0]!.label}** (${plural(top[0]!.count, "voix", "voix")}).`
          : `Égalité entre ${top.map((o) => `**${o.position}. ${o.label}**`).join(" et ")} (${plural(top[0]!.count, "voix", "voix")} chacune).`;
    const closedView = this.message(poll, tally);
    const result: Reply = { ...closedView, title: cut(`📊 Résultat du sondage n°${poll.id} — ${poll.question}`, 256), text: `${headline}\n${closedView.text}`, components: undefined };
    const sent = await services.notifications.toChannel(POLL_CHANNEL, result);
    await services.notifications.edit(await posted.refs("poll", poll.id, "channel"), closedView);
    return sent;
  }

  /**
   * The reminder job: a private message, with the vote buttons, to each member of the public
   * who has not voted yet. Whether someone voted is known only through their HMAC key; for an
   * anonymous poll the delivery record is keyed by another HMAC, so not even the job's
   * bookkeeping lists who had not voted.
   */
  async remindNonVoters(pollId: number, ctx: JobContext): Promise<void> {
    const { db, services } = this.deps;
    const poll = await db.poll.findUnique({ where: { id: pollId }, include: { options: { orderBy: { position: "asc" } } } });
    if (!poll || poll.state !== "open" || !poll.voterSalt || poll.closesAt.getTime() <= ctx.now.getTime()) return;
    const voted = new Set((await db.vote.findMany({ where: { pollId }, select: { voterKey: true }, distinct: ["voterKey"] })).map((v) => v.voterKey));
    const connected = new Set(services.notifications.platforms.map((p) => p.toUpperCase()));
    const members = (await audienceMembers(db, poll.audience as Audience)).filter((m) => m.accounts.some((a) => connected.has(a.platform)));
    const reply = this.reminder(poll);
    let sent = 0;
    for (const member of members) {
      if (ctx.signal.aborted) throw new Error("arrêt du bot pendant les rappels (reprise au prochain démarrage)");
      if (voted.has(voterKey(poll.voterSalt, member.id))) continue;
      const recipient = poll.anonymous ? `anon:${createHmac("sha256", Buffer.from(poll.voterSalt, "hex")).update(`rappel:${member.id}`).digest("base64url").slice(0, 22)}` : `member:${member.id}`;
      const outcome = await ctx.deliverOnce(recipient, async () => {
        // Being reminded says « has not voted »: for an anonymous poll nothing but the DM itself may say it.
        const sensitivity = poll.anonymous ? "secret" : "private";
        const result = await services.notifications.toMember(member, reply, { sensitivity, inboxKey: `sondage:${poll.id}:rappel` });
        if (result.refs.length === 0 && !result.inbox) throw new Error(result.failures.map((f) => `${f.platform} : ${f.error}`).join(" ; ") || "aucun compte joignable");
      });
      if (outcome === "sent") sent++;
    }
    ctx.log.info({ pollId, sent }, "rappel du sondage envoyé aux membres qui n'ont pas voté");
  }

  private reminder(poll: PollWithOptions): Reply {
    const buttons: Button[] = poll.options.map((o) => ({ kind: "button", id: componentId("sondage", "vote", poll.id, o.position), label: cut(`${o.position}. ${o.label}`, 75), style: "primary" }));
    return {
      title: cut(`⏰ Sondage n°${poll.id} — ${poll.question}`, 256),
      text:
        `Le sondage se clôt le ${formatWhen(poll.closesAt, this.deps.timezone)} et vous n'avez pas encore répondu. ${poll.multiple ? "Cochez une ou plusieurs options" : "Choisissez une option"} :\n` +
        poll.options.map((o) => `- ${o.position}. ${o.label}`).join("\n"),
      components: inRows(buttons, 5).map((row) => ({ buttons: row })),
    };
  }
}

/**
 * Who may see who voted what: never for an anonymous poll; for a named one, the staff until it
 * closes and everyone after, or everyone from the start if it was created with noms:visibles.
 */
export function votersVisibleTo(poll: Pick<PollWithOptions, "anonymous" | "namesVisible" | "state">, viewer: Pick<Member, "role">): boolean {
  if (poll.anonymous) return false;
  return poll.namesVisible || poll.state === "closed" || STAFF.includes(viewer.role);
}

/** The stored voter key: HMAC-SHA256(salt, "member:<id>"), base64url. */
export function voterKey(saltHex: string, memberId: number): string {
  return createHmac("sha256", Buffer.from(saltHex, "hex")).update(`member:${memberId}`).digest("base64url");
}

function emptyTally(poll: PollWithOptions): Tally {
  return { voters: 0, options: poll.options.map((o) => ({ position: o.position, label: o.label, count: 0 })) };
}
