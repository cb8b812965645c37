// The journey's rules, without the store: which records make a step done, which step comes
// next, and when the nudges fall. Steps come from steps.fr.yaml; what each type of step needs
// is fixed here.
import { nextOccurrence } from "../../scheduler/index.js";
import type { Member, Prisma } from "../../store/index.js";
import type { MemberWithAccounts } from "../members.js";
import type { StepDef } from "./content.js";

export type Journey = Prisma.OnboardingJourneyModel;

/** The parts of the profile step: the form, then two choices made with buttons. */
const PROFILE_PARTS = ["profil.formulaire", "profil.type", "profil.annuaire"] as const;

export const checklistKey = (item: string) => `liste.${item}`;

/** What was recorded for one key: when, and what was chosen. */
export interface StepRecord {
  at: Date;
  details: Record<string, unknown>;
}

export type Progress = ReadonlyMap<string, StepRecord>;

/** What a view of the journey needs: who, and what they have done. */
export interface JourneyView {
  member: Member;
  progress: Progress;
}

/** A journey as read from the store, with its member. */
export interface JourneyState extends JourneyView {
  journey: Journey;
  member: MemberWithAccounts;
  progress: Map<string, StepRecord>;
}

/** The keys that must all be recorded for the step to be done. */
function partsOf(step: StepDef): string[] {
  switch (step.type) {
    case "profil":
      return [...PROFILE_PARTS];
    case "liste":
      return step.elements.map((e) => checklistKey(e.cle));
    default:
      return [step.type];
  }
}

function isStepDone(step: StepDef, progress: Progress): boolean {
  return partsOf(step).every((key) => progress.has(key));
}

/** Index of the first step not done; -1 when the journey is complete. */
export function currentStepIndex(steps: readonly StepDef[], progress: Progress): number {
  return steps.findIndex((step) => !isStepDone(step, progress));
}

/** The step a key belongs to (its index), or -1 for a key no step of the file knows. */
export function stepIndexOfKey(steps: readonly StepDef[], key: string): number {
  return steps.findIndex((step) => partsOf(step).includes(key));
}

// ─── Nudges ──────────────────────────────────────────────────────────────────────────────────

export interface NudgeSettings {
  /** Days without progress after which the member is reminded, e.g. [3, 7]. */
  reminderDays: readonly number[];
  /** Days without progress after which the animator is told. */
  alertDays: number;
}

/** One point of the chain: a reminder to the member, or the alert to the animator (last). */
interface Waypoint {
  index: number;
  days: number;
  to: "membre" | "animateur";
}

export function waypoints(settings: NudgeSettings): Waypoint[] {
  return [
    ...settings.reminderDays.map((days, index) => ({ index, days, to: "membre" as const })),
    { index: settings.reminderDays.length, days: settings.alertDays, to: "animateur" as const },
  ];
}

/**
 * Nudges go out on a weekday at 10:00 in the bot's zone, the first such time once `days` full
 * days have passed since the last progress: never earlier than promised, never at night or on a
 * weekend, when these professionals are not at work.
 */
const NUDGE_TIME = "0 10 * * 1-5";

export function waypointDue(lastProgressAt: Date, days: number, timeZone: string): Date {
  const earliest = new Date(lastProgressAt.getTime() + days * 86_400_000 - 1);
  return nextOccurrence(NUDGE_TIME, timeZone, earliest);
}

/** Whole days between two instants (for « depuis 9 jours »). */
export function daysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / 86_400_000));
}
