// The people's part of the figures: the Promeneurs and the newcomers' journeys, the questions they
// asked, and the monthly activity they reported.
import { ACTIVITY_THEMES, type ActivityTheme } from "../activity/service.js";
import { median, ONBOARDING_STEPS, type Figures } from "./figure-model.js";
import type { YearRows } from "./year-rows.js";

/** The Promeneurs only: the animator, the Caf referent and admins run the network and are not counted. */
export function memberFigures(rows: YearRows, bounds: { from: Date; to: Date }): Pick<Figures, "members" | "newcomers"> {
  const promeneurs = rows.members.filter((m) => m.role === "PROMENEUR");
  const byStatus: Record<string, number> = { CANDIDATE: 0, ONBOARDING: 0, ACTIVE: 0, INACTIVE: 0, EXCLUDED: 0 };
  const byKind = { jeunesse: 0, parentalite: 0, nonRenseigne: 0 };
  for (const m of promeneurs) {
    byStatus[m.status] = (byStatus[m.status] ?? 0) + 1;
    if (m.kind === "JEUNESSE") byKind.jeunesse++;
    else if (m.kind === "PARENTALITE") byKind.parentalite++;
    else byKind.nonRenseigne++;
  }
  const joined = promeneurs.filter((m) => m.joinedAt >= bounds.from && m.joinedAt < bounds.to).length;
  const promeneurIds = new Set(promeneurs.map((m) => m.id));
  const journeys = rows.journeys.filter((j) => promeneurIds.has(j.memberId));
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
  return { members: { total: promeneurs.length, byKind, byStatus }, newcomers: { joined, journeys: journeyCounts, reachedStep } };
}

export function questionFigures(questions: YearRows["questions"]): Figures["questions"] {
  const responseHours = questions.filter((q) => q.firstAnsweredAt).map((q) => (q.firstAnsweredAt!.getTime() - q.askedAt.getTime()) / 3600_000);
  const byCategory: Record<string, number> = {};
  for (const q of questions) byCategory[q.category] = (byCategory[q.category] ?? 0) + 1;
  return {
    count: questions.length,
    // Open means waiting for an answer: an answered question not yet closed is not open.
    open: questions.filter((q) => q.state === "open" && !q.firstAnsweredAt).length,
    answered: responseHours.length,
    medianResponseHours: median(responseHours),
    byCategory,
  };
}

export function activityFigures(reports: YearRows["reports"], year: number): Figures["activity"] {
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
  return { reports: reports.length, reporters: new Set(reports.map((r) => r.memberId)).size, hours: minutes / 60, youthContacts: youth, parentContacts: parents, topThemes, months };
}
