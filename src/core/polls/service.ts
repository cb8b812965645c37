/**
 * Polls with our own stored votes, so a vote cast on Discord and one cast on Slack count in one
 * result (Discord's native polls would split them). The rules live here and return domain
 * results; the replies are built in ./views.ts, the jobs planned in ./planning.ts and run in ./jobs.ts.
 *
 * Anonymity. A voter is stored as HMAC-SHA256(poll salt, member id): enough to refuse a double
 * vote and to let someone change their vote, never their name. For an anonymous poll the member
 * id is not stored at all, and the salt is erased when the poll closes, after which nobody —
 * not even someone reading the database — can tell whose vote is whose. Nothing here logs a
 * voter or a choice, and results of an anonymous poll are counts only.
 */
import { randomBytes } from "node:crypto";

import type { Member, Prisma } from "../../store/index.js";
import { outsideAudience, type Audience } from "../audiences.js";
import { audit } from "../audit.js";
import { formatWhen } from "../dates.js";
import { UserError } from "../errors.js";
import { publishRecord, type Published } from "../publication.js";
import { STAFF } from "../roles.js";
import type { PollDeps } from "./common.js";
import type { PollDraft } from "./draft.js";
import type { PollOption, PollWithOptions, VoteOutcome } from "./model.js";
import { pollJobKey, schedulePollJobs } from "./planning.js";
import type { Tally } from "./tally.js";
import { pollMessage, resultPost } from "./views.js";
import { voterKey } from "./voter-key.js";

/** The channel polls are posted in. */
export const POLL_CHANNEL = "annonces" as const;

const WITH_OPTIONS = { options: { orderBy: { position: "asc" } } } as const;

export class PollService {
  constructor(readonly deps: PollDeps) {}

  private get db() {
    return this.deps.db;
  }

  /** Stores the poll with its closing and reminder jobs, then posts it on every platform. */
  async create(draft: PollDraft, actorId: number): Promise<Published<PollWithOptions>> {
    const now = this.deps.clock.now();
    return publishRecord(this.deps, {
      subject: "poll",
      channel: POLL_CHANNEL,
      auditTarget: "poll",
      create: (tx) => this.insert(tx, draft, actorId, now),
      render: (created) => pollMessage(created, emptyTally(created), this.deps.timeZone),
      jobKeys: (created) => [pollJobKey(created.id, "close"), pollJobKey(created.id, "remind")],
      discard: (tx, created) => tx.poll.delete({ where: { id: created.id } }),
    });
  }

  /** The poll, its closing and reminder jobs and its audit line (inside the publication's transaction). */
  private async insert(tx: Prisma.TransactionClient, draft: PollDraft, actorId: number, now: Date): Promise<PollWithOptions> {
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
      include: WITH_OPTIONS,
    });
    await schedulePollJobs(this.deps.services.jobs, tx, created, now, this.deps.timeZone);
    await audit(tx, { actorId, action: "poll.create", targetType: "poll", targetId: created.id, details: { question: draft.question, options: draft.options, anonyme: draft.anonymous, nomsVisibles: draft.namesVisible, multiple: draft.multiple, public: draft.audience, cloture: draft.closesAt.toISOString() } }, now);
    return created;
  }

  async get(pollId: number): Promise<PollWithOptions> {
    const poll = await this.find(pollId);
    if (!poll) throw new UserError(`Le sondage n°${pollId} n'existe pas.`);
    return poll;
  }

  /** The poll, or null (jobs: a poll deleted since is nothing to do). */
  find(pollId: number): Promise<PollWithOptions | null> {
    return this.db.poll.findUnique({ where: { id: pollId }, include: WITH_OPTIONS });
  }

  /** The latest poll, when a command is given no number. */
  async latest(): Promise<PollWithOptions> {
    const poll = await this.db.poll.findFirst({ orderBy: { id: "desc" }, include: WITH_OPTIONS });
    if (!poll) throw new UserError("Aucun sondage n'a encore été créé.");
    return poll;
  }

  /**
   * Records a vote (single choice: replaces the previous one; multiple choice: ticks or unticks
   * the option). The poll's version is bumped by a conditional update on « still open », in the
   * same transaction, so a vote can never land after closing, and the live render knows there is
   * something new to show.
   */
  async vote(pollId: number, member: Member, position: number): Promise<VoteOutcome> {
    const { db, live } = this.deps;
    const poll = await this.get(pollId);
    const option = poll.options.find((o) => o.position === position);
    if (!option) throw new UserError("Cette option n'existe plus dans ce sondage.");
    const { now, voterKey, memberId } = this.ballot(poll, member);
    const outcome = await db.$transaction(async (tx) => {
      await this.bumpWhileOpen(tx, poll, now);
      if (!poll.multiple) {
        const where = { pollId_voterKey_slot: { pollId: poll.id, voterKey, slot: 0 } };
        const before = await tx.vote.findUnique({ where, select: { optionId: true } });
        if (before?.optionId === option.id) return { kind: "same" as const };
        if (before) await tx.vote.update({ where, data: { optionId: option.id, memberId } });
        else await tx.vote.create({ data: { pollId: poll.id, optionId: option.id, voterKey, slot: 0, memberId } });
        return before ? { kind: "changed" as const, previous: poll.options.find((o) => o.id === before.optionId) } : { kind: "new" as const };
      }
      const where = { pollId_voterKey_slot: { pollId: poll.id, voterKey, slot: option.position } };
      const ticked = await tx.vote.findUnique({ where, select: { id: true } });
      if (ticked) await tx.vote.delete({ where });
      else await tx.vote.create({ data: { pollId: poll.id, optionId: option.id, voterKey, slot: option.position, memberId } });
      return { kind: ticked ? ("removed" as const) : ("added" as const) };
    });
    if (outcome.kind !== "same") live.request(`poll:${poll.id}`);
    if (outcome.kind === "added" || outcome.kind === "removed") return { poll, option, kind: outcome.kind, mine: await this.choicesOf(poll, member.id) };
    if (outcome.kind === "changed") return { poll, option, kind: "changed", previous: outcome.previous };
    return { poll, option, kind: outcome.kind };
  }

  /**
   * Replaces the member's choices with `positions` at once: a platform's native poll sends the
   * whole answer, not one click. A single-choice poll keeps the first; none withdraws the vote.
   * Slots are as `vote` writes them (0 for a single choice, the position for a multiple one), so
   * both ways of voting meet on the same rows: one vote per member, whatever the platform.
   */
  async choose(pollId: number, member: Member, positions: number[]): Promise<{ poll: PollWithOptions; mine: PollOption[] }> {
    const { db, live } = this.deps;
    const poll = await this.get(pollId);
    const picked = [...new Set(positions)].map((p) => poll.options.find((o) => o.position === p));
    if (picked.some((o) => o === undefined)) throw new UserError("Cette option n'existe plus dans ce sondage.");
    const chosen = (picked as PollOption[]).slice(0, poll.multiple ? undefined : 1);
    const { now, voterKey, memberId } = this.ballot(poll, member);
    const changed = await db.$transaction(async (tx) => {
      const before = await tx.vote.findMany({ where: { pollId: poll.id, voterKey }, select: { optionId: true } });
      const same = before.length === chosen.length && chosen.every((o) => before.some((b) => b.optionId === o.id));
      if (same) return false;
      await this.bumpWhileOpen(tx, poll, now);
      await tx.vote.deleteMany({ where: { pollId: poll.id, voterKey } });
      await tx.vote.createMany({ data: chosen.map((o) => ({ pollId: poll.id, optionId: o.id, voterKey, slot: poll.multiple ? o.position : 0, memberId })) });
      return true;
    });
    if (changed) live.request(`poll:${poll.id}`);
    return { poll, mine: chosen };
  }

  /** Who votes and when, once the poll is known open and the member invited to it (else a French refusal). */
  private ballot(poll: PollWithOptions, member: Member): { now: Date; voterKey: string; memberId: number | null } {
    const now = this.deps.clock.now();
    this.refuseIfClosed(poll, now);
    const outside = outsideAudience(member, poll.audience as Audience);
    if (outside) throw new UserError(`Vous ne pouvez pas voter à ce sondage : ${outside}.`);
    return { now, voterKey: this.voterKey(poll, member.id), memberId: poll.anonymous ? null : member.id };
  }

  /** Bumps the poll's version on « still open », in the vote's transaction: no vote lands after closing. */
  private async bumpWhileOpen(tx: Prisma.TransactionClient, poll: PollWithOptions, now: Date): Promise<void> {
    const open = await tx.poll.updateMany({ where: { id: poll.id, state: "open", closesAt: { gt: now } }, data: { version: { increment: 1 } } });
    if (open.count === 0) throw new UserError(`Le sondage n°${poll.id} est clos : votre vote n'a pas été enregistré.`);
  }

  /** What this member chose (possible while the poll is open, even anonymous); null once an anonymous poll closed. */
  async myVote(pollId: number, member: Member): Promise<{ poll: PollWithOptions; mine: PollOption[] | null }> {
    const poll = await this.get(pollId);
    if (!poll.voterSalt) return { poll, mine: null };
    return { poll, mine: await this.choicesOf(poll, member.id) };
  }

  private async choicesOf(poll: PollWithOptions, memberId: number): Promise<PollOption[]> {
    if (!poll.voterSalt) return [];
    const rows = await this.db.vote.findMany({ where: { pollId: poll.id, voterKey: this.voterKey(poll, memberId) }, select: { optionId: true } });
    const ids = new Set(rows.map((r) => r.optionId));
    return poll.options.filter((o) => ids.has(o.id));
  }

  private refuseIfClosed(poll: { id: number; state: string; closesAt: Date; closedAt: Date | null }, now: Date): void {
    if (poll.state !== "open" || poll.closesAt.getTime() <= now.getTime()) {
      throw new UserError(`Le sondage n°${poll.id} est clos depuis le ${formatWhen(poll.closedAt ?? poll.closesAt, this.deps.timeZone)} : les votes ne sont plus possibles.`);
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
    // Names only ever for a poll that is not anonymous; an anonymous vote has no member id anyway.
    const names = withNames && !poll.anonymous ? await this.votersByOption(poll.id) : undefined;
    return {
      voters,
      options: poll.options.map((o) => ({ position: o.position, label: o.label, count: byOption.get(o.id) ?? 0, names: names?.get(o.id)?.sort((a, b) => a.localeCompare(b, "fr")) })),
    };
  }

  private async votersByOption(pollId: number): Promise<Map<number, string[]>> {
    const votes = await this.db.vote.findMany({ where: { pollId, memberId: { not: null } }, select: { optionId: true, memberId: true } });
    const members = await this.db.member.findMany({ where: { id: { in: [...new Set(votes.map((v) => v.memberId!))] } }, select: { id: true, displayName: true } });
    const nameOf = new Map(members.map((m) => [m.id, m.displayName]));
    const names = new Map<number, string[]>();
    for (const v of votes) names.set(v.optionId, [...(names.get(v.optionId) ?? []), nameOf.get(v.memberId!) ?? `#${v.memberId}`]);
    return names;
  }

  /** Results on demand (/sondage resultats): names per option where `viewer` may see them (votersVisibleTo). */
  async results(pollId: number | undefined, viewer: Pick<Member, "role">): Promise<{ poll: PollWithOptions; tally: Tally; withNames: boolean }> {
    const poll = pollId === undefined ? await this.latest() : await this.get(pollId);
    const withNames = votersVisibleTo(poll, viewer);
    return { poll, tally: await this.tally(poll, withNames), withNames };
  }

  /** Re-renders the posted messages (called through LiveRenders, coalesced). */
  async render(pollId: number): Promise<void> {
    const poll = await this.find(pollId);
    if (!poll) return;
    const tally = await this.tally(poll);
    const refs = await this.deps.posted.refs("poll", poll.id, "channel");
    await this.deps.services.notifications.edit(refs, pollMessage(poll, tally, this.deps.timeZone));
    await this.db.poll.updateMany({ where: { id: poll.id, renderedVersion: { lt: poll.version } }, data: { renderedVersion: poll.version } });
  }

  /** Polls whose posted messages lag behind their votes (the bot stopped within a render window). */
  async stale(): Promise<number[]> {
    const polls = await this.db.poll.findMany({ where: { state: "open" }, select: { id: true, version: true, renderedVersion: true } });
    return polls.filter((p) => p.version > p.renderedVersion).map((p) => p.id);
  }

  /** /sondage cloturer: closes now, cancels the jobs, posts the result (null: it was already posted). */
  async closeEarly(pollId: number, actorId: number): Promise<{ poll: PollWithOptions; posted: Awaited<ReturnType<PollService["publishResult"]>> }> {
    const poll = await this.get(pollId);
    if (poll.state !== "open") throw new UserError(`Le sondage n°${poll.id} est déjà clos.`);
    const closed = await this.close(poll, actorId);
    if (!closed) throw new UserError(`Le sondage n°${poll.id} est déjà clos.`);
    return { poll, posted: await this.publishResult(poll.id) };
  }

  /**
   * The conditional move open → closed: only one caller wins. An anonymous poll loses its salt
   * in the same update, so its votes are no longer tied to anyone from that moment on. Closed by
   * the job (`actorId` null), the closing job is the one running.
   */
  async close(poll: PollWithOptions, actorId: number | null): Promise<boolean> {
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
  async publishResult(pollId: number, resumingJob = false) {
    const { db, clock, services, posted, timeZone } = this.deps;
    const { count } = await db.poll.updateMany({ where: { id: pollId, state: "closed", resultPostedAt: null }, data: { resultPostedAt: clock.now() } });
    if (count === 0 && !resumingJob) return null;
    const poll = await this.get(pollId);
    const tally = await this.tally(poll);
    const sent = await services.notifications.toChannel(POLL_CHANNEL, resultPost(poll, tally, timeZone));
    await services.notifications.edit(await posted.refs("poll", poll.id, "channel"), pollMessage(poll, tally, timeZone));
    return sent;
  }
}

/**
 * Who may see who voted what: never for an anonymous poll; for a named one, the staff until it
 * closes and everyone after, or everyone from the start if it was created with noms:visibles.
 */
function votersVisibleTo(poll: Pick<PollWithOptions, "anonymous" | "namesVisible" | "state">, viewer: Pick<Member, "role">): boolean {
  if (poll.anonymous) return false;
  return poll.namesVisible || poll.state === "closed" || STAFF.includes(viewer.role);
}

function emptyTally(poll: PollWithOptions): Tally {
  return { voters: 0, options: poll.options.map((o) => ({ position: o.position, label: o.label, count: 0 })) };
}
