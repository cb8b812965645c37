// Every figure of the dashboard (/tableau) and of the yearly evaluation (/bilan), computed in one
// place from the store so that the chat message, the chart and the workbook never disagree.
// No platform import; dates are cut in the bot's time zone (a year runs from 1 January 00:00 in
// Paris, not in UTC). The steps are named after the part of the report they fill.
import type { PrismaClient } from "../../store/index.js";
import { yearBounds, type FigureOptions, type Figures } from "./figure-model.js";
import { attendanceByType, meetingRowsOf, participationGaps, targetFigures, trainingNeeds } from "./meeting-figures.js";
import { activityFigures, memberFigures, questionFigures } from "./people-figures.js";
import { readYear } from "./year-rows.js";

export async function computeFigures(db: PrismaClient, options: FigureOptions): Promise<Figures> {
  const { year, timeZone, now } = options;
  const bounds = yearBounds(year, timeZone);
  const rows = await readYear(db, year, { gte: bounds.from, lt: bounds.to });
  const meetings = meetingRowsOf(rows.meetings, now);
  const { topNeeds, respondents } = trainingNeeds(rows.surveys);
  // The charter's participation commitment is for the animator's eyes only (and the admins').
  const seesParticipation = options.viewerRole === "ANIMATEUR" || options.viewerRole === "ADMIN";
  return {
    year,
    at: now,
    targets: targetFigures(meetings, topNeeds),
    meetings,
    ...memberFigures(rows, bounds),
    attendanceByType: attendanceByType(meetings),
    lowParticipation: seesParticipation ? await participationGaps(db, now, rows.members) : null,
    questions: questionFigures(rows.questions),
    watch: { shared: rows.watchShared.length, collected: rows.watchCollected, sharers: new Set(rows.watchShared.map((w) => w.sharedById)).size },
    activity: activityFigures(rows.reports, year),
    training: { surveys: rows.surveys.length, respondents: respondents.size, topNeeds: topNeeds.slice(0, 5) },
  };
}
