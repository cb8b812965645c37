/**
 * Exactly once through crashes with two instances on one PostgreSQL database (issue 14): both
 * bots run as their own processes on the Discord and Slack emulators; at random moments one of
 * them (at random) is SIGKILLed during a burst of reminders and restarted at once, the other
 * carrying on. Every one of the 35 members must hold each meeting's reminder exactly once,
 * counted on the emulators, and when the killed one held Discord's gateway the other must answer
 * /aide within 30 s. Three rounds here; CRASH_INSTANCES_ROUNDS=10 for the long proof
 * (`CRASH_INSTANCES=2 CRASH_STORE=postgresql npm run bench:crash` measures more). Run by the
 * "postgresql" vitest project only.
 */
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { crashRun } from "./fixtures/crash-run.js";

const main = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const onPostgres = process.env["PROMENEURS_TEST_STORE"] === "postgresql";
const ROUNDS = Number(process.env.CRASH_INSTANCES_ROUNDS ?? 3);

describe.skipIf(!onPostgres)("two instances on PostgreSQL through crashes", () => {
  it(`deliver every reminder exactly once although one of them is SIGKILLed ${ROUNDS} times during a burst and restarted`, async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    const report = await crashRun({
      meetings: ROUNDS,
      members: 35,
      kills: ROUNDS,
      firstDueInMs: 15_000,
      spacingMs: 8_000,
      botArgs: ["--import", "tsx", main],
      seed,
      instances: 2,
      store: "postgresql",
      settleTimeoutMs: 150_000,
    });
    const replay = `(CRASH_SEED=${seed} to replay; kills: ${JSON.stringify(report.kills)}; reminder jobs: ${report.reminderJobs.join(" | ")})`;
    console.info(`[crash-instances] graine ${seed}, ${report.kills.length} arrêts, ${report.exactlyOnce}/${report.expected} exactement une fois, relèves Discord : ${report.takeovers.map((t) => `${Math.round(t)} ms`).join(", ") || "aucune (jamais tenu par l'instance arrêtée)"}`);
    expect(report.kills, replay).toHaveLength(ROUNDS);
    expect(report.doubled, replay).toEqual([]);
    expect(report.missing, replay).toEqual([]);
    expect(report.exactlyOnce).toBe(report.expected);
    expect(report.unfinishedDeliveries).toBe(0);
    for (const tookMs of report.takeovers) expect(tookMs, replay).toBeLessThan(30_000);
  }, 60_000 + ROUNDS * 60_000);

  it("resend the DMs a killed instance left half-sent within Discord's nonce window when it stays down: the other takes its job over at once, not after its lease", async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    // The emulator honours a nonce for 30 s here (Discord: « a few minutes »): a resend after the
    // 2-minute lease would create a second message.
    const report = await crashRun({
      meetings: 2,
      members: 35,
      kills: 1,
      firstDueInMs: 15_000,
      spacingMs: 8_000,
      botArgs: ["--import", "tsx", main],
      seed,
      instances: 2,
      store: "postgresql",
      victim: "sender",
      restart: false,
      nonceWindowMs: 30_000,
      settleTimeoutMs: 180_000,
    });
    const replay = `(CRASH_SEED=${seed} to replay; kills: ${JSON.stringify(report.kills)}; reminder jobs: ${report.reminderJobs.join(" | ")})`;
    console.info(`[crash-instances] instance perdue : dernier rappel de chaque rencontre ${report.lastPerMeeting.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(", ")} après l'échéance`);
    expect(report.kills, replay).toHaveLength(1);
    expect(report.doubled, replay).toEqual([]);
    expect(report.missing, replay).toEqual([]);
    expect(Math.max(...report.lastPerMeeting), replay).toBeLessThan(30_000);
  }, 300_000);
});

if (!onPostgres) it.skip("deux instances à travers des arrêts brutaux : tourne dans le projet « postgresql » (il faut PostgreSQL)", () => {});
