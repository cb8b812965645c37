/** When the digest is posted, and how the animator changes it. */
import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/core/errors.js";
import { DEFAULT_DIGEST_CRON } from "../../../src/core/watch/schedule.js";
import { feedServerForFile, rejection, watchOnFreshStore } from "./helpers.js";

feedServerForFile();

describe("the digest's schedule", () => {
  it("is Monday 09:00 until the animator changes it, and then moves at once", async () => {
    const { watch, db, admin } = await watchOnFreshStore();
    expect(await watch.schedule.digestCron()).toBe(DEFAULT_DIGEST_CRON);
    expect(await watch.schedule.nextDigestAt()).toEqual(new Date("2026-03-09T08:00:00Z"));
    // Pasted back from a message of the bot, asterisks shown as « ∗ ».
    const { next } = await watch.schedule.setDigestCron("0  18 ∗ * 5", admin.id);
    expect(next).toEqual(new Date("2026-03-06T17:00:00Z"));
    expect(await watch.schedule.digestCron()).toBe("0 18 * * 5");
    expect(await db.auditLog.findFirst({ where: { action: "watch.schedule" } })).toMatchObject({ details: JSON.stringify({ avant: "0 9 * * 1", après: "0 18 * * 5" }) });
  });

  it("refuses in French an invalid expression or one posting more than once a day, writing nothing", async () => {
    const { watch, db, admin } = await watchOnFreshStore();
    expect((await rejection(watch.schedule.setDigestCron("0 9 * * lundi", admin.id))).message).toContain("Expression cron invalide « 0 9 ∗ ∗ lundi »");
    const twice = await rejection(watch.schedule.setDigestCron("0 9,17 * * 1", admin.id));
    expect(twice).toBeInstanceOf(UserError);
    expect(twice.message).toContain("le récapitulatif paraîtrait plusieurs fois par jour");
    expect(await db.setting.count({ where: { key: "watch.digest.cron" } })).toBe(0);
  });
});
