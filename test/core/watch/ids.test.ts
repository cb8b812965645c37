import { describe, expect, it } from "vitest";
import { entryIdHash } from "../../../src/core/watch/ids.js";

describe("entry ids", () => {
  const date = new Date("2026-02-27T09:00:00Z");

  it("use the guid first: same guid, same id, whatever the link or title", () => {
    const a = entryIdHash({ guid: "21453 at https://www.cnil.fr", link: "https://www.cnil.fr/a", title: "A", date });
    expect(entryIdHash({ guid: " 21453 at https://www.cnil.fr ", link: "https://www.cnil.fr/b", title: "B" })).toBe(a);
    expect(entryIdHash({ guid: "21454 at https://www.cnil.fr", link: "https://www.cnil.fr/a", title: "A", date })).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });

  it("use the normalised link when there is no guid", () => {
    const a = entryIdHash({ link: "https://www.pointdecontact.example/breves/sextorsion-parents", title: "A" });
    expect(entryIdHash({ guid: "", link: "http://pointdecontact.example/breves/sextorsion-parents/?utm_source=x", title: "B" })).toBe(a);
  });

  it("fall back to title and date, so the same title on another day is another entry", () => {
    const a = entryIdHash({ title: "Brève du jour", date });
    expect(entryIdHash({ title: "  brève   du jour ", date })).toBe(a);
    expect(entryIdHash({ title: "Brève du jour", date: new Date("2026-02-28T09:00:00Z") })).not.toBe(a);
    expect(entryIdHash({ title: "Brève du jour" })).not.toBe(a);
  });

  it("never confuse a guid with a link or a title of the same text", () => {
    const text = "https://x.example/a";
    expect(new Set([entryIdHash({ guid: text }), entryIdHash({ link: text }), entryIdHash({ title: text })]).size).toBe(3);
  });
});
