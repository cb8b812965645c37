/**
 * The announcements' durable job: the private copies, one per member of the public, at most once
 * each (deliverOnce), read again before each send so a correction made meanwhile is what goes out.
 */
import type { JobContext } from "../../scheduler/index.js";
import { audienceMembers, type Audience } from "../audiences.js";
import type { AnnouncementService } from "./service.js";

/** The copy job: one private message per member of the public, at most once each. */
export async function sendCopies(announcements: AnnouncementService, id: number, ctx: JobContext): Promise<void> {
  const { db, services, posted } = announcements.deps;
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
      const result = await services.notifications.toMember(member, announcements.message(current));
      await posted.save("announcement", id, result.refs, "dm");
      if (result.refs.length === 0) throw new Error(result.failures.map((f) => `${f.platform} : ${f.error}`).join(" ; ") || "aucun compte joignable");
    });
    if (outcome === "sent") sent++;
  }
  ctx.log.info({ announcementId: id, sent, public: a.audience }, "copies privées de l'annonce envoyées");
}
