/**
 * The animator's announcements: posted in the « annonces » channel of every connected platform,
 * optionally pinned there and copied by private message to the members of their public. Every
 * message is recorded (PostedMessage), so a correction or a withdrawal reaches each copy.
 *
 * A withdrawal edits every copy into a short notice rather than deleting it: the notifier can
 * post, edit and pin, not delete, and a notice also tells those who read the first version.
 */
import type { PollDeps } from "../polls/polls.js";
import type { JobContext } from "../../scheduler/index.js";
import type { Announcement } from "../../store/generated/client.js";
import { audit } from "../audit.js";
import { UserError } from "../errors.js";
import { publishRecord } from "../publication.js";
import type { Reply } from "../reply.js";
import {
  AUDIENCES,
  AUDIENCE_TO,
  InputRefused,
  audienceMembers,
  cut,
  platformsLabel,
  postingReport,
  requireChannel,
  type Audience,
  type Problem,
} from "../polls/common.js";
import { formatWhen } from "../polls/when.js";
import { plural } from "../plural.js";

export const ANNOUNCEMENT_LIMITS = { title: 100, text: 3000 } as const;
export const ANNOUNCEMENT_CHANNEL = "annonces" as const;
export const ANNOUNCEMENT_JOBS = { copies: "announcement.copies" } as const;
export const announcementJobKey = (id: number) => `announcement:${id}:copies`;

export interface AnnouncementDraft {
  title?: string;
  text: string;
  audience: Audience;
  dmCopy: boolean;
  pin: boolean;
}

/** What a poll needs, without the live re-rendering an announcement has no use for. */
export type AnnouncementDeps = Omit<PollDeps, "live">;

/** Checks the text and title; refuses with every problem at once. */
export function checkAnnouncementText(input: { title?: string; text: string }): { title?: string; text: string } {
  const problems: Problem[] = [];
  const title = input.title?.trim() || undefined;
  const text = input.text.replace(/\r\n/g, "\n").trim();
  if (title && title.length > ANNOUNCEMENT_LIMITS.title) problems.push({ field: "titre", message: `${ANNOUNCEMENT_LIMITS.title} caractères au plus (${title.length} donnés)` });
  if (!text) problems.push({ field: "texte", message: "le texte de l'annonce est vide" });
  else if (text.length > ANNOUNCEMENT_LIMITS.text) problems.push({ field: "texte", message: `${ANNOUNCEMENT_LIMITS.text} caractères au plus (${text.length} donnés)` });
  if (problems.length) throw new InputRefused(problems);
  return { title, text };
}

export class AnnouncementService {
  constructor(private readonly deps: AnnouncementDeps) {}

  private get db() {
    return this.deps.db;
  }

  message(a: Announcement): Reply {
    if (a.state === "deleted") {
      return { title: "📣 Annonce retirée", text: `Cette annonce (n°${a.id}) a été retirée par l'animateur du réseau.`, tone: "warning" };
    }
    const edited = a.updatedAt.getTime() > a.createdAt.getTime() ? ` · modifiée le ${formatWhen(a.updatedAt, this.deps.timezone)}` : "";
    return {
      title: cut(`📣 ${a.title ?? "Annonce du réseau"}`, 256),
      text: `${a.text}\n\n*Pour ${AUDIENCES[a.audience as Audience]} · annonce n°${a.id}${edited}*`,
      tone: "info",
    };
  }

  async publish(draft: AnnouncementDraft, actorId: number): Promise<Reply> {
    const { clock, services } = this.deps;
    const { title, text } = checkAnnouncementText(draft);
    await requireChannel(services, ANNOUNCEMENT_CHANNEL);
    const now = clock.now();
    const { record: created, refs, failures } = await publishRecord(this.deps, {
      subject: "announcement",
      channel: ANNOUNCEMENT_CHANNEL,
      auditTarget: "announcement",
      create: async (tx) => {
        const a = await tx.announcement.create({ data: { title: title ?? null, text, audience: draft.audience, dmCopy: draft.dmCopy, pinned: draft.pin, authorId: actorId, createdAt: now, updatedAt: now } });
        if (draft.dmCopy) await services.jobs.schedule({ kind: ANNOUNCEMENT_JOBS.copies, dueAt: now, payload: { announcementId: a.id }, dedupeKey: announcementJobKey(a.id) }, tx);
        await audit(tx, { actorId, action: "announcement.publish", targetType: "announcement", targetId: a.id, details: { titre: title ?? null, public: draft.audience, copiePrivee: draft.dmCopy, epingle: draft.pin } }, now);
        return a;
      },
      render: (a) => this.message(a),
      jobKeys: (a) => [announcementJobKey(a.id)],
      discard: (tx, a) => tx.announcement.delete({ where: { id: a.id } }),
    });
    const pinFailures = draft.pin ? await services.notifications.pin(refs) : [];
    const notes = [
      draft.pin ? (pinFailures.length ? `épinglée sauf sur ${pinFailures.map((f) => f.platform).join(", ")} (${pinFailures.map((f) => f.error).join(" ; ")})` : "épinglée") : "",
      draft.dmCopy ? `copie par message privé en cours d'envoi ${AUDIENCE_TO[draft.audience]}` : "",
    ].filter(Boolean);
    return {
      text: `Annonce n°${created.id} publiée (${platformsLabel(refs)})${notes.length ? ` ; ${notes.join(" ; ")}` : ""}. Pour la corriger : \`/annonce modifier id:${created.id}\`.${postingReport(failures)}`,
      private: true,
      tone: failures.length || pinFailures.length ? "warning" : "success",
    };
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

  /** Changes the text (and title) and edits every copy, in the channels and in private messages. */
  async modify(id: number, input: { title?: string; text: string }, actorId: number): Promise<Reply> {
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
    return { text: `Annonce n°${id} modifiée partout où elle a été publiée (${plural(refs.length, "message", "messages")}).`, private: true, tone: "success" };
  }

  async remove(id: number, actorId: number): Promise<Reply> {
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
    return { text: `Annonce n°${id} retirée : ${refs.length >= 2 ? `ses ${refs.length} messages affichent` : "son message affiche"} désormais « annonce retirée ».`, private: true, tone: "success" };
  }

  async list(): Promise<Reply> {
    const recent = await this.db.announcement.findMany({ orderBy: { id: "desc" }, take: 10 });
    if (recent.length === 0) return { text: "Aucune annonce n'a encore été publiée.", private: true };
    return {
      title: "Dernières annonces",
      fields: recent.map((a) => ({
        name: `n°${a.id} — ${cut(a.title ?? a.text.split("\n")[0]!, 80)}${a.state === "deleted" ? " (retirée)" : ""}`,
        value: `${formatWhen(a.createdAt, this.deps.timezone)} · pour ${AUDIENCES[a.audience as Audience]}${a.pinned ? " · épinglée" : ""}${a.dmCopy ? " · copie privée" : ""}`,
      })),
      private: true,
    };
  }

  /** The copy job: one private message per member of the public, at most once each. */
  async sendCopies(id: number, ctx: JobContext): Promise<void> {
    const { db, services, posted } = this.deps;
    const a = await db.announcement.findUnique({ where: { id } });
    if (!a || a.state !== "published" || !a.dmCopy) return;
    const connected = new Set(services.notifications.platforms.map((p) => p.toUpperCase()));
    const members = (await audienceMembers(db, a.audience as Audience)).filter((m) => m.accounts.some((acc) => connected.has(acc.platform)));
    let sent = 0;
    for (const member of members) {
      if (ctx.signal.aborted) throw new Error("arrêt du bot pendant l'envoi des copies (reprise au prochain démarrage)");
      const outcome = await ctx.deliverOnce(`member:${member.id}`, async () => {
        // Read again: a correction made while copies go out is what the next people receive.
        const current = await db.announcement.findUniqueOrThrow({ where: { id } });
        if (current.state !== "published") return;
        const result = await services.notifications.toMember(member, this.message(current));
        await posted.save("announcement", id, result.refs, "dm");
        if (result.refs.length === 0) throw new Error(result.failures.map((f) => `${f.platform} : ${f.error}`).join(" ; ") || "aucun compte joignable");
      });
      if (outcome === "sent") sent++;
    }
    ctx.log.info({ announcementId: id, sent, public: a.audience }, "copies privées de l'annonce envoyées");
  }
}
