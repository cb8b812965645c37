/**
 * Joins and leaves in the network's Matrix room while the bot was down: at start, the bot compares
 * the room's members with what it saw before stopping and starts or stops onboarding for the
 * differences, once — a second restart welcomes no one again, and the people already in the room
 * when the bot first arrived are not newcomers.
 */
import { describe, expect, it } from "vitest";
import type { Person } from "../emulators/matrix/person.js";
import { connectPerson, privateMessage, startMatrixWorld, type MatrixWorld } from "./matrix-world.js";

async function invitedIn(w: MatrixWorld, who: Person): Promise<void> {
  w.emu.hs.addEvent(w.emu.room(w.roomId), { type: "m.room.member", sender: w.nora.userId, state_key: who.userId, content: { membership: "invite" } });
  for (let i = 0; i < 1600 && w.emu.hs.membership(w.emu.room(w.roomId), who.userId) !== "join"; i++) await new Promise((r) => setTimeout(r, 25));
}

async function journeyOf(w: MatrixWorld, who: Person) {
  const account = await w.bot.store.prisma.platformAccount.findUnique({ where: { platform_externalId: { platform: "MATRIX", externalId: who.userId } } });
  return account ? w.bot.store.prisma.onboardingJourney.findUnique({ where: { memberId: account.memberId } }) : null;
}

describe("Matrix joins and leaves while the bot was down", { timeout: 180_000 }, () => {
  it("welcomes who joined and stops the journey of who left during the downtime, once", async () => {
    const w = await startMatrixWorld();
    // Nora and Léo were in the room before the bot's first start: not newcomers.
    expect(await w.bot.store.prisma.onboardingJourney.count()).toBe(0);
    const zoe = await connectPerson(w, "zoe", "Zoé Durand");
    await invitedIn(w, zoe);
    await expect.poll(async () => (await journeyOf(w, zoe))?.state, { timeout: 45_000 }).toBe("active");

    const yann = await connectPerson(w, "yann", "Yann Colin");
    await w.restart(async () => {
      await zoe.client.leave(w.roomId);
      await invitedIn(w, yann);
    });
    await expect.poll(async () => (await journeyOf(w, yann))?.state, { timeout: 45_000 }).toBe("active");
    await expect.poll(async () => (await journeyOf(w, zoe))?.state, { timeout: 45_000 }).toBe("stopped");
    await w.bot.scheduler.tick();
    await privateMessage(w, yann, () => true, "Yann's welcome");

    await w.restart();
    await w.bot.scheduler.tick();
    await new Promise((r) => setTimeout(r, 1000));
    expect((await journeyOf(w, yann))?.sequence).toBe(1);
    expect((await journeyOf(w, zoe))?.state).toBe("stopped");
    expect(await w.bot.store.prisma.onboardingJourney.count()).toBe(2);
    expect(await w.bot.store.prisma.auditLog.count({ where: { action: { in: ["onboarding.start", "onboarding.resume"] } } })).toBe(2);
  });
});
