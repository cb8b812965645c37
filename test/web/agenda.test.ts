import ICAL from "ical.js";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MeetingInput } from "../../src/core/meetings/index.js";
import type { Member } from "../../src/store/index.js";
import { accessibilityViolations, launchBrowser } from "../helpers/browser.js";
import { startWebBot, type WebBot } from "../helpers/web.js";

let web: WebBot;
let animator: Member;
const input = (over: Partial<MeetingInput>): MeetingInput => ({
  type: "departementale",
  title: "Rencontre de printemps",
  start: new Date("2026-03-20T13:00:00Z"),
  minutes: 120,
  place: "MJC d'Épinal",
  audience: "tous",
  capacity: null,
  offsets: [],
  ...over,
});
const meetings = () => web.bot.features.meetings;

/** The events of the feed as a calendar application reads them. */
async function feed(): Promise<{ uid: string; summary: string; status: string; sequence: number; start: string; alarms: string[] }[]> {
  const res = await fetch(`${web.url}/agenda.ics`);
  expect(res.headers.get("content-type")).toContain("text/calendar");
  const calendar = new ICAL.Component(ICAL.parse(await res.text()));
  return calendar.getAllSubcomponents("vevent").map((v) => {
    const event = new ICAL.Event(v);
    return {
      uid: event.uid,
      summary: event.summary,
      status: String(v.getFirstPropertyValue("status")),
      sequence: event.sequence,
      start: event.startDate.toJSDate().toISOString(),
      alarms: v.getAllSubcomponents("valarm").map((a) => String(a.getFirstPropertyValue("trigger"))),
    };
  });
}

beforeAll(async () => {
  web = await startWebBot();
  animator = await web.bot.services.members.create({ firstName: "Sophie", role: "ANIMATEUR" }, null);
});
afterAll(() => web?.stop());

describe("/agenda and /agenda.ics", () => {
  let open: number;
  let team: number;

  it("show the meetings open to everyone, never the team's", async () => {
    open = (await meetings().create(input({ visioUrl: "https://visio.example.org/secret-room" }), animator)).meeting.id;
    team = (await meetings().create(input({ type: "copil", title: "Comité de pilotage", audience: "equipe" }), animator)).meeting.id;
    const page = await (await fetch(`${web.url}/agenda`)).text();
    expect(page).toContain("Rencontre de printemps");
    expect(page).toContain("vendredi 20 mars 2026");
    expect(page).not.toContain("Comité de pilotage");
    expect(page).not.toContain("secret-room");
    const events = await feed();
    expect(events.map((e) => e.uid)).toEqual([`rencontre-${open}@promeneurs-du-net-vosges`]);
    expect(events[0]!.alarms).toEqual(["-P1D"]);
    expect(events[0]!.status).toBe("CONFIRMED");
    expect(JSON.stringify(events)).not.toContain("secret-room");
    expect(team).toBeGreaterThan(0);
  });

  it("keep the UID across a change and a cancellation, with a growing SEQUENCE", async () => {
    const [before] = await feed();
    await meetings().modify(open, { start: new Date("2026-03-21T08:00:00Z") }, animator);
    const [moved] = await feed();
    expect(moved!.uid).toBe(before!.uid);
    expect(moved!.sequence).toBeGreaterThan(before!.sequence);
    expect(moved!.start).toBe("2026-03-21T08:00:00.000Z");
    await meetings().cancel(open, "salle indisponible", animator);
    const [cancelled] = await feed();
    expect(cancelled!.uid).toBe(before!.uid);
    expect(cancelled!.status).toBe("CANCELLED");
    expect(cancelled!.sequence).toBeGreaterThan(moved!.sequence);
    expect(cancelled!.alarms).toEqual([]);
    expect(await (await fetch(`${web.url}/agenda`)).text()).not.toContain("Rencontre de printemps");
  });

  it("has no accessibility violation", async () => {
    await meetings().create(input({ title: "Formation « <img src=x> » harcèlement" }), animator);
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(`${web.url}/agenda`);
      expect(await page.locator("main h3").allTextContents()).toEqual(["Rencontre départementale — Formation « <img src=x> » harcèlement"]);
      expect(await accessibilityViolations(page)).toEqual([]);
    } finally {
      await browser?.close();
    }
  });
});
