/**
 * The per-member inbox: where a private notification waits when it could not be delivered
 * privately (closed DMs). The channel fallback then only says that a message waits; the content
 * itself is read here, with /messages, and never posted where others can see it.
 */
import { createHash } from "node:crypto";
import type { PrismaClient } from "../store/index.js";
import type { Clock } from "../shared/clock.js";
import type { ComponentRow, Reply } from "./reply.js";

export interface InboxEntry {
  id: number;
  title: string | null;
  text: string;
  components: ComponentRow[];
  createdAt: Date;
  readAt: Date | null;
}

/** The text of a reply as one Markdown block: its fields become « **Nom** : valeur » lines. */
function replyAsText(reply: Reply): string {
  const fields = (reply.fields ?? []).map((f) => `**${f.name}** : ${f.value}`);
  return [reply.text ?? "", ...fields].filter((part) => part !== "").join("\n");
}

/** A stable key for a notification that names none: the same content is stored once. */
function contentKey(reply: Reply): string {
  const digest = createHash("sha256").update(JSON.stringify([reply.title ?? "", replyAsText(reply)])).digest("base64url");
  return `contenu:${digest.slice(0, 32)}`;
}

export class InboxService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /**
   * Keeps `reply` for the member under `key`. The same key stored again (a retried job, a second
   * platform whose DMs are closed too) updates the one message and shows it as unread again.
   */
  async keep(memberId: number, reply: Reply, key = contentKey(reply)): Promise<void> {
    const content = {
      title: reply.title ?? null,
      text: replyAsText(reply),
      components: reply.components?.length ? JSON.stringify(reply.components) : null,
      createdAt: this.clock.now(),
      readAt: null,
    };
    await this.db.inboxMessage.upsert({
      where: { memberId_key: { memberId, key } },
      create: { memberId, key, ...content },
      update: content,
    });
  }

  async unreadCount(memberId: number): Promise<number> {
    return this.db.inboxMessage.count({ where: { memberId, readAt: null } });
  }

  /**
   * Up to `limit` messages, newest first: the unread ones before any already read, so an unread
   * message is never pushed out of view by newer ones. Marked read in the same transaction.
   */
  async read(memberId: number, limit: number): Promise<{ entries: InboxEntry[]; unreadLeft: number; readBefore: number }> {
    return this.db.$transaction(async (tx) => {
      const newest = [{ createdAt: "desc" as const }, { id: "desc" as const }];
      const unread = await tx.inboxMessage.findMany({ where: { memberId, readAt: null }, orderBy: newest, take: limit });
      const read = await tx.inboxMessage.findMany({ where: { memberId, readAt: { not: null } }, orderBy: newest, take: limit - unread.length });
      const readBefore = await tx.inboxMessage.count({ where: { memberId, readAt: { not: null } } });
      if (unread.length) await tx.inboxMessage.updateMany({ where: { id: { in: unread.map((r) => r.id) } }, data: { readAt: this.clock.now() } });
      const unreadLeft = await tx.inboxMessage.count({ where: { memberId, readAt: null } });
      const entries = [...unread, ...read]
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)
        .map((r) => ({
          id: r.id,
          title: r.title,
          text: r.text,
          components: r.components ? (JSON.parse(r.components) as ComponentRow[]) : [],
          createdAt: r.createdAt,
          readAt: r.readAt,
        }));
      return { entries, unreadLeft, readBefore: readBefore - read.length };
    });
  }
}
