// The meetings' part of the figures: each meeting held or planned, the targets of the cahier des
// charges they meet, the training needs a training may answer, attendance per type, and the
// Promeneurs who missed their last coordination times.
import type { PrismaClient } from "../../store/index.js";
import { MEETING_TYPES } from "../meetings/model.js";
import { COORDINATION_TYPES, TARGETS, type Figures, type MeetingRow, type TargetFigure, type TargetState } from "./figure-model.js";
import type { YearRows } from "./year-rows.js";

const fold = (s: string) => s.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();

export function meetingRowsOf(rows: YearRows["meetings"], now: Date): MeetingRow[] {
  return rows.map((m) => {
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
}

/** Training needs surveyed that year, ranked: a training "chosen from the needs" names one of them. */
export function trainingNeeds(surveys: YearRows["surveys"]): { topNeeds: Figures["training"]["topNeeds"]; respondents: Set<number> } {
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
  return { topNeeds, respondents };
}

export function targetFigures(meetings: readonly MeetingRow[], topNeeds: Figures["training"]["topNeeds"]): TargetFigure[] {
  return TARGETS.map((t) => {
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
}

/** Attendance per meeting type, over the meetings held whose attendance was recorded. */
export function attendanceByType(meetings: readonly MeetingRow[]): Figures["attendanceByType"] {
  return Object.entries(MEETING_TYPES).flatMap(([type, label]) => {
    const held = meetings.filter((m) => m.type === type && m.done && m.present + m.absent + m.excused > 0);
    if (held.length === 0) return [];
    const present = held.reduce((s, m) => s + m.present, 0);
    const recorded = held.reduce((s, m) => s + m.present + m.absent + m.excused, 0);
    return [{ type, label, meetings: held.length, present, recorded, rate: recorded ? present / recorded : null }];
  });
}

/**
 * Active Promeneurs whose last three recorded coordination times (held meetings, any year) were all
 * missed (absent or excused). Fewer than three recorded: not enough to say, so not listed.
 */
export async function participationGaps(
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
