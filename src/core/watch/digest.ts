// What the digests hold: the items not yet in one, the claim of one occurrence's items (once,
// whatever retries), and this week's list for /veille semaine.
import type { Prisma } from "../../store/index.js";
import type { WatchContext } from "./context.js";
import { chunks } from "./ingest.js";
import type { WatchEntry } from "./render.js";
import type { WatchSourceRow } from "./sources.js";

/** A digest is "this week's" for /veille semaine during this long. */
const WEEK_MS = 7 * 24 * 60 * 60_000;

type ItemWithSource = Prisma.WatchItemModel & { source: WatchSourceRow | null };

export class Digests {
  constructor(private readonly ctx: WatchContext) {}

  /** The titles (and links) of the last digest that held any, for the site's home page. */
  async latestItems(limit = 8): Promise<{ title: string; link: string; at: Date }[]> {
    const digest = await this.ctx.db.watchDigest.findFirst({
      where: { items: { some: {} } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      include: { items: { orderBy: [{ publishedAt: "desc" }, { id: "asc" }], take: limit } },
    });
    return digest ? digest.items.map((i) => ({ title: i.title, link: i.link, at: digest.createdAt })) : [];
  }

  /** Items as the views show them, with the name of the member who shared each. */
  async toEntries(items: ItemWithSource[]): Promise<WatchEntry[]> {
    const ids = [...new Set(items.map((i) => i.sharedById).filter((id): id is number => id !== null))];
    const names = new Map<number, string>();
    for (const chunk of chunks(ids)) {
      for (const m of await this.ctx.db.member.findMany({ where: { id: { in: chunk } }, select: { id: true, displayName: true } })) names.set(m.id, m.displayName);
    }
    return items.map((i) => ({
      id: i.id,
      title: i.title,
      link: i.link,
      category: i.category,
      sourceName: i.source?.name ?? null,
      sharedBy: i.sharedById === null ? null : (names.get(i.sharedById) ?? "un membre"),
      comment: i.comment,
      date: i.publishedAt,
    }));
  }

  /** Items for the next digest (not yet in one). */
  async pendingEntries(): Promise<WatchEntry[]> {
    const items = await this.ctx.db.watchItem.findMany({ where: { digestId: null }, include: { source: true } });
    return this.toEntries(items);
  }

  /**
   * Puts every pending item into the digest of `occurrence`, once: a second call for the same
   * occurrence (a retried job) gets the same items back, and an item is never in two digests.
   * Null when there is nothing to post.
   */
  async claim(occurrence: string): Promise<{ id: number; entries: WatchEntry[] } | null> {
    const now = this.ctx.now();
    const digestId = await this.ctx.db.$transaction(async (tx) => {
      const existing = await tx.watchDigest.findUnique({ where: { occurrence } });
      if (existing) return existing.id;
      const pending = await tx.watchItem.findMany({ where: { digestId: null, collectedAt: { lte: now } }, select: { id: true } });
      if (pending.length === 0) return null;
      const digest = await tx.watchDigest.create({ data: { occurrence, createdAt: now } });
      for (const chunk of chunks(pending.map((p) => p.id))) {
        await tx.watchItem.updateMany({ where: { id: { in: chunk }, digestId: null }, data: { digestId: digest.id } });
      }
      return digest.id;
    });
    if (digestId === null) return null;
    const items = await this.ctx.db.watchItem.findMany({ where: { digestId }, include: { source: true } });
    return items.length ? { id: digestId, entries: await this.toEntries(items) } : null;
  }

  /** This week: the last digest (if posted in the last 7 days) and everything gathered since. */
  async weekEntries(): Promise<{ entries: WatchEntry[]; digest: { at: Date; count: number } | null; pendingCount: number }> {
    const now = this.ctx.now();
    const latest = await this.ctx.db.watchDigest.findFirst({ where: { createdAt: { gte: new Date(now.getTime() - WEEK_MS) } }, orderBy: { id: "desc" } });
    const items = await this.ctx.db.watchItem.findMany({
      where: latest ? { OR: [{ digestId: latest.id }, { digestId: null }] } : { digestId: null },
      include: { source: true },
    });
    const inDigest = latest ? items.filter((i) => i.digestId === latest.id).length : 0;
    return {
      entries: await this.toEntries(items),
      digest: latest ? { at: latest.createdAt, count: inDigest } : null,
      pendingCount: items.length - inDigest,
    };
  }
}
