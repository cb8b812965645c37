// Articles members share with /veille ajouter: one link is one item, whoever shares it and
// whatever its tracking parameters; a title not given is read from the page, within a quota.
import { isUniqueViolation } from "../../store/index.js";
import { UserError } from "../errors.js";
import type { WatchCategory } from "./categories.js";
import type { WatchContext } from "./context.js";
import type { Digests } from "./digest.js";
import { fetchPageTitle } from "./page-title.js";
import { PageTitleQuota, titleQuotaMessage } from "./title-quota.js";
import { cleanLink, linkHash } from "./url.js";

export class SharedArticles {
  private readonly titleQuota = new PageTitleQuota();

  constructor(
    private readonly ctx: WatchContext,
    private readonly digests: Digests,
  ) {}

  async share(input: { url: string; title?: string; comment?: string; category?: WatchCategory }, memberId: number): Promise<{ title: string; category: WatchCategory }> {
    const link = cleanLink(input.url);
    const key = linkHash(input.url);
    if (!link || !key) throw new UserError("L'adresse doit commencer par http:// ou https://.");
    await this.alreadyThere(key);
    const title = input.title?.trim() || (await this.pageTitleFor(link, memberId)) || fallbackTitle(link);
    const category = input.category ?? "autre";
    const now = this.ctx.now();
    try {
      await this.ctx.db.watchItem.create({
        data: { sharedById: memberId, title, link, linkKey: key, category, comment: input.comment?.trim() || null, publishedAt: now, collectedAt: now },
      });
    } catch (error) {
      if (isUniqueViolation(error)) await this.alreadyThere(key);
      throw error;
    }
    return { title, category };
  }

  /** The page's own title, read within the member's quota (refused in French past it). */
  private async pageTitleFor(link: string, memberId: number): Promise<string | null> {
    if (this.ctx.tuning.pageTitles === false) return null;
    const wait = this.titleQuota.take(memberId, this.ctx.now());
    if (wait !== null) throw new UserError(titleQuotaMessage(wait));
    return fetchPageTitle(link, { allowPrivateHosts: this.ctx.tuning.allowPrivateHosts });
  }

  private async alreadyThere(key: string): Promise<void> {
    const item = await this.ctx.db.watchItem.findUnique({ where: { linkKey: key }, include: { source: true } });
    if (!item) return;
    const [entry] = await this.digests.toEntries([item]);
    const origin = entry!.sharedBy ? `partagé par ${entry!.sharedBy}` : `source « ${entry!.sourceName} »`;
    const when = item.digestId ? "Il est déjà paru dans un récapitulatif" : "Il est déjà prévu dans le prochain récapitulatif";
    throw new UserError(`Cet article est déjà dans la veille : « ${item.title} » (${origin}). ${when}. Rien n'a été ajouté, merci quand même !`);
  }
}

function fallbackTitle(link: string): string {
  const url = new URL(link);
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // Malformed escapes: shown as they are.
  }
  path = path.replace(/\/+$/, "");
  return `${url.hostname.replace(/^www\./, "")}${path.length > 1 ? path : ""}`.slice(0, 200);
}
