// What the figures of the dashboard (/tableau) and of the yearly evaluation (/bilan) are: the
// targets of the cahier des charges, the shapes every part of the report reads, and the year's
// bounds in the bot's time zone (a year runs from 1 January 00:00 in Paris, not in UTC).
import { DateTime } from "luxon";

import type { Role } from "../../store/index.js";

/** The seed's yearly targets (cahier des charges), by meeting type. */
export const TARGETS = [
  { type: "departementale", label: "Rencontres départementales", min: 2, max: 3, target: "2 à 3" },
  { type: "formation", label: "Formations", min: 1, max: null, target: "au moins 1" },
  { type: "analyse_pratique", label: "Analyse de pratique", min: 2, max: null, target: "2 séances de 3 h" },
  { type: "accueil_nouveaux", label: "Accueil des nouveaux", min: 1, max: null, target: "1" },
  { type: "copil", label: "Comité de pilotage", min: 1, max: null, target: "1" },
] as const;

/** The collective times a Promeneur commits to attend (charter): their attendance is followed. */
export const COORDINATION_TYPES = ["departementale", "formation", "analyse_pratique"] as const;

/** The six steps of the welcome journey (src/core/onboarding/steps.fr.yaml), by key prefix. */
export const ONBOARDING_STEPS = ["accueil", "charte", "profil", "liste", "presentation", "rencontre"] as const;

export type TargetState = "fait" | "prévu" | "manquant";

export interface TargetFigure {
  type: string;
  label: string;
  target: string;
  done: number;
  planned: number;
  state: TargetState;
  /** Analysis of practice: hours held (target 2 × 3 h). */
  hoursDone?: number;
  /** Trainings: whether one was chosen from the needs surveyed that year, and which theme. */
  fromNeeds?: { surveyed: boolean; matchedTheme: string | null };
}

export interface MeetingRow {
  id: number;
  type: string;
  title: string;
  startsAt: Date;
  hours: number;
  done: boolean;
  present: number;
  absent: number;
  excused: number;
}

export interface Figures {
  year: number;
  /** The instant the figures were computed at ("so far"). */
  at: Date;
  targets: TargetFigure[];
  meetings: MeetingRow[];
  /** The Promeneurs du Net only: the animator, the Caf referent and admins are not counted. */
  members: {
    total: number;
    byKind: { jeunesse: number; parentalite: number; nonRenseigne: number };
    byStatus: Record<string, number>;
  };
  newcomers: {
    /** Promeneurs who joined during the year (their journeys alone are counted too). */
    joined: number;
    journeys: { started: number; completed: number; active: number; stopped: number };
    /** How many journeys started in the year reached at least n steps (index n-1), n = 1…6. */
    reachedStep: number[];
  };
  attendanceByType: { type: string; label: string; meetings: number; present: number; recorded: number; rate: number | null }[];
  /** Only for the animator: members who attended none of their last three coordination times. */
  lowParticipation: { memberId: number; name: string; missed: string[] }[] | null;
  /** open: still waiting for a first answer. */
  questions: { count: number; open: number; answered: number; medianResponseHours: number | null; byCategory: Record<string, number> };
  watch: { shared: number; collected: number; sharers: number };
  activity: {
    reports: number;
    reporters: number;
    hours: number;
    youthContacts: number;
    parentContacts: number;
    topThemes: { theme: string; label: string; count: number }[];
    months: { month: string; reports: number; hours: number; contacts: number }[];
  };
  training: { surveys: number; respondents: number; topNeeds: { theme: string; label: string; count: number }[] };
}

export interface FigureOptions {
  year: number;
  timeZone: string;
  now: Date;
  /** Who asks: the participation list is for the animator (and admins) only. */
  viewerRole: Role;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function yearBounds(year: number, timeZone: string): { from: Date; to: Date } {
  const from = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: timeZone });
  return { from: from.toJSDate(), to: from.plus({ years: 1 }).toJSDate() };
}
