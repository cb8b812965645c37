// The feeds the watch follows: the shipped list loaded on first start, and those the animator
// adds (read once at once, so a wrong address is refused with the reason) or stops following.
import { FetchFailure } from "../../net/http.js";
import { isUniqueViolation, type Prisma } from "../../store/index.js";
import { audit } from "../audit.js";
import { UserError } from "../errors.js";
import { fold } from "../members.js";
import { isWatchCategory, type WatchCategory } from "./categories.js";
import { healthy, type WatchContext } from "./context.js";
import { ingestEntries, type IngestReport } from "./ingest.js";
import { readFeed, type ReadResult } from "./read.js";
import { urlKey } from "./url.js";

export type WatchSourceRow = Prisma.WatchSourceModel;

export interface DefaultSource {
  name: string;
  url: string;
  category: string;
  verified?: boolean;
  note?: string;
}

export class WatchSources {
  constructor(private readonly ctx: WatchContext) {}

  /**
   * Loads the shipped list on the first start only: when no source was ever recorded. Sources are
   * never deleted (only deactivated), so removing a default source sticks across restarts.
   */
  async seedDefaults(list: readonly DefaultSource[]): Promise<number> {
    try {
      return await this.seedIntoEmptyTable(list);
    } catch (error) {
      // Instances started together on one PostgreSQL database each found the table empty; a
      // unique violation means another one's seeding committed first: the list is loaded.
      if (isUniqueViolation(error)) return 0;
      throw error;
    }
  }

  private async seedIntoEmptyTable(list: readonly DefaultSource[]): Promise<number> {
    const now = this.ctx.now();
    return this.ctx.db.$transaction(async (tx) => {
      if ((await tx.watchSource.count()) > 0) return 0;
      let added = 0;
      for (const entry of list) {
        const key = urlKey(entry.url);
        if (!key || !isWatchCategory(entry.category)) {
          this.ctx.deps.log.warn({ entry }, "source par défaut ignorée (adresse ou catégorie invalide)");
          continue;
        }
        if (await tx.watchSource.findUnique({ where: { urlKey: key } })) continue;
        await tx.watchSource.create({ data: { url: entry.url, urlKey: key, name: entry.name, category: entry.category, origin: "defaut", createdAt: now, updatedAt: now } });
        added++;
      }
      return added;
    });
  }

  /**
   * Adds (or revives) a source after reading it once, so a wrong address is refused at once with
   * the reason. That first read records what the feed holds and collects only its last 7 days.
   */
  async add(input: { url: string; name: string; category: WatchCategory }, actorId: number): Promise<{ source: WatchSourceRow; report: IngestReport; revived: boolean }> {
    const key = urlKey(input.url);
    if (!key) throw new UserError("L'adresse doit commencer par http:// ou https://.");
    const existing = await this.ctx.db.watchSource.findUnique({ where: { urlKey: key } });
    if (existing?.active) throw new UserError(`Cette source est déjà suivie : « ${existing.name} » (#${existing.id}).`);
    const read = await this.firstRead(input.url);
    const now = this.ctx.now();
    return this.ctx.serial(() =>
      this.ctx.db.$transaction(async (tx) => {
        const data = { url: input.url, name: input.name, category: input.category, active: true, updatedAt: now, etag: read.etag, lastModified: read.lastModified, primedAt: now, ...healthy(now) };
        const source = existing
          ? await tx.watchSource.update({ where: { id: existing.id }, data })
          : await tx.watchSource.create({ data: { ...data, urlKey: key, origin: "animateur", addedById: actorId, createdAt: now } });
        const report = await ingestEntries(tx, source, read.feed.entries, now, true);
        await audit(tx, { actorId, action: "watch.source.add", targetType: "watchSource", targetId: source.id, details: { nom: input.name, adresse: input.url, catégorie: input.category, relancée: Boolean(existing) } }, now);
        return { source, report, revived: Boolean(existing) };
      }),
    );
  }

  private async firstRead(url: string): Promise<Extract<ReadResult, { status: "ok" }>> {
    let read: ReadResult;
    try {
      read = await readFeed(url, {}, this.ctx.fetchOptions());
    } catch (error) {
      if (error instanceof FetchFailure) throw new UserError(`Impossible d'ajouter cette source : ${error.message}. Rien n'a été ajouté.`);
      throw error;
    }
    if (read.status !== "ok") throw new UserError("Impossible d'ajouter cette source : réponse inattendue (304) à une première lecture. Rien n'a été ajouté.");
    return read;
  }

  list(): Promise<WatchSourceRow[]> {
    return this.ctx.db.watchSource.findMany({ where: { active: true }, orderBy: [{ category: "asc" }, { name: "asc" }] });
  }

  /** A source by number (#3) or name, accents and case aside. */
  async find(ref: string): Promise<WatchSourceRow> {
    const value = ref.trim();
    const id = /^#?(\d{1,9})$/.exec(value);
    const active = await this.list();
    if (id) {
      const hit = active.find((s) => s.id === Number(id[1]));
      if (hit) return hit;
      throw new UserError(`Aucune source suivie ne porte le numéro #${id[1]}. Voir \`/veille source-liste\`.`);
    }
    const wanted = fold(value);
    const exact = active.filter((s) => fold(s.name) === wanted);
    const matches = exact.length ? exact : active.filter((s) => fold(s.name).includes(wanted));
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) throw new UserError(`Aucune source suivie ne correspond à « ${value} ». Voir \`/veille source-liste\`.`);
    const list = matches.slice(0, 8).map((s) => `« ${s.name} » (#${s.id})`).join(", ");
    throw new UserError(`Plusieurs sources correspondent à « ${value} » : ${list}. Précisez le numéro, par exemple #${matches[0]!.id}.`);
  }

  /** Stops following a source. Its items stay (with its name); adding it again revives it. */
  async remove(ref: string, actorId: number): Promise<WatchSourceRow> {
    const source = await this.find(ref);
    const now = this.ctx.now();
    return this.ctx.db.$transaction(async (tx) => {
      const updated = await tx.watchSource.update({ where: { id: source.id }, data: { active: false, updatedAt: now, nextFetchAt: null } });
      await audit(tx, { actorId, action: "watch.source.remove", targetType: "watchSource", targetId: source.id, details: { nom: source.name, adresse: source.url } }, now);
      return updated;
    });
  }
}
