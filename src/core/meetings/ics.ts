/**
 * The upcoming meetings as an iCalendar file. Each meeting keeps one UID for life and its
 * SEQUENCE grows with every change, so importing the file again updates the events already in a
 * calendar instead of duplicating them; a cancelled meeting stays in the file as CANCELLED, which
 * is how calendars learn to remove it.
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";

import type { MeetingRecord } from "./model.js";
import { audienceLabel, meetingName } from "./views.js";

export const ICS_DOMAIN = "promeneurs-du-net-vosges";

export function meetingUid(id: number): string {
  return `rencontre-${id}@${ICS_DOMAIN}`;
}

export function buildCalendar(meetings: readonly MeetingRecord[], now: Date): string {
  const calendar = ical({
    name: "Rencontres des Promeneurs du Net des Vosges",
    prodId: { company: "Promeneurs du Net Vosges", product: "promeneurs-bot", language: "FR" },
    // PUBLISH: a feed of events to add or update, not invitations to answer.
    method: ICalCalendarMethod.PUBLISH,
  });
  for (const m of meetings) {
    calendar.createEvent({
      id: meetingUid(m.id),
      sequence: m.sequence,
      // Times in UTC: every calendar converts them to its own zone without needing a VTIMEZONE.
      start: m.startsAt,
      end: m.endsAt,
      stamp: now,
      created: m.createdAt,
      lastModified: m.updatedAt,
      summary: m.status === "cancelled" ? `[Annulée] ${meetingName(m)}` : meetingName(m),
      description: [
        audienceLabel(m),
        m.visioUrl ? `Visio : ${m.visioUrl}` : "",
        m.status === "cancelled" && m.cancelReason ? `Annulée : ${m.cancelReason}` : "",
        `Répondre : /rencontre details rencontre:${m.id}`,
      ]
        .filter(Boolean)
        .join("\n"),
      location: m.place ?? m.visioUrl ?? null,
      url: m.visioUrl ?? null,
      status: m.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
