// Reading journeys from the store, with their member and what they have done. A journey whose
// member is gone (a first-contact stub merged into another record) is left out.
import type { Member, Prisma, PrismaClient } from "../../store/index.js";
import type { MemberService } from "../members.js";
import type { JourneyState, StepRecord } from "./journey.js";

export interface People {
  animateurs: string;
  referents: string;
}

type Where = { memberId: number } | { id: number };

export async function readJourney(db: PrismaClient, members: MemberService, where: Where): Promise<JourneyState | null> {
  const found = await db.onboardingJourney.findUnique({ where, include: { steps: true } });
  if (!found) return null;
  const member = await members.get(found.memberId);
  if (!member) return null;
  const { steps, ...journey } = found;
  return { journey, member, progress: progressOf(steps) };
}

/** Every journey whose member still exists, oldest first. */
export async function readAllJourneys(db: PrismaClient, members: MemberService): Promise<JourneyState[]> {
  const journeys = await db.onboardingJourney.findMany({ include: { steps: true }, orderBy: { startedAt: "asc" } });
  const byId = new Map((await members.all()).map((m) => [m.id, m]));
  return journeys.flatMap(({ steps, ...journey }) => {
    const member = byId.get(journey.memberId);
    return member ? [{ journey, member, progress: progressOf(steps) }] : [];
  });
}

/** Who welcomes newcomers, named in the welcome step. */
export async function welcomingPeople(db: PrismaClient): Promise<People> {
  const staff = await db.member.findMany({
    where: { role: { in: ["ANIMATEUR", "REFERENT_CAF"] }, status: "ACTIVE" },
    orderBy: { id: "asc" },
  });
  const names = (role: Member["role"]) => staff.filter((m) => m.role === role).map((m) => m.displayName);
  const list = (items: string[], fallback: string) => (items.length ? items.join(", ") : fallback);
  return {
    animateurs: list(names("ANIMATEUR"), "l'animateur du réseau, qui se présentera très vite"),
    referents: list(names("REFERENT_CAF"), "le référent Promeneurs du Net de la Caf des Vosges"),
  };
}

/**
 * Members whose journey ended while no welcome meeting was planned, and who have therefore not
 * been invited to one yet: for the meetings feature, whose « nouveaux » public counts only
 * members still onboarding.
 */
export async function awaitingWelcomeMeeting(db: PrismaClient): Promise<number[]> {
  const rows = await db.onboardingStep.findMany({
    where: { key: "rencontre", details: JSON.stringify({ rencontre: null }), journey: { state: "completed" } },
    select: { journey: { select: { memberId: true } } },
    orderBy: { doneAt: "asc" },
  });
  return rows.map((r) => r.journey.memberId);
}

function progressOf(steps: readonly Prisma.OnboardingStepModel[]): Map<string, StepRecord> {
  return new Map(steps.map((s) => [s.key, { at: s.doneAt, details: parseDetails(s.details) }]));
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
