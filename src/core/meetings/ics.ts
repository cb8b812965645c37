/**
 * The upcoming meetings as an iCalendar file. Each meeting keeps one UID for life and its
 * SEQUENCE grows with every change, so importing the file again updates the events already in a
 * calendar instead of duplicating them; a cancelled meeting stays in the file as CANCELLED, which
 * is how calendars learn to remove it.
 */
import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventStatus } from "ical-generator";

import type { MeetingRecord } from "./model.js";
import { audienceLabel, meetingName } from "./views.js";

const ICS_DOMAIN = "promeneurs-du-net-vosges";

function meetingUid(id: number): string {
  return `rencontre-${id}@${ICS_DOMAIN}`;
}

interface CalendarOptions {
  /** The public feed: no visio link (it would let anyone in), the way to get it instead. */
  public?: boolean;
  /** A reminder this many seconds before each meeting that still takes place. */
  alarmBefore?: number;
}

export function buildCalendar(meetings: readonly MeetingRecord[], now: Date, options: CalendarOptions = {}): string {
  const calendar = ical({
    name: "Rencontres des Promeneurs du Net des Vosges",
    prodId: { company: "Promeneurs du Net Vosges", product: "promeneurs-bot", language: "FR" },
    // PUBLISH: a feed of events to add or update, not invitations to answer.
    method: ICalCalendarMethod.PUBLISH,
  });
  for (const m of meetings) {
    const visio = options.public ? null : m.visioUrl;
    const event = calendar.createEvent({
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
        visio ? `Visio : ${visio}` : m.visioUrl ? "En visio : le lien est donné par le bot du réseau (/rencontre details)." : "",
        m.status === "cancelled" && m.cancelReason ? `Annulée : ${m.cancelReason}` : "",
        `Répondre : /rencontre details rencontre:${m.id}`,
      ]
        .filter(Boolean)
        .join("\n"),
      location: m.place ?? visio ?? (m.visioUrl ? "En visio" : null),
      url: visio ?? null,
      status: m.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
    if (options.alarmBefore && m.status !== "cancelled") {
      event.createAlarm({ type: ICalAlarmType.display, triggerBefore: options.alarmBefore, description: `Demain : ${meetingName(m)}` });
    }
  }
  return calendar.toString();
}
