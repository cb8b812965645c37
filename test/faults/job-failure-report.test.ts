/**
 * A planned task whose handler throws at every attempt, in the running bot (startBot, console
 * adapter, real SQLite file): it stops after its attempts and the animator reads it once in
 * « animation », with what failed, across more ticks and a restart.
 */
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { startBot, type Bot } from "../../src/app.js";
import type { Config } from "../../src/config.js";
import { ManualClock } from "../helpers/clock.js";
import { defineFeature, handle } from "../../src/core/feature.js";
import { jobFailuresFeature } from "../../src/core/job-failures/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";
import type { NoPayload } from "../../src/scheduler/index.js";

/** The made-up kind of the failing feature below, declared as every feature declares its kinds. */
declare module "../../src/scheduler/index.js" {
  interface JobPayloads {
    "test.panne": NoPayload;
  }
}

let bot: Bot | undefined;
afterEach(async () => bot?.stop());

let runs = 0;
const alwaysFailing = defineFeature({
  name: "panne",
  needs: [],
  create: () => undefined,
  jobs: () => ({
    "test.panne": handle(async () => {
      runs++;
      throw new Error(`le service distant ne répond pas (essai ${runs})`);
    }),
  }),
});

async function start(config: Config, clock: ManualClock): Promise<{ bot: Bot; printed: () => string }> {
  let printed = "";
  const output = new PassThrough();
  output.on("data", (c: Buffer) => (printed += c.toString()));
  const started = await startBot({ config, log: memoryLogger().log, clock, input: new PassThrough(), output, scheduler: { timer: false }, features: [jobFailuresFeature, alwaysFailing] });
  return { bot: started, printed: () => printed };
}

describe("a task failing at every attempt", () => {
  it("stops after its attempts and is told once to the animator in « animation », restart included", { timeout: 30_000 }, async () => {
    const config = await testConfig();
    const clock = new ManualClock("2026-03-02T08:00:00Z");
    let first = await start(config, clock);
    bot = first.bot;
    const admin = await bot.services.members.findByRef("animateur", "console");
    await bot.services.settings.setChannel("console", "animation", "animation", admin.id);
    const { job } = await bot.scheduler.jobs.schedule({ kind: "test.panne", dueAt: clock.now(), maxAttempts: 4 });

    for (let i = 0; i < 8; i++) {
      await bot.scheduler.tick();
      clock.advance(60 * 60_000);
    }
    const shown = first.printed();
    expect(runs).toBe(4);
    expect((await bot.scheduler.jobs.get(job.id))?.state).toBe("failed");
    expect(shown.match(/Tâche planifiée abandonnée/g)).toHaveLength(1);
    expect(shown).toMatch(/dans #animation/);
    expect(shown).toMatch(/La tâche « test\.panne » \(n° \d+, prévue le .*\) a échoué à ses 4 essais/);
    expect(shown).toContain("le service distant ne répond pas (essai 4)");

    await bot.stop();
    first = await start(config, clock);
    bot = first.bot;
    for (let i = 0; i < 3; i++) await bot.scheduler.tick();
    expect(first.printed()).not.toMatch(/Tâche planifiée abandonnée/);
    expect(runs).toBe(4);
  });
});
