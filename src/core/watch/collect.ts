// The hourly read of the sources: each due source is read (a few at a time), its new entries
// collected, and its failures counted. A failing source backs off (5 min × 2ⁿ) and the animator
// is told once it has failed for long enough, then again when it works again.
import { FetchFailure } from "../../net/http.js";
import { formatDateTime } from "../dates.js";
import { healthy, type WatchContext } from "./context.js";
import { ingestEntries } from "./ingest.js";
import { readFeed, type ReadResult } from "./read.js";
import type { WatchSourceRow } from "./sources.js";

interface CollectReport {
  /** Sources read this run. */
  sources: number;
  ok: number;
  notModified: number;
  failed: number;
  collected: number;
  /** Why nothing was read, if so. */
  skipped?: string;
}

type RefreshOutcome = { status: "ok"; collected: number } | { status: "not-modified" | "failed" | "aborted" };

/** Failing sources are retried after 5 min × 2ⁿ (n = failures before), at most this far apart. */
const BACKOFF_BASE_MS = 5 * 60_000;
const BACKOFF_MAX_MS = 6 * 60 * 60_000;
/** The animator is told once a source has failed this many times in a row, for at least this long. */
export const ALERT_AFTER_FAILURES = 5;
export const ALERT_AFTER_MS = 6 * 60 * 60_000;

export function backoffDelay(failures: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1), BACKOFF_MAX_MS);
}

export class Collector {
  constructor(private readonly ctx: WatchContext) {}

  /**
   * Reads every active source that is due (not backing off), a few at a time. One source failing
   * never stops the others: its failure is recorded and it backs off.
   */
  async collectDue(signal?: AbortSignal): Promise<CollectReport> {
    const report: CollectReport = { sources: 0, ok: 0, notModified: 0, failed: 0, collected: 0 };
    if (!(await this.ctx.hasWatchChannel())) {
      report.skipped = "aucun salon « veille » configuré (/config canal usage:veille)";
      return report;
    }
    const now = this.ctx.now();
    const due = await this.ctx.db.watchSource.findMany({
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
    await Promise.all(Array.from({ length: Math.min(this.ctx.tuning.concurrency ?? 4, Math.max(1, due.length)) }, worker));
    return report;
  }

  /** Reads one source and records the outcome; never throws for the source's own problems. */
  async refresh(source: WatchSourceRow, signal?: AbortSignal): Promise<RefreshOutcome> {
    let read: ReadResult;
    try {
      const validators = source.primedAt ? { etag: source.etag, lastModified: source.lastModified } : {};
      read = await readFeed(source.url, validators, this.ctx.fetchOptions(signal));
    } catch (error) {
      if (signal?.aborted) return { status: "aborted" };
      await this.recordFailure(source, error).catch((err: unknown) => this.ctx.deps.log.error({ err, source: source.id }, "échec de lecture non enregistré"));
      return { status: "failed" };
    }
    try {
      const collected = await this.record(source, read);
      if (source.alertedAt) await this.tellAnimator({ title: "Source de veille rétablie", text: `La source « ${source.name} » (#${source.id}) fonctionne de nouveau.`, tone: "success" });
      return read.status === "ok" ? { status: "ok", collected } : { status: "not-modified" };
    } catch (error) {
      this.ctx.deps.log.error({ err: error, source: source.id }, "lecture de la source non enregistrée");
      await this.recordFailure(source, error).catch(() => {});
      return { status: "failed" };
    }
  }

  /** Stores a successful read: its new entries, the feed's validators, a clean failure history. */
  private record(source: WatchSourceRow, read: ReadResult): Promise<number> {
    const now = this.ctx.now();
    return this.ctx.serial(() =>
      this.ctx.db.$transaction(async (tx) => {
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
  }

  private async recordFailure(source: WatchSourceRow, error: unknown): Promise<void> {
    const now = this.ctx.now();
    const reason = error instanceof FetchFailure ? error.message : `erreur inattendue (${error instanceof Error ? error.message : String(error)})`;
    const failures = source.failures + 1;
    const failingSince = source.failingSince ?? now;
    const alert = !source.alertedAt && failures >= ALERT_AFTER_FAILURES && now.getTime() - failingSince.getTime() >= ALERT_AFTER_MS;
    await this.ctx.db.watchSource.update({
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
    this.ctx.deps.log.warn({ source: source.id, name: source.name, failures, reason }, "source de veille en échec");
    if (alert) {
      await this.tellAnimator({
        title: "Source de veille en échec",
        text:
          `La source « ${source.name} » (#${source.id}, ${source.url}) ne peut plus être lue depuis le ${formatDateTime(failingSince, this.ctx.deps.timeZone)} ` +
          `(${failures} essais) : ${reason}.\nLe bot continue d'essayer, de moins en moins souvent, et préviendra quand elle remarchera. ` +
          `Pour la retirer : \`/veille source-retirer source:#${source.id}\`.`,
        tone: "warning",
      });
    }
  }

  private async tellAnimator(reply: { title: string; text: string; tone: "success" | "warning" }): Promise<void> {
    try {
      const { refs, failures } = await this.ctx.deps.notifications.toChannel("animation", reply);
      if (refs.length === 0) this.ctx.deps.log.warn({ failures, message: reply.text }, "alerte de veille non transmise (aucun salon « animation »)");
    } catch (err) {
      this.ctx.deps.log.warn({ err }, "alerte de veille non transmise");
    }
  }

  /** When the earliest failing source may be tried again (null: none is waiting). */
  async earliestRetryAt(): Promise<Date | null> {
    const next = await this.ctx.db.watchSource.findFirst({
      where: { active: true, nextFetchAt: { gt: this.ctx.now() } },
      orderBy: { nextFetchAt: "asc" },
      select: { nextFetchAt: true },
    });
    return next?.nextFetchAt ?? null;
  }
}
