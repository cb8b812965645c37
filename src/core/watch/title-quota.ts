// How many page titles one member can make the bot fetch. Sharing a link without a title makes
// the bot read that page; without a cap, a member (or a script using their account) could turn the
// bot into a crawler of any public site. A sliding window per member, in memory: a restart
// forgets it, which only ever allows a few more reads.
import { plural } from "../../shared/plural.js";
export const TITLE_FETCHES_PER_WINDOW = 5;
const TITLE_WINDOW_MS = 10 * 60_000;

export class PageTitleQuota {
  private readonly taken = new Map<number, number[]>();

  constructor(
    private readonly limit = TITLE_FETCHES_PER_WINDOW,
    private readonly windowMs = TITLE_WINDOW_MS,
  ) {}

  /** Counts one read for the member; null if allowed, else the whole minutes to wait. */
  take(memberId: number, now: Date): number | null {
    const since = now.getTime() - this.windowMs;
    const recent = (this.taken.get(memberId) ?? []).filter((t) => t > since);
    if (recent.length >= this.limit) {
      this.taken.set(memberId, recent);
      return Math.max(1, Math.ceil((recent[0]! - since) / 60_000));
    }
    recent.push(now.getTime());
    this.taken.set(memberId, recent);
    return null;
  }
}

/** The French refusal, with a command that works right away. */
export function titleQuotaMessage(minutes: number): string {
  const wait = plural(minutes, "minute", "minutes");
  return (
    `Vous avez partagé ${TITLE_FETCHES_PER_WINDOW} articles sans titre en moins de ${TITLE_WINDOW_MS / 60_000} minutes : ` +
    `le bot ne lit pas d'autre page pour vous pour l'instant. Donnez le titre vous-même ` +
    "(`/veille ajouter url:… titre:…`) ou réessayez dans " + `${wait}.`
  );
}
