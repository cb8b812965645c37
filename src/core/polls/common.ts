/**
 * What announcements, polls, practice-analysis scheduling and the training survey share: the
 * public a message is meant for, refusals that name every bad field, the store of posted
 * message refs, and small rendering helpers.
 */
import { FieldsRefused, UserError, type FieldProblem } from "../errors.js";
import type { MemberWithAccounts } from "../members.js";
import type { MessageRef } from "../notifier.js";
import type { PlatformName } from "../interaction.js";
import type { ChannelUsage } from "../settings.js";
import type { Services } from "../services.js";
import type { MemberKind, PrismaClient } from "../../store/index.js";

/** Who a message is for: everyone, or the Promeneurs of one kind. */
export const AUDIENCES = { tous: "tous les Promeneurs", jeunesse: "les Promeneurs Jeunesse", parentalite: "les Promeneurs Parentalité" } as const;
export type Audience = keyof typeof AUDIENCES;
/** Option choices as users see them (« tous · jeunesse · parentalité »). */
export const AUDIENCE_CHOICES = { tous: "Tous", jeunesse: "Jeunesse", parentalite: "Parentalité" } as const;

const KIND_OF: Record<Audience, MemberKind | null> = { tous: null, jeunesse: "JEUNESSE", parentalite: "PARENTALITE" };

export function isAudience(value: string): value is Audience {
  return value in AUDIENCES;
}

/**
 * The members an audience reaches: active members and those being welcomed (a newcomer is part
 * of the network from their first contact), of the right kind. A member whose kind is not known
 * yet is counted in every public rather than left out of the network's life.
 */
export async function audienceMembers(db: PrismaClient, audience: Audience): Promise<MemberWithAccounts[]> {
  const kind = KIND_OF[audience];
  return db.member.findMany({
    where: { status: { in: ["ACTIVE", "ONBOARDING"] }, ...(kind && { OR: [{ kind }, { kind: null }] }) },
    include: { accounts: true },
    orderBy: { id: "asc" },
  });
}

/** Whether a member belongs to the audience (null: yes; otherwise the French reason why not). */
export function outsideAudience(member: { kind: MemberKind | null }, audience: Audience): string | null {
  const kind = KIND_OF[audience];
  if (!kind || !member.kind || member.kind === kind) return null;
  return `il s'adresse ${AUDIENCE_TO[audience]}`;
}

/** « aux Promeneurs Jeunesse », for sentences. */
export const AUDIENCE_TO: Record<Audience, string> = { tous: "à tous les Promeneurs", jeunesse: "aux Promeneurs Jeunesse", parentalite: "aux Promeneurs Parentalité" };

export type Problem = FieldProblem;

/** The refusal of what was typed for a poll, a survey or an announcement: see FieldsRefused. */
export class InputRefused extends FieldsRefused {
  constructor(problems: Problem[]) {
    super(problems);
    this.name = "InputRefused";
  }
}

/** Splits a list typed on one line: « a ; b ; c » (also « | » or new lines). Empty items are kept, to be refused. */
export function splitList(text: string): string[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  return trimmed.split(/\s*(?:;|\||\n)\s*/).map((s) => s.trim());
}

/** Accents, case and spaces aside: « Mardi » and « mardi » are the same option. */
export function sameText(s: string): string {
  return s.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

export const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Buttons in rows of at most `perRow` (Discord: 5 per row). */
export function inRows<T>(items: readonly T[], perRow: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += perRow) rows.push(items.slice(i, i + perRow));
  return rows;
}

/** Posted-message bookkeeping: which platform messages show a record, to edit or pin them later. */
export type PostedSubject = "announcement" | "poll" | "availability" | "survey";

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

export const PLATFORM_LABELS: Record<PlatformName, string> = { discord: "Discord", slack: "Slack", matrix: "Matrix", console: "la console" };

/** « (pas publié sur Slack : aucun salon « annonces » configuré) » for the animator's confirmation. */
export function postingReport(failures: readonly { platform: PlatformName; error: string }[]): string {
  if (failures.length === 0) return "";
  return `\n⚠️ ${failures.map((f) => `Pas publié sur ${PLATFORM_LABELS[f.platform]} : ${f.error}.`).join(" ")}`;
}

export function platformsLabel(refs: readonly MessageRef[]): string {
  const names = [...new Set(refs.map((r) => PLATFORM_LABELS[r.platform]))];
  if (names.length === 0) return "aucune plateforme";
  // « Discord et Slack », « Discord, Slack et Matrix ».
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} et ${names.at(-1)!}`;
}
