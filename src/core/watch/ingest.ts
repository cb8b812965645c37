// From parsed entries to stored items, deduplicated the way MonitoRSS does it:
// - per source, an entry whose id (guid, else link, else title + date) was met before is skipped;
// - the first read of a source records everything it holds but collects only the last 7 days,
//   so adding a source does not flood the next digest with its archive;
// - across sources and members, one link (normalised: scheme, "www.", tracking parameters,
//   fragment ignored) is one item, so a changed guid or a second source adds nothing.
import type { Prisma } from "../../store/index.js";
import { entryIdHash } from "./ids.js";
import type { ParsedEntry } from "./parse.js";
import { linkHash } from "./url.js";

type Tx = Prisma.TransactionClient;

/** Only entries this recent are collected; older ones are recorded as seen and left out. */
const RECENT_MS = 7 * 24 * 60 * 60_000;
/** Seen ids no longer in the feed are forgotten after this long (they are old news by then). */
const SEEN_RETENTION_MS = 90 * 24 * 60 * 60_000;
/** Bound variables per IN (…): far under SQLite's and PostgreSQL's limits. */
const CHUNK = 500;

export interface IngestReport {
  /** Entries in the feed. */
  entries: number;
  /** Not met before in this source. */
  fresh: number;
  /** New items for the digest. */
  collected: number;
  /** Fresh entries whose link is already an item (another source, a member, a changed guid). */
  duplicates: number;
  /** Fresh entries older than 7 days (or undated on a first read): recorded, not collected. */
  old: number;
  /** Fresh entries without an http(s) link: nothing to show. */
  withoutLink: number;
}

interface IngestSource {
  id: number;
  category: string;
}

export function chunks<T>(list: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export async function ingestEntries(tx: Tx, source: IngestSource, entries: readonly ParsedEntry[], now: Date, firstRead: boolean): Promise<IngestReport> {
  const report: IngestReport = { entries: entries.length, fresh: 0, collected: 0, duplicates: 0, old: 0, withoutLink: 0 };
  const byId = new Map<string, ParsedEntry>();
  for (const entry of entries) {
    const id = entryIdHash(entry);
    if (!byId.has(id)) byId.set(id, entry); // a feed listing an entry twice
  }
  const ids = [...byId.keys()];
  const fresh = await markSeen(tx, source, ids, now);
  report.fresh = fresh.length;
  const candidates = recentWithLinks(fresh.map((id) => byId.get(id)!), now, firstRead, report);
  await dropKnownLinks(tx, candidates, report);
  report.collected = await storeItems(tx, source, candidates, now);
  // Forget ids that left the feed long ago; those still in it are kept whatever their age, or
  // they would come back as new. Entries leave a feed when others arrive: only then is it worth
  // looking (most hourly reads bring nothing).
  if (fresh.length > 0 && ids.length <= CHUNK * 2) {
    await tx.watchSeen.deleteMany({
      where: { sourceId: source.id, firstSeenAt: { lt: new Date(now.getTime() - SEEN_RETENTION_MS) }, idHash: { notIn: ids } },
    });
  }
  return report;
}

/** Records the ids this source had not shown before, and returns them (in the feed's order). */
async function markSeen(tx: Tx, source: IngestSource, ids: readonly string[], now: Date): Promise<string[]> {
  const known = new Set<string>();
  for (const chunk of chunks(ids)) {
    const rows = await tx.watchSeen.findMany({ where: { sourceId: source.id, idHash: { in: chunk } }, select: { idHash: true } });
    for (const row of rows) known.add(row.idHash);
  }
  const fresh = ids.filter((id) => !known.has(id));
  if (fresh.length > 0) {
    await tx.watchSeen.createMany({ data: fresh.map((idHash) => ({ sourceId: source.id, idHash, firstSeenAt: now })) });
  }
  return fresh;
}

/** The fresh entries worth collecting, by link key: with an http(s) link, recent, one per link. */
function recentWithLinks(fresh: readonly ParsedEntry[], now: Date, firstRead: boolean, report: IngestReport): Map<string, ParsedEntry> {
  const cutoff = now.getTime() - RECENT_MS;
  const candidates = new Map<string, ParsedEntry>();
  for (const entry of fresh) {
    const key = entry.link ? linkHash(entry.link) : null;
    if (!key) {
      report.withoutLink++;
      continue;
    }
    // Undated entries cannot be told old from new on a first read: only later reads collect them.
    const recent = entry.date ? entry.date.getTime() >= cutoff : !firstRead;
    if (!recent) {
      report.old++;
      continue;
    }
    if (candidates.has(key)) report.duplicates++;
    else candidates.set(key, entry);
  }
  return candidates;
}

/** Removes the links already an item (another source, a member, a changed guid). */
async function dropKnownLinks(tx: Tx, candidates: Map<string, ParsedEntry>, report: IngestReport): Promise<void> {
  for (const chunk of chunks([...candidates.keys()])) {
    const rows = await tx.watchItem.findMany({ where: { linkKey: { in: chunk } }, select: { linkKey: true } });
    for (const row of rows) {
      candidates.delete(row.linkKey);
      report.duplicates++;
    }
  }
}

async function storeItems(tx: Tx, source: IngestSource, candidates: ReadonlyMap<string, ParsedEntry>, now: Date): Promise<number> {
  if (candidates.size === 0) return 0;
  const data = [...candidates].map(([linkKey, entry]) => ({
    sourceId: source.id,
    title: entry.title || entry.link!,
    link: entry.link!,
    linkKey,
    category: source.category,
    summary: entry.summary(),
    // A date in the future (time zone mistakes are common) counts as now.
    publishedAt: entry.date && entry.date.getTime() < now.getTime() ? entry.date : now,
    collectedAt: now,
  }));
  for (const chunk of chunks(data)) await tx.watchItem.createMany({ data: chunk });
  return candidates.size;
}
