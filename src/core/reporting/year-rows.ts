// What the year's figures are computed from, read from the store in one round: each query keeps to
// the year (cut in the bot's time zone by the caller) and selects only the columns the figures use.
import type { PrismaClient } from "../../store/index.js";

export type YearRows = Awaited<ReturnType<typeof readYear>>;

export async function readYear(db: PrismaClient, year: number, inYear: { gte: Date; lt: Date }) {
  const [meetings, members, journeys, questions, watchShared, watchCollected, reports, surveys] = await Promise.all([
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
  return { meetings, members, journeys, questions, watchShared, watchCollected, reports, surveys };
}
