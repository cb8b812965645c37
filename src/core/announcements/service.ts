/**
 * The animator's announcements: posted in the « annonces » channel of every connected platform,
 * optionally pinned there and copied by private message to the members of their public. Every
 * message is recorded (PostedMessage), so a correction or a withdrawal reaches each copy.
 *
 * A withdrawal edits every copy into a short notice rather than deleting it: the notifier can
 * post, edit and pin, not delete, and a notice also tells those who read the first version.
 */
import type { Announcement } from "../../store/generated/client.js";
import type { Audience } from "../audiences.js";
import { audit } from "../audit.js";
import { FieldsRefused, UserError, type FieldProblem } from "../errors.js";
import { publishRecord, requireChannel, type PostingFailure, type PostingServiceDeps } from "../publication.js";
import type { MessageRef } from "../notifier.js";
import { announcementJobKey, scheduleCopies } from "./planning.js";
import { ANNOUNCEMENT_LIMITS, announcementMessage } from "./views.js";

const ANNOUNCEMENT_CHANNEL = "annonces" as const;

interface AnnouncementDraft {
  title?: string;
  text: string;
  audience: Audience;
  dmCopy: boolean;
  pin: boolean;
}

type AnnouncementDeps = PostingServiceDeps;

/** An announcement as posted: where it went, where it could not go, where it could not be pinned. */
interface Published {
  announcement: Announcement;
  refs: MessageRef[];
  failures: PostingFailure[];
  pinFailures: { platform: string; error: string }[];
}

/** Checks the text and title; refuses with every problem at once. */
function checkAnnouncementText(input: { title?: string; text: string }): { title?: string; text: string } {
  const problems: FieldProblem[] = [];
  const title = input.title?.trim() || undefined;
  const text = input.text.replace(/\r\n/g, "\n").trim();
  if (title && title.length > ANNOUNCEMENT_LIMITS.title) problems.push({ field: "titre", message: `${ANNOUNCEMENT_LIMITS.title} caractères au plus (${title.length} donnés)` });
  if (!text) problems.push({ field: "texte", message: "le texte de l'annonce est vide" });
  else if (text.length > ANNOUNCEMENT_LIMITS.text) problems.push({ field: "texte", message: `${ANNOUNCEMENT_LIMITS.text} caractères au plus (${text.length} donnés)` });
  if (problems.length) throw new FieldsRefused(problems);
  return { title, text };
}

export class AnnouncementService {
  constructor(readonly deps: AnnouncementDeps) {}

  private get db() {
    return this.deps.db;
  }

  /** The post and each copy as they show the announcement now. */
  message(a: Announcement) {
    return announcementMessage(a, this.deps.timeZone);
  }

  async publish(draft: AnnouncementDraft, actorId: number): Promise<Published> {
    const { clock, services } = this.deps;
    const { title, text } = checkAnnouncementText(draft);
    await requireChannel(services, ANNOUNCEMENT_CHANNEL);
    const now = clock.now();
    const { record: announcement, refs, failures } = await publishRecord(this.deps, {
      subject: "announcement",
      channel: ANNOUNCEMENT_CHANNEL,
      auditTarget: "announcement",
      create: async (tx) => {
        const a = await tx.announcement.create({ data: { title: title ?? null, text, audience: draft.audience, dmCopy: draft.dmCopy, pinned: draft.pin, authorId: actorId, createdAt: now, updatedAt: now } });
        if (draft.dmCopy) await scheduleCopies(services.jobs, tx, a.id, now);
        await audit(tx, { actorId, action: "announcement.publish", targetType: "announcement", targetId: a.id, details: { titre: title ?? null, public: draft.audience, copiePrivee: draft.dmCopy, epingle: draft.pin } }, now);
        return a;
      },
      render: (a) => this.message(a),
      jobKeys: (a) => [announcementJobKey(a.id)],
      discard: (tx, a) => tx.announcement.delete({ where: { id: a.id } }),
    });
    const pinFailures = draft.pin ? await services.notifications.pin(refs) : [];
    return { announcement, refs, failures, pinFailures };
  }

  async get(id: number): Promise<Announcement> {
    const a = await this.db.announcement.findUnique({ where: { id } });
    if (!a) throw new UserError(`L'annonce n°${id} n'existe pas. Les dernières : \`/annonce liste\`.`);
    return a;
  }

  async editable(id: number): Promise<Announcement> {
    const a = await this.get(id);
    if (a.state === "deleted") throw new UserError(`L'annonce n°${id} a été retirée : elle ne peut plus être modifiée.`);
    return a;
  }

  /** Changes the text (and title) and edits every copy, in the channels and in private messages; returns how many messages show it. */
  async modify(id: number, input: { title?: string; text: string }, actorId: number): Promise<{ announcement: Announcement; messages: number }> {
    const before = await this.editable(id);
    const { title, text } = checkAnnouncementText({ title: input.title ?? before.title ?? undefined, text: input.text });
    const now = this.deps.clock.now();
    const after = await this.db.$transaction(async (tx) => {
      const a = await tx.announcement.update({ where: { id }, data: { title: title ?? null, text, updatedAt: now } });
      await audit(tx, { actorId, action: "announcement.modify", targetType: "announcement", targetId: id, details: { avant: { titre: before.title, texte: before.text }, après: { titre: a.title, texte: a.text } } }, now);
      return a;
    });
    const refs = await this.deps.posted.refs("announcement", id);
    await this.deps.services.notifications.edit(refs, this.message(after));
    return { announcement: after, messages: refs.length };
  }

  /** Withdraws it: every message now says « annonce retirée »; returns how many messages show it. */
  async remove(id: number, actorId: number): Promise<{ announcement: Announcement; messages: number }> {
    const before = await this.editable(id);
    const now = this.deps.clock.now();
    const after = await this.db.$transaction(async (tx) => {
      const { count } = await tx.announcement.updateMany({ where: { id, state: "published" }, data: { state: "deleted", deletedAt: now, updatedAt: now } });
      if (count === 0) throw new UserError(`L'annonce n°${id} a déjà été retirée.`);
      await this.deps.services.jobs.cancel(announcementJobKey(id), tx);
      await audit(tx, { actorId, action: "announcement.remove", targetType: "announcement", targetId: id, details: { titre: before.title, texte: before.text } }, now);
      return tx.announcement.findUniqueOrThrow({ where: { id } });
    });
    const refs = await this.deps.posted.refs("announcement", id);
    await this.deps.services.notifications.edit(refs, this.message(after));
    return { announcement: after, messages: refs.length };
  }

  /** The ten latest, newest first. */
  recent(): Promise<Announcement[]> {
    return this.db.announcement.findMany({ orderBy: { id: "desc" }, take: 10 });
  }
}
