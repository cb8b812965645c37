// The identity of a feed entry within its source, the way MonitoRSS and most readers do it:
// its guid (or Atom id) when it has one, else its link, else its title and date. Only the hash
// is stored (WatchSeen.idHash), so ids of any length cost the same.
import { shortHash, urlKey } from "./url.js";

interface EntryIdentity {
  guid?: string | null;
  link?: string | null;
  title?: string | null;
  date?: Date | null;
}

export function entryIdHash(entry: EntryIdentity): string {
  const guid = entry.guid?.trim();
  if (guid) return shortHash(`guid\u0000${guid}`);
  const link = entry.link?.trim();
  if (link) return shortHash(`link\u0000${urlKey(link) ?? link}`);
  const title = (entry.title ?? "").trim().replace(/\s+/g, " ").toLowerCase();
  const date = entry.date && !Number.isNaN(entry.date.getTime()) ? entry.date.toISOString() : "";
  return shortHash(`title\u0000${title}\u0000${date}`);
}
