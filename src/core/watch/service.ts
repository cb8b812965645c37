// The watch, as commands and jobs use it: sources, collection, shared articles, digests and
// the digest's schedule. No platform types: posts go through Notifications by channel use.
import type { Logger } from "../../logger.js";
import type { JobStore, RecurringSchedules } from "../../scheduler/index.js";
import { CronExpressionError, nextOccurrence, parseCron } from "../../scheduler/index.js";
import type { Prisma, PrismaClient } from "../../store/index.js";
import { audit } from "../audit.js";
import type { Clock } from "../clock.js";
import { formatDateTime } from "../dates.js";
import { UserError } from "../errors.js";
import { fold } from "../members.js";
import type { Notifications } from "../notifier.js";
import type { SettingsService } from "../settings.js";
import { isWatchCategory, type WatchCategory } from "./categories.js";
import { PageTitleQuota, titleQuotaMessage } from "./title-quota.js";
import { FetchFailure, type FetchOptions } from "../../net/http.js";
import { chunks, ingestEntries, type IngestReport } from "./ingest.js";
import { fetchPageTitle } from "./page-title.js";
import { readFeed, type ReadResult } from "./read.js";
import { cronInput, displayCron, type WatchEntry } from "./render.js";
import { cleanLink, linkHash, urlKey } from "./url.js";

export type WatchSourceRow = Prisma.WatchSourceModel;

export interface DefaultSource {
  name: string;
  url: string;
  category: string;
  verified?: boolean;
  note?: string;
}

export interface WatchTuning {
  /** Per request (default 20 s, 5 Mo). */
  fetch?: Pick<FetchOptions, "timeoutMs" | "maxBytes">;
  /** Sources read at once by the hourly job (default 4). */
  concurrency?: number;
  /** Look up the page title of a shared article given without one (default true). */
  pageTitles?: boolean;
  /** Feeds and pages may be read from this machine or a private network (WATCH_ALLOW_PRIVATE_HOSTS=1). */
  allowPrivateHosts?: boolean;
}

export interface CollectReport {
  /** Sources read this run. */
  sources: number;
  ok: number;
  notModified: number;
  failed: number;
  collected: number;
  /** Why nothing was read, if so. */
  skipped?: string;
}

export const DIGEST_KIND = "watch.digest";
export const FETCH_KIND = "watch.fetch";
export const RETRY_KIND = "watch.retry";
/** Mondays at 09:00 in BOT_TIMEZONE, until the animator says otherwise (/veille horaire). */
export const DEFAULT_DIGEST_CRON = "0 9 * * 1";
/**
 * Hourly, at ten to: a digest set on the hour then gets what was published until just before,
 * and the two jobs do not fall on the same tick.
 */
export const FETCH_CRON = "50 * * * *";
export const DIGEST_CRON_SETTING = "watch.digest.cron";

/** Failing sources are retried after 5 min × 2ⁿ (n = failures before), at most this far apart. */
export const BACKOFF_BASE_MS = 5 * 60_000;
export const BACKOFF_MAX_MS = 6 * 60 * 60_000;
/** The animator is told once a source has failed this many times in a row, for at least this long. */
export const ALERT_AFTER_FAILURES = 5;
export const ALERT_AFTER_MS = 6 * 60 * 60_000;
/** A digest is "this week's" for /veille semaine during this long. */
const WEEK_MS = 7 * 24 * 60 * 60_000;

export function backoffDelay(failures: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1), BACKOFF_MAX_MS);
}

export interface WatchDeps {
  db: PrismaClient;
  clock: Clock;
  settings: SettingsService;
  notifications: Notifications;
  jobs: JobStore;
  log: Logger;
  timezone: string;
}

export class WatchService {
  private tuning: WatchTuning = {};
  private readonly titleQuota = new PageTitleQuota();
  private recurring: RecurringSchedules | undefined;
  /** Collection writes one source at a time: SQLite has one writer, and dedupe checks need a stable view. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: WatchDeps) {}

  get timezone(): string {
    return this.deps.timezone;
  }

  get notifications(): Notifications {
    return this.deps.notifications;
  }

  configure(tuning: WatchTuning): void {
    this.tuning = { ...this.tuning, ...tuning };
  }

  /** Lets /veille horaire move the pending digest occurrence at once (set by the job feature). */
  attachSchedule(recurring: RecurringSchedules): void {
    this.recurring = recurring;
  }

  private fetchOptions(signal?: AbortSignal): FetchOptions {
    return { ...this.tuning.fetch, signal, allowPrivateHosts: this.tuning.allowPrivateHosts };
  }

  /**
   * One collection write at a time in this process; and if another process (a second instance,
   * an animator adding the same feed there) inserted the same link meanwhile, the unique index
   * refuses the transaction and it is simply run again, seeing that row this time.
   */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const retried = async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await work();
        } catch (error) {
          if (attempt >= 3 || (error as { code?: unknown }).code !== "P2002") throw error;
        }
      }
    };
    const run = this.writes.then(retried, retried);
    this.writes = run.catch(() => {});
    return run;
  }

  // ─── Sources ───────────────────────────────────────────────────────────────────────────

  /**
   * Loads the shipped list on the first start only: when no source was ever recorded. Sources are
   * never deleted (only deactivated), so removing a default source sticks across restarts.
   */
  async seedDefaults(list: readonly DefaultSource[]): Promise<number> {
    const now = this.deps.clock.now();
    return this.deps.db.$transaction(async (tx) => {
      if ((await tx.watchSource.count()) > 0) return 0;
      let added = 0;
      for (const entry of list) {
        const key = urlKey(entry.url);
        if (!key || !isWatchCategory(entry.category)) {
          this.deps.log.warn({ entry }, "source par défaut ignorée (adresse ou catégorie invalide)");
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
  async addSource(input: { url: string; name: string; category: WatchCategory }, actorId: number): Promise<{ source: WatchSourceRow; report: IngestReport; revived: boolean }> {
    const key = urlKey(input.url);
    if (!key) throw new UserError("L'adresse doit commencer par http:// ou https://.");
    const existing = await this.deps.db.watchSource.findUnique({ where: { urlKey: key } });
    if (existing?.active) throw new UserError(`Cette source est déjà suivie : « ${existing.name} » (#${existing.id}).`);
    let read: ReadResult;
    try {
      read = await readFeed(input.url, {}, this.fetchOptions());
    } catch (error) {
      if (error instanceof FetchFailure) throw new UserError(`Impossible d'ajouter cette source : ${error.message}. Rien n'a été ajouté.`);
      throw error;
    }
    if (read.status !== "ok") throw new UserError("Impossible d'ajouter cette source : réponse inattendue (304) à une première lecture. Rien n'a été ajouté.");
    const now = this.deps.clock.now();
    return this.serial(() =>
      this.deps.db.$transaction(async (tx) => {
        const data = {
          url: input.url,
          name: input.name,
          category: input.category,
          active: true,
          updatedAt: now,
          etag: read.etag,
          lastModified: read.lastModified,
          primedAt: now,
          ...healthy(now),
        };
        const source = existing
          ? await tx.watchSource.update({ where: { id: existing.id }, data })
          : await tx.watchSource.create({ data: { ...data, urlKey: key, origin: "animateur", addedById: actorId, createdAt: now } });
        const report = await ingestEntries(tx, source, read.feed.entries, now, true);
        await audit(tx, { actorId, action: "veille.source.ajout", targetType: "watchSource", targetId: source.id, details: { nom: input.name, adresse: input.url, catégorie: input.category, relancée: Boolean(existing) } }, now);
        return { source, report, revived: Boolean(existing) };
      }),
    );
  }

  listSources(): Promise<WatchSourceRow[]> {
    return this.deps.db.watchSource.findMany({ where: { active: true }, orderBy: [{ category: "asc" }, { name: "asc" }] });
  }

  /** A source by number (#3) or name, accents and case aside. */
  async findSource(ref: string): Promise<WatchSourceRow> {
    const value = ref.trim();
    const id = /^#?(\d{1,9})$/.exec(value);
    const active = await this.listSources();
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
  async removeSource(ref: string, actorId: number): Promise<WatchSourceRow> {
    const source = await this.findSource(ref);
    const now = this.deps.clock.now();
    return this.deps.db.$transaction(async (tx) => {
      const updated = await tx.watchSource.update({ where: { id: source.id }, data: { active: false, updatedAt: now, nextFetchAt: null } });
      await audit(tx, { actorId, action: "veille.source.retrait", targetType: "watchSource", targetId: source.id, details: { nom: source.name, adresse: source.url } }, now);
      return updated;
    });
  }

  // ─── Collection ────────────────────────────────────────────────────────────────────────

  /** Whether any connected platform has a « veille » channel: without one, nothing is read or posted. */
  async hasWatchChannel(): Promise<boolean> {
    for (const platform of this.deps.notifications.platforms) {
      if (await this.deps.settings.channel(platform, "veille")) return true;
    }
    return false;
  }

  /**
   * Reads every active source that is due (not backing off), a few at a time. One source failing
   * never stops the others: its failure is recorded and it backs off.
   */
  async collectDue(signal?: AbortSignal): Promise<CollectReport> {
    const report: CollectReport = { sources: 0, ok: 0, notModified: 0, failed: 0, collected: 0 };
    if (!(await this.hasWatchChannel())) {
      report.skipped = "aucun salon « veille » configuré (/config canal usage:veille)";
      return report;
    }
    const now = this.deps.clock.now();
    const due = await this.deps.db.watchSource.findMany({
      where: { active: true, OR: [{ nextFetchAt: null }, { nextFetchAt: { lte: now } }] },
      orderBy: { id: "asc" },
    });
    const queue = [...due];
    const worker = async () => {
      for (let source = queue.shift(); source; source = queue.shift()) {
        if (signal?.aborted) return;
        report.sources++;
        const outcome = await this.refresh(source, signal);
        if (outcome.status === "ok") {
          report.ok++;
          report.collected += outcome.collected;
        } else if (outcome.status === "not-modified") report.notModified++;
        else if (outcome.status === "failed") report.failed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.tuning.concurrency ?? 4, Math.max(1, due.length)) }, worker));
    return report;
  }

  /** Reads one source and records the outcome; never throws for the source's own problems. */
  async refresh(source: WatchSourceRow, signal?: AbortSignal): Promise<{ status: "ok"; collected: number } | { status: "not-modified" | "failed" | "aborted" }> {
    let read: ReadResult;
    try {
      const validators = source.primedAt ? { etag: source.etag, lastModified: source.lastModified } : {};
      read = await readFeed(source.url, validators, this.fetchOptions(signal));
    } catch (error) {
      if (signal?.aborted) return { status: "aborted" };
      await this.recordFailure(source, error).catch((err: unknown) => this.deps.log.error({ err, source: source.id }, "échec de lecture non enregistré"));
      return { status: "failed" };
    }
    try {
      const now = this.deps.clock.now();
      const collected = await this.serial(() =>
        this.deps.db.$transaction(async (tx) => {
          let count = 0;
          if (read.status === "ok") count = (await ingestEntries(tx, source, read.feed.entries, now, source.primedAt === null)).collected;
          await tx.watchSource.update({
            where: { id: source.id },
            data: {
              ...(read.status === "ok" ? { etag: read.etag, lastModified: read.lastModified } : {}),
              primedAt: source.primedAt ?? now,
              ...healthy(now),
              updatedAt: now,
            },
          });
          return count;
        }),
      );
      if (source.alertedAt) await this.tellAnimator({ title: "Source de veille rétablie", text: `La source « ${source.name} » (#${source.id}) fonctionne de nouveau.`, tone: "success" });
      return read.status === "ok" ? { status: "ok", collected } : { status: "not-modified" };
    } catch (error) {
      this.deps.log.error({ err: error, source: source.id }, "lecture de la source non enregistrée");
      await this.recordFailure(source, error).catch(() => {});
      return { status: "failed" };
    }
  }

  private async recordFailure(source: WatchSourceRow, error: unknown): Promise<void> {
    const now = this.deps.clock.now();
    const reason = error instanceof FetchFailure ? error.message : `erreur inattendue (${error instanceof Error ? error.message : String(error)})`;
    const failures = source.failures + 1;
    const failingSince = source.failingSince ?? now;
    const alert = !source.alertedAt && failures >= ALERT_AFTER_FAILURES && now.getTime() - failingSince.getTime() >= ALERT_AFTER_MS;
    await this.deps.db.watchSource.update({
      where: { id: source.id },
      data: {
        failures,
        failingSince,
        lastError: reason.slice(0, 500),
        lastFetchAt: now,
        nextFetchAt: new Date(now.getTime() + backoffDelay(failures)),
        updatedAt: now,
        ...(alert ? { alertedAt: now } : {}),
      },
    });
    this.deps.log.warn({ source: source.id, name: source.name, failures, reason }, "source de veille en échec");
    if (alert) {
      await this.tellAnimator({
        title: "Source de veille en échec",
        text:
          `La source « ${source.name} » (#${source.id}, ${source.url}) ne peut plus être lue depuis le ${formatDateTime(failingSince, this.timezone)} ` +
          `(${failures} essais) : ${reason}.\nLe bot continue d'essayer, de moins en moins souvent, et préviendra quand elle remarchera. ` +
          `Pour la retirer : \`/veille source-retirer source:#${source.id}\`.`,
        tone: "warning",
      });
    }
  }

  private async tellAnimator(reply: { title: string; text: string; tone: "success" | "warning" }): Promise<void> {
    try {
      const { refs, failures } = await this.deps.notifications.toChannel("animation", reply);
      if (refs.length === 0) this.deps.log.warn({ failures, message: reply.text }, "alerte de veille non transmise (aucun salon « animation »)");
    } catch (err) {
      this.deps.log.warn({ err }, "alerte de veille non transmise");
    }
  }

  /**
   * A failing source waits 5 min, 10 min… before its next try, which the hourly run alone would
   * not honour: a one-off retry job is scheduled when the earliest retry falls before the next run.
   */
  async scheduleRetry(jobs: JobStore): Promise<Date | null> {
    const now = this.deps.clock.now();
    const next = await this.deps.db.watchSource.findFirst({
      where: { active: true, nextFetchAt: { gt: now } },
      orderBy: { nextFetchAt: "asc" },
      select: { nextFetchAt: true },
    });
    const at = next?.nextFetchAt;
    if (!at || at.getTime() >= nextOccurrence(FETCH_CRON, this.timezone, now).getTime()) return null;
    const minute = new Date(Math.ceil(at.getTime() / 60_000) * 60_000);
    await jobs.schedule({ kind: RETRY_KIND, dueAt: minute, dedupeKey: `${RETRY_KIND}@${minute.toISOString().slice(0, 16)}Z` });
    return minute;
  }

  // ─── Articles shared by members ────────────────────────────────────────────────────────

  async share(input: { url: string; title?: string; comment?: string; category?: WatchCategory }, memberId: number): Promise<{ title: string; category: WatchCategory }> {
    const link = cleanLink(input.url);
    const key = linkHash(input.url);
    if (!link || !key) throw new UserError("L'adresse doit commencer par http:// ou https://.");
    await this.alreadyThere(key);
    const title = input.title?.trim() || (await this.pageTitleFor(link, memberId)) || fallbackTitle(link);
    const category = input.category ?? "autre";
    const now = this.deps.clock.now();
    try {
      await this.deps.db.watchItem.create({
        data: { sharedById: memberId, title, link, linkKey: key, category, comment: input.comment?.trim() || null, publishedAt: now, collectedAt: now },
      });
    } catch (error) {
      if ((error as { code?: string }).code === "P2002") await this.alreadyThere(key);
      throw error;
    }
    return { title, category };
  }

  /** The page's own title, read within the member's quota (refused in French past it). */
  private async pageTitleFor(link: string, memberId: number): Promise<string | null> {
    if (this.tuning.pageTitles === false) return null;
    const wait = this.titleQuota.take(memberId, this.deps.clock.now());
    if (wait !== null) throw new UserError(titleQuotaMessage(wait));
    return fetchPageTitle(link, { allowPrivateHosts: this.tuning.allowPrivateHosts });
  }

  private async alreadyThere(key: string): Promise<void> {
    const item = await this.deps.db.watchItem.findUnique({ where: { linkKey: key }, include: { source: true } });
    if (!item) return;
    const [entry] = await this.toEntries([item]);
    const origin = entry!.sharedBy ? `partagé par ${entry!.sharedBy}` : `source « ${entry!.sourceName} »`;
    const when = item.digestId ? "Il est déjà paru dans un récapitulatif" : "Il est déjà prévu dans le prochain récapitulatif";
    throw new UserError(`Cet article est déjà dans la veille : « ${item.title} » (${origin}). ${when}. Rien n'a été ajouté, merci quand même !`);
  }

  // ─── Digests ───────────────────────────────────────────────────────────────────────────

  private async toEntries(items: (Prisma.WatchItemModel & { source: WatchSourceRow | null })[]): Promise<WatchEntry[]> {
    const ids = [...new Set(items.map((i) => i.sharedById).filter((id): id is number => id !== null))];
    const names = new Map<number, string>();
    for (const chunk of chunks(ids)) {
      for (const m of await this.deps.db.member.findMany({ where: { id: { in: chunk } }, select: { id: true, displayName: true } })) names.set(m.id, m.displayName);
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
    const items = await this.deps.db.watchItem.findMany({ where: { digestId: null }, include: { source: true } });
    return this.toEntries(items);
  }

  /**
   * Puts every pending item into the digest of `occurrence`, once: a second call for the same
   * occurrence (a retried job) gets the same items back, and an item is never in two digests.
   * Null when there is nothing to post.
   */
  async claimDigest(occurrence: string): Promise<{ id: number; entries: WatchEntry[] } | null> {
    const now = this.deps.clock.now();
    const digestId = await this.deps.db.$transaction(async (tx) => {
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
    const items = await this.deps.db.watchItem.findMany({ where: { digestId }, include: { source: true } });
    return items.length ? { id: digestId, entries: await this.toEntries(items) } : null;
  }

  /** This week: the last digest (if posted in the last 7 days) and everything gathered since. */
  async weekEntries(): Promise<{ entries: WatchEntry[]; digest: { at: Date; count: number } | null; pendingCount: number }> {
    const now = this.deps.clock.now();
    const latest = await this.deps.db.watchDigest.findFirst({ where: { createdAt: { gte: new Date(now.getTime() - WEEK_MS) } }, orderBy: { id: "desc" } });
    const items = await this.deps.db.watchItem.findMany({
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

  // ─── The digest's schedule ─────────────────────────────────────────────────────────────

  async digestCron(): Promise<string> {
    const stored = await this.deps.settings.get(DIGEST_CRON_SETTING);
    if (!stored) return DEFAULT_DIGEST_CRON;
    try {
      parseCron(stored, this.timezone);
      return stored;
    } catch (err) {
      this.deps.log.error({ err, stored }, "horaire du récapitulatif illisible : horaire par défaut utilisé");
      return DEFAULT_DIGEST_CRON;
    }
  }

  async nextDigestAt(): Promise<Date> {
    return nextOccurrence(await this.digestCron(), this.timezone, this.deps.clock.now());
  }

  /**
   * Changes when the digest is posted. Refused (French, nothing written) for an invalid
   * expression or one that would post more than once a day.
   */
  async setDigestCron(cron: string, actorId: number): Promise<{ next: Date; applied: boolean }> {
    const expr = cronInput(cron);
    const now = this.deps.clock.now();
    try {
      checkAtMostDaily(expr, this.timezone, now);
    } catch (error) {
      if (error instanceof CronExpressionError) throw new UserError(displayCron(error.message));
      throw error;
    }
    await this.deps.db.$transaction(async (tx) => {
      const before = await tx.setting.findUnique({ where: { key: DIGEST_CRON_SETTING } });
      await tx.setting.upsert({
        where: { key: DIGEST_CRON_SETTING },
        create: { key: DIGEST_CRON_SETTING, value: expr, updatedAt: now, updatedBy: actorId },
        update: { value: expr, updatedAt: now, updatedBy: actorId },
      });
      await audit(tx, { actorId, action: "veille.horaire", targetType: "setting", targetId: DIGEST_CRON_SETTING, details: { avant: before?.value ?? DEFAULT_DIGEST_CRON, après: expr } }, now);
    });
    // The running bot moves its pending occurrence now; otherwise the next start does.
    if (this.recurring) await this.recurring.ensureNext(DIGEST_KIND, expr, this.timezone, now);
    return { next: nextOccurrence(expr, this.timezone, now), applied: Boolean(this.recurring) };
  }
}

/** Throws CronExpressionError (French) for a bad expression or one firing twice within 20 hours. */
export function checkAtMostDaily(expr: string, timezone: string, now: Date): void {
  parseCron(expr, timezone);
  let previous = nextOccurrence(expr, timezone, now);
  for (let i = 0; i < 12; i++) {
    const next = nextOccurrence(expr, timezone, previous);
    // 20 h rather than 24: a daily time is 23 h apart on the day clocks go forward.
    if (next.getTime() - previous.getTime() < 20 * 60 * 60_000) {
      throw new CronExpressionError(
        `Expression « ${expr} » : le récapitulatif paraîtrait plusieurs fois par jour (le ${formatDateTime(previous, timezone)} puis le ${formatDateTime(next, timezone)}) ; ` +
          "une fois par jour au plus, par exemple « 0 9 * * 1 » pour chaque lundi à 9 h.",
      );
    }
    previous = next;
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

/** A source that has just been read successfully: its failure history is cleared. */
function healthy(now: Date) {
  return { lastFetchAt: now, lastSuccessAt: now, nextFetchAt: null, failures: 0, failingSince: null, lastError: null, alertedAt: null };
}
