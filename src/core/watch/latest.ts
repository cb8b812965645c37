import type { PrismaClient } from "../../store/index.js";

/** The titles (and links) of the last weekly digest, for the site's home page. */
export async function latestDigestItems(db: PrismaClient, limit = 8): Promise<{ title: string; link: string; at: Date }[]> {
  const digest = await db.watchDigest.findFirst({
    where: { items: { some: {} } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: { items: { orderBy: [{ publishedAt: "desc" }, { id: "asc" }], take: limit } },
  });
  return digest ? digest.items.map((i) => ({ title: i.title, link: i.link, at: digest.createdAt })) : [];
}
