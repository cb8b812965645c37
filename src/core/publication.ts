/**
 * Publishing a record that lives in channel posts (announcement, poll, availability poll,
 * training survey), the one way it is done:
 *
 * 1. the record, its jobs and its audit line are written in one transaction;
 * 2. it is posted in its channel on every connected platform;
 * 3. the posts that went out are recorded, after the posts and idempotently (a platform message
 *    id names one message, so recording it twice, or again after a restart, is harmless).
 *
 * A post that fails on some platforms leaves the record created with what could be posted (the
 * confirmation lists the failures). When no platform could show it at all, or posting itself
 * crashed, the record is withdrawn in one transaction (the record with its children, its pending
 * jobs and its audit line): nothing is left half-created, and the refusal says why.
 */
import type { Logger } from "../logger.js";
import { PLATFORM_NAMES, platformLabelAfterOn } from "../platforms/catalog.js";
import type { Clock } from "../shared/clock.js";
import type { Prisma, PrismaClient } from "../store/index.js";
import { UserError } from "./errors.js";
import { andList } from "./text-lists.js";
import type { PlatformName } from "./interaction.js";
import type { MessageRef } from "./notifier.js";
import type { Reply } from "./reply.js";
import type { Services } from "./services.js";
import type { ChannelUsage } from "./settings.js";

type Tx = Prisma.TransactionClient;

interface PublicationDeps {
  db: PrismaClient;
  services: Services;
  posted: PostedMessages;
  log: Logger;
}

interface PublicationSpec<T extends { id: number }> {
  subject: PostedSubject;
  channel: ChannelUsage;
  /** The audit trail's targetType of this record (its creation line goes when it is withdrawn). */
  auditTarget: string;
  /** Writes the record, its jobs (with `tx`) and its audit line; runs inside one transaction. */
  create(tx: Tx): Promise<T>;
  /** The post showing the record. */
  render(record: T): Reply | Promise<Reply>;
  /** The dedupe keys of the jobs `create` scheduled. */
  jobKeys(record: T): string[];
  /** Deletes the record (its children go with it by cascade). */
  discard(tx: Tx, record: T): Promise<unknown>;
}

export interface PostingFailure {
  platform: PlatformName;
  error: string;
}

export interface Published<T> {
  record: T;
  refs: MessageRef[];
  failures: PostingFailure[];
}

/** The refusal when nothing could be posted: what failed where, and that nothing was kept. */
export class NothingPublished extends UserError {
  constructor(readonly failures: readonly PostingFailure[]) {
    const where = failures.length
      ? failures.map((f) => `${platformLabelAfterOn(f.platform)} : ${f.error}`).join(" ; ")
      : "aucune plateforme connectée";
    super(`Publication impossible (${where}). Rien n'a été enregistré : réessayez une fois le problème réglé.`);
    this.name = "NothingPublished";
  }
}

export async function publishRecord<T extends { id: number }>(deps: PublicationDeps, spec: PublicationSpec<T>): Promise<Published<T>> {
  const { db, services, posted, log } = deps;
  const record = await db.$transaction((tx) => spec.create(tx));
  let outcome: { refs: MessageRef[]; failures: PostingFailure[] };
  try {
    outcome = await services.notifications.toChannel(spec.channel, await spec.render(record));
  } catch (error) {
    await withdraw(db, spec, record);
    throw error;
  }
  if (outcome.refs.length === 0) {
    await withdraw(db, spec, record);
    throw new NothingPublished(outcome.failures);
  }
  const failures = outcome.failures.map(({ platform, error }) => ({ platform, error }));
  try {
    await posted.save(spec.subject, record.id, outcome.refs);
  } catch (err) {
    // The posts are out and the record is whole; only later corrections will miss these posts.
    log.error({ err, subject: spec.subject, id: record.id }, "messages publiés non enregistrés");
    for (const ref of outcome.refs) failures.push({ platform: ref.platform, error: "publié, mais les corrections ne pourront pas atteindre ce message" });
  }
  return { record, refs: outcome.refs, failures };
}

async function withdraw<T extends { id: number }>(db: PrismaClient, spec: PublicationSpec<T>, record: T): Promise<void> {
  const keys = spec.jobKeys(record);
  await db.$transaction(async (tx) => {
    if (keys.length) await tx.job.deleteMany({ where: { dedupeKey: { in: keys }, state: "pending" } });
    await tx.auditLog.deleteMany({ where: { targetType: spec.auditTarget, targetId: String(record.id) } });
    await spec.discard(tx, record);
  });
}

/** Posted-message bookkeeping: which platform messages show a record, to edit or pin them later. */
/** What a service that posts records to the channels (announcements, polls, surveys) is built from. */
export interface PostingServiceDeps {
  db: PrismaClient;
  services: Services;
  clock: Clock;
  timeZone: string;
  log: Logger;
  posted: PostedMessages;
}

type PostedSubject = "announcement" | "poll" | "availability" | "survey";

export class PostedMessages {
  constructor(private readonly db: PrismaClient, private readonly now: () => Date) {}

  /**
   * Records which messages show a record. A platform message id names one message, so saving the
   * same ref again (a retried job, a replayed step) points it at what it shows now, never fails.
   */
  async save(subject: PostedSubject, subjectId: number, refs: readonly MessageRef[], kind: "channel" | "dm" = "channel"): Promise<void> {
    for (const r of refs) {
      const shows = { subject, subjectId, kind };
      await this.db.postedMessage.upsert({
        where: { platform_channelId_messageId: { platform: r.platform, channelId: r.channelId, messageId: r.messageId } },
        create: { ...shows, platform: r.platform, channelId: r.channelId, messageId: r.messageId, createdAt: this.now() },
        update: shows,
      });
    }
  }

  async refs(subject: PostedSubject, subjectId: number, kind?: "channel" | "dm"): Promise<MessageRef[]> {
    const rows = await this.db.postedMessage.findMany({ where: { subject, subjectId, ...(kind && { kind }) }, orderBy: { id: "asc" } });
    return rows.map((r) => ({ platform: r.platform as PlatformName, channelId: r.channelId, messageId: r.messageId }));
  }
}

/**
 * Refuses to create something to post when no connected platform has a channel for its use:
 * the animator learns what to configure, and nothing is written.
 */
export async function requireChannel(services: Services, usage: ChannelUsage): Promise<{ missing: PlatformName[] }> {
  const platforms = services.notifications.platforms;
  const missing: PlatformName[] = [];
  for (const p of platforms) if (!(await services.settings.channel(p, usage))) missing.push(p);
  if (platforms.length === 0 || missing.length === platforms.length) {
    throw new UserError(`Aucun salon « ${usage} » n'est configuré : choisissez-le d'abord avec \`/config canal usage:${usage} canal:#salon\`. Rien n'a été enregistré.`);
  }
  return { missing };
}

/** « (pas publié sur Slack : aucun salon « annonces » configuré) » for the animator's confirmation. */
export function postingReport(failures: readonly { platform: PlatformName; error: string }[]): string {
  if (failures.length === 0) return "";
  return `\n⚠️ ${failures.map((f) => `Pas publié sur ${platformLabelAfterOn(f.platform)} : ${f.error}.`).join(" ")}`;
}

/** « Discord et Slack »: the platforms in the catalog's order, not in the order they answered. */
export function platformsLabel(refs: readonly MessageRef[]): string {
  const posted = new Set(refs.map((r) => r.platform));
  const names = PLATFORM_NAMES.filter((p) => posted.has(p)).map(platformLabelAfterOn);
  return names.length ? andList(names) : "aucune plateforme";
}
