/**
 * What the animator types for a poll or a set of slots: read in French, in Paris time, relative
 * to the clock, and refused with every problem named. Dates go through the meetings' parser, so
 * the DST days of 2026 are checked here for closing dates and slots too.
 */
import { describe, expect, it } from "vitest";
import { InputRefused } from "../../../src/core/polls/common.js";
import { splitList } from "../../../src/core/text-lists.js";
import { parseAvailabilityDraft } from "../../../src/core/polls/availability-draft.js";
import { parsePollDraft } from "../../../src/core/polls/draft.js";
import { parseClosing, parseSlot } from "../../../src/core/polls/when.js";

const TZ = "Europe/Paris";
const now = new Date("2026-03-02T08:00:00Z"); // Monday 2 March 2026, 09:00 in Paris

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputRefused) return err.message;
    throw err;
  }
  throw new Error("not refused");
}

describe("poll drafts", () => {
  const base = { question: "Quel jour ?", multiple: false, anonymous: false, audience: "tous" as const };

  it("reads options separated by « ; » and a French closing date in Paris time", () => {
    const draft = parsePollDraft({ ...base, options: "Mardi matin ; Jeudi | Vendredi", closing: "vendredi 18h" }, now, TZ);
    expect(draft.options).toEqual(["Mardi matin", "Jeudi", "Vendredi"]);
    expect(draft.closesAt.toISOString()).toBe("2026-03-06T17:00:00.000Z");
    expect(draft.closingReading).toBe("vendredi 6 mars 2026 à 18:00");
  });

  it("names every problem at once: duplicates (accents and case aside), empty options, a past date", () => {
    const text = refusal(() => parsePollDraft({ ...base, options: "Épinal ; epinal ; ; Golbey", closing: "hier 18h" }, now, TZ));
    expect(text).toContain("« epinal » est donnée deux fois (options 1 et 2)");
    expect(text).toContain("l'option 3 est vide");
    expect(text).toContain("**cloture** : j'ai compris dimanche 1er mars 2026 à 18:00, qui est passé");
    expect(text).toContain("Rien n'a été enregistré.");
    expect(splitList("  ")).toEqual([]);
  });

  it("refuses the hour that does not exist on 29 March 2026 and the one that happens twice on 25 October 2026", () => {
    expect(parseClosing("29/03/2026 02h30", now, TZ)).toMatchObject({ ok: false, error: expect.stringContaining("passage à l'heure d'été") });
    expect(parseClosing("25/10/2026 02h30", now, TZ)).toMatchObject({ ok: false, error: expect.stringContaining("passage à l'heure d'hiver") });
    const after = parseClosing("29/03/2026 03h00", now, TZ);
    expect(after.ok && after.value.at.toISOString()).toBe("2026-03-29T01:00:00.000Z");
    const winter = parseClosing("25/10/2026 18h", now, TZ);
    expect(winter.ok && winter.value.at.toISOString()).toBe("2026-10-25T17:00:00.000Z");
  });
});

describe("practice-analysis slots", () => {
  it("lasts 3 hours by default, or from a start to an end hour the same day", () => {
    const plain = parseSlot("mardi 10 mars 9h", now, TZ, 180);
    expect(plain.ok && [plain.value.startsAt.toISOString(), plain.value.endsAt.toISOString(), plain.value.reading]).toEqual(["2026-03-10T08:00:00.000Z", "2026-03-10T11:00:00.000Z", "mardi 10 mars 2026, 09:00–12:00"]);
    const range = parseSlot("jeudi 12 mars de 14h à 16h30", now, TZ, 180);
    expect(range.ok && range.value.reading).toBe("jeudi 12 mars 2026, 14:00–16:30");
    const dash = parseSlot("12/03/2026 14h-17h", now, TZ, 180);
    expect(dash.ok && dash.value.endsAt.toISOString()).toBe("2026-03-12T16:00:00.000Z");
    expect(parseSlot("jeudi 12 mars 17h-14h", now, TZ, 180)).toMatchObject({ ok: false });
  });

  it("keeps a slot's wall-clock hours across the spring change of 29 March 2026", () => {
    const draft = parseAvailabilityDraft({ slots: "samedi 28 mars 9h ; lundi 30 mars 9h", closing: "vendredi 27 mars 18h", place: "MJC d'Épinal" }, now, TZ);
    expect(draft.slots.map((s) => s.startsAt.toISOString())).toEqual(["2026-03-28T08:00:00.000Z", "2026-03-30T07:00:00.000Z"]);
  });

  it("refuses 1 or 9 slots, twins, and slots before closing", () => {
    expect(refusal(() => parseAvailabilityDraft({ slots: "mardi 10 mars 9h", closing: "vendredi 18h" }, now, TZ))).toContain("de 2 à 8 créneaux (1 donné)");
    const nine = Array.from({ length: 9 }, (_, i) => `${10 + i}/03/2026 9h`).join(" ; ");
    expect(refusal(() => parseAvailabilityDraft({ slots: nine, closing: "vendredi 18h" }, now, TZ))).toContain("(9 donnés)");
    const text = refusal(() => parseAvailabilityDraft({ slots: "mardi 10 mars 9h ; 10/03/2026 09h00 ; mercredi 4 mars 14h", closing: "vendredi 18h", duration: "3 jours" }, now, TZ));
    expect(text).toContain("les créneaux 1 et 2 commencent au même moment");
    expect(text).toContain("le créneau 3 (mercredi 4 mars 2026, 14:00–17:00) commence avant la clôture");
    expect(text).toContain("**duree**");
  });
});
