// Every figure of the dashboard (/tableau) and of the yearly evaluation (/bilan), computed in one
// place from the store so that the chat message, the chart and the workbook never disagree.
// No platform import; dates are cut in the bot's time zone (a year runs from 1 January 00:00 in
// Paris, not in UTC).
import { DateTime } from "luxon";

import type { PrismaClient, Role } from "../../store/index.js";
import { ACTIVITY_THEMES, type ActivityTheme } from "../activity/service.js";
import { MEETING_TYPES } from "../meetings/model.js";

/** The seed's yearly targets (cahier des charges), by meeting type. */
const TARGETS = [
  { type: "departementale", label: "Rencontres départementales", min: 2, max: 3, target: "2 à 3" },
  { type: "formation", label: "Formations", min: 1, max: null, target: "au moins 1" },
  { type: "analyse_pratique", label: "Analyse de pratique", min: 2, max: null, target: "2 séances de 3 h" },
  { type: "accueil_nouveaux", label: "Accueil des nouveaux", min: 1, max: null, target: "1" },
  { type: "copil", label: "Comité de pilotage", min: 1, max: null, target: "1" },
] as const;

/** The collective times a Promeneur commits to attend (charter): their attendance is followed. */
const COORDINATION_TYPES = ["departementale", "formation", "analyse_pratique"] as const;

/** The six steps of the welcome journey (src/core/onboarding/steps.fr.yaml), by key prefix. */
export const ONBOARDING_STEPS = ["accueil", "charte", "profil", "liste", "presentation", "rencontre"] as const;

type TargetState = "fait" | "prévu" | "manquant";

interface TargetFigure {
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

interface MeetingRow {
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

interface FigureOptions {
  year: number;
  timezone: string;
  now: Date;
  /** Who asks: the participation list is for the animator (and admins) only. */
  viewerRole: Role;
}

const fold = (s: string) => s.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function yearBounds(year: number, tz: string): { from: Date; to: Date } {
  const from = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: tz });
  return { from: from.toJSDate(), to: from.plus({ years: 1 }).toJSDate() };
}

export async function computeFigures(db: PrismaClient, options: FigureOptions): Promise<Figures> {
  const { year, timezone: tz, now } = options;
  const { from, to } = yearBounds(year, tz);
  const inYear = { gte: from, lt: to };

  const [meetingRows, members, allJourneys, questions, watchShared, watchCollected, reports, surveys] = await Promise.all([
    db.meeting.findMany({
      where: { status: "scheduled", startsAt: inYear },
      select: { id: true, type: true, title: true, startsAt: true, endsAt: true, attendances: { select: { memberId: true, status: true } } },
      orderBy: { startsAt: "asc" },
    }),
    db.member.findMany({ select: { id: true, displayName: true, kind: true, status: true, role: true, joinedAt: true } }),
    db.onboardingJourney.findMany({ where: { startedAt: inYear }, select: { memberId: true, state: true, steps: { select: { key: true } } } }),
    db.question.findMany({ where: { askedAt: inYear }, select: { state: true, category: true, askedAt: true, firstAnsweredAt: true } }),
    db.watchItem.findMany({ where: { collectedAt: inYear, sharedById: { not: null } }, select: { sharedById: true } }),
    db.watchItem.count({ where: { collectedAt: inYear } }),
    db.activityReport.findMany({ where: { month: { gte: `${year}-01`, lte: `${year}-12` } }, select: { memberId: true, month: true, minutes: true, youthContacts: true, parentContacts: true, themes: true } }),
    db.trainingSurvey.findMany({ where: { year }, select: { id: true, themes: true, ticks: { select: { memberId: true, theme: true } }, needs: { select: { memberId: true } } } }),
  ]);

  // ── Meetings against the targets ──
  const meetings: MeetingRow[] = meetingRows.map((m) => {
    const count = (s: string) => m.attendances.filter((a) => a.status === s).length;
    return {
      id: m.id,
      type: m.type,
      title: m.title,
      startsAt: m.startsAt,
      hours: (m.endsAt.getTime() - m.startsAt.getTime()) / 3600_000,
      done: m.endsAt.getTime() <= now.getTime(),
      present: count("present"),
      absent: count("absent"),
      excused: count("excused"),
    };
  });

  // Training needs surveyed that year, ranked: a training "chosen from the needs" names one of them.
  const needCounts = new Map<string, { label: string; count: number }>();
  const respondents = new Set<number>();
  for (const s of surveys) {
    const labels = new Map((JSON.parse(s.themes) as { key: string; label: string }[]).map((t) => [t.key, t.label]));
    for (const t of s.ticks) {
      respondents.add(t.memberId);
      const entry = needCounts.get(t.theme) ?? { label: labels.get(t.theme) ?? t.theme, count: 0 };
      entry.count++;
      needCounts.set(t.theme, entry);
    }
    for (const n of s.needs) respondents.add(n.memberId);
  }
  const topNeeds = [...needCounts.entries()]
    .map(([theme, v]) => ({ theme, label: v.label, count: v.count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, "fr"));

  const targets: TargetFigure[] = TARGETS.map((t) => {
    const ofType = meetings.filter((m) => m.type === t.type);
    const done = ofType.filter((m) => m.done).length;
    const planned = ofType.length - done;
    const state: TargetState = done >= t.min ? "fait" : done + planned >= t.min ? "prévu" : "manquant";
    const figure: TargetFigure = { type: t.type, label: t.label, target: t.target, done, planned, state };
    if (t.type === "analyse_pratique") {
      figure.hoursDone = ofType.filter((m) => m.done).reduce((sum, m) => sum + m.hours, 0);
      // Two sessions of three hours: a shorter session does not count towards the target.
      const full = ofType.filter((m) => m.hours >= 3);
      const fullDone = full.filter((m) => m.done).length;
      figure.state = fullDone >= 2 ? "fait" : full.length >= 2 ? "prévu" : "manquant";
    }
    if (t.type === "formation") {
      const matched = ofType
        .map((m) => topNeeds.find((n) => n.label.length > 0 && fold(m.title).includes(fold(n.label))))
        .find((n) => n !== undefined);
      figure.fromNeeds = { surveyed: topNeeds.length > 0, matchedTheme: matched?.label ?? null };
    }
    return figure;
  });

  // ── Members: the Promeneurs only (the animator, the Caf referent and admins run the network) ──
  const promeneurs = members.filter((m) => m.role === "PROMENEUR");
  const byStatus: Record<string, number> = { CANDIDATE: 0, ONBOARDING: 0, ACTIVE: 0, INACTIVE: 0, EXCLUDED: 0 };
  const byKind = { jeunesse: 0, parentalite: 0, nonRenseigne: 0 };
  for (const m of promeneurs) {
    byStatus[m.status] = (byStatus[m.status] ?? 0) + 1;
    if (m.kind === "JEUNESSE") byKind.jeunesse++;
    else if (m.kind === "PARENTALITE") byKind.parentalite++;
    else byKind.nonRenseigne++;
  }
  const joined = promeneurs.filter((m) => m.joinedAt >= from && m.joinedAt < to).length;
  const promeneurIds = new Set(promeneurs.map((m) => m.id));
  const journeys = allJourneys.filter((j) => promeneurIds.has(j.memberId));
  const reachedStep = ONBOARDING_STEPS.map(() => 0);
  const journeyCounts = { started: journeys.length, completed: 0, active: 0, stopped: 0 };
  for (const j of journeys) {
    if (j.state === "completed") journeyCounts.completed++;
    else if (j.state === "stopped") journeyCounts.stopped++;
    else journeyCounts.active++;
    const touched = new Set(j.steps.map((s) => s.key.split(".")[0]));
    const reached = j.state === "completed" ? ONBOARDING_STEPS.length : ONBOARDING_STEPS.filter((k) => touched.has(k)).length;
    for (let i = 0; i < reached; i++) reachedStep[i]!++;
  }

  // ── Attendance per meeting type (meetings held whose attendance was recorded) ──
  const attendanceByType = Object.entries(MEETING_TYPES).flatMap(([type, label]) => {
    const held = meetings.filter((m) => m.type === type && m.done && m.present + m.absent + m.excused > 0);
    if (held.length === 0) return [];
    const present = held.reduce((s, m) => s + m.present, 0);
    const recorded = held.reduce((s, m) => s + m.present + m.absent + m.excused, 0);
    return [{ type, label, meetings: held.length, present, recorded, rate: recorded ? present / recorded : null }];
  });

  // ── The charter's participation commitment (animator only) ──
  let lowParticipation: Figures["lowParticipation"] = null;
  if (options.viewerRole === "ANIMATEUR" || options.viewerRole === "ADMIN") {
    lowParticipation = await participationGaps(db, now, members);
  }

  // ── Questions ──
  const responseHours = questions.filter((q) => q.firstAnsweredAt).map((q) => (q.firstAnsweredAt!.getTime() - q.askedAt.getTime()) / 3600_000);
  const byCategory: Record<string, number> = {};
  for (const q of questions) byCategory[q.category] = (byCategory[q.category] ?? 0) + 1;

  // ── Monthly activity ──
  const themeCounts = new Map<string, number>();
  const months = Array.from({ length: 12 }, (_, i) => ({ month: `${year}-${String(i + 1).padStart(2, "0")}`, reports: 0, hours: 0, contacts: 0 }));
  let minutes = 0;
  let youth = 0;
  let parents = 0;
  for (const r of reports) {
    minutes += r.minutes;
    youth += r.youthContacts;
    parents += r.parentContacts;
    const m = months[Number(r.month.slice(5)) - 1]!;
    m.reports++;
    m.hours += r.minutes / 60;
    m.contacts += r.youthContacts + r.parentContacts;
    for (const t of r.themes ? r.themes.split(",") : []) themeCounts.set(t, (themeCounts.get(t) ?? 0) + 1);
  }
  const topThemes = [...themeCounts.entries()]
    .map(([theme, count]) => ({ theme, label: ACTIVITY_THEMES[theme as ActivityTheme] ?? theme, count }))
    .sort((a, b) => b.count - a.count || a.theme.localeCompare(b.theme))
    .slice(0, 5);

  return {
    year,
    at: now,
    targets,
    meetings,
    members: { total: promeneurs.length, byKind, byStatus },
    newcomers: { joined, journeys: journeyCounts, reachedStep },
    attendanceByType,
    lowParticipation,
    questions: {
      count: questions.length,
      // Open means waiting for an answer: an answered question not yet closed is not open.
      open: questions.filter((q) => q.state === "open" && !q.firstAnsweredAt).length,
      answered: responseHours.length,
      medianResponseHours: median(responseHours),
      byCategory,
    },
    watch: { shared: watchShared.length, collected: watchCollected, sharers: new Set(watchShared.map((w) => w.sharedById)).size },
    activity: {
      reports: reports.length,
      reporters: new Set(reports.map((r) => r.memberId)).size,
      hours: minutes / 60,
      youthContacts: youth,
      parentContacts: parents,
      topThemes,
      months,
    },
    training: { surveys: surveys.length, respondents: respondents.size, topNeeds: topNeeds.slice(0, 5) },
  };
}

/**
 * Active Promeneurs whose last three recorded coordination times (held meetings, any year) were all
 * missed (absent or excused). Fewer than three recorded: not enough to say, so not listed.
 */
async function participationGaps(
  db: PrismaClient,
  now: Date,
  members: { id: number; displayName: string; status: string; role: string }[],
): Promise<{ memberId: number; name: string; missed: string[] }[]> {
  const rows = await db.attendance.findMany({
    where: { meeting: { status: "scheduled", type: { in: [...COORDINATION_TYPES] }, endsAt: { lte: now } } },
    select: { memberId: true, status: true, meeting: { select: { title: true, startsAt: true } } },
  });
  const byMember = new Map<number, { status: string; title: string; at: number }[]>();
  for (const r of rows) {
    const list = byMember.get(r.memberId) ?? [];
    list.push({ status: r.status, title: r.meeting.title, at: r.meeting.startsAt.getTime() });
    byMember.set(r.memberId, list);
  }
  const out: { memberId: number; name: string; missed: string[] }[] = [];
  for (const m of members) {
    if (m.status !== "ACTIVE" || m.role !== "PROMENEUR") continue;
    const last = (byMember.get(m.id) ?? []).sort((a, b) => b.at - a.at).slice(0, 3);
    if (last.length === 3 && last.every((a) => a.status !== "present")) out.push({ memberId: m.id, name: m.displayName, missed: last.map((a) => a.title) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name, "fr"));
}
