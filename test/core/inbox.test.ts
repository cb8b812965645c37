import { describe, expect, it } from "vitest";
import { coreOnFreshStore } from "../helpers/store.js";

async function world() {
  const { services, clock } = await coreOnFreshStore();
  const admin = (await services.members.bootstrapAdmins(["console:root"]))[0]!;
  const member = await services.members.create({ firstName: "Nora" }, admin.id);
  return { services, clock, member };
}

describe("the member inbox", () => {
  it("lists the newest first, marks what it shows read, and never lets an unread message be pushed out by newer read ones", async () => {
    const { services, clock, member } = await world();
    for (const n of [1, 2, 3]) {
      await services.inbox.keep(member.id, { title: `Message ${n}`, text: `Texte ${n}`, fields: [{ name: "Par", value: "Sophie" }] });
      clock.advance(60_000);
    }
    const first = await services.inbox.read(member.id, 2);
    expect(first.entries.map((e) => e.title)).toEqual(["Message 3", "Message 2"]);
    expect(first.entries[0]!.text).toBe("Texte 3\n**Par** : Sophie");
    expect(first.unreadLeft).toBe(1);
    const second = await services.inbox.read(member.id, 2);
    // The older unread one comes first in view even though two newer ones exist.
    expect(second.entries.map((e) => [e.title, e.readAt === null])).toEqual([
      ["Message 3", false],
      ["Message 1", true],
    ]);
    expect(second.unreadLeft).toBe(0);
    expect(await services.inbox.unreadCount(member.id)).toBe(0);
  });

  it("keeps one message per key, brought back unread when sent again", async () => {
    const { services, member } = await world();
    await services.inbox.keep(member.id, { text: "v1" }, "question:1:reponse:1");
    await services.inbox.read(member.id, 5);
    await services.inbox.keep(member.id, { text: "v2" }, "question:1:reponse:1");
    const { entries } = await services.inbox.read(member.id, 5);
    expect(entries.map((e) => [e.text, e.readAt])).toEqual([["v2", null]]);
  });
});
