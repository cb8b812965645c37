/**
 * Who an announcement, a poll or a survey is for: everyone, or the Promeneurs of one kind. Shared
 * by the announcements and the polls.
 */
import type { MemberWithAccounts } from "./members.js";
import type { MemberKind, PrismaClient } from "../store/index.js";

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
