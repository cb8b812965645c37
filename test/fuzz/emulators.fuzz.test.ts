/**
 * A sample of the fuzz's hostile inputs through the real platform code: discord.js and Bolt on
 * the emulators, the whole bot as started in production (startBot). The bulk runs on the router
 * (router.fuzz.test.ts), where thousands of inputs take seconds; here each input crosses a
 * WebSocket and HTTP, so FUZZ_EMULATOR_RUNS (default 25 per kind) stays small.
 *
 * Properties: nothing any person was shown says « Une erreur est survenue », no adapter logged
 * a failure, and the bot still answers afterwards.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { everythingShown, slackCommand, startWorld, type World } from "../e2e/collective-world.js";
import { commandText, customId, discordCommand, formFields, routesOf } from "./inputs.js";

const RUNS = Number(process.env.FUZZ_EMULATOR_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const FAILURE_LOGS = /commande en échec|interaction en échec|réponse en échec|événement en échec|ligne en échec/;

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => w.stop());

const sample = <T>(arbitrary: fc.Arbitrary<T>) => fc.sample(arbitrary, { numRuns: RUNS, seed: SEED });

function noFailureShownOrLogged(): void {
  expect(everythingShown(w).filter((t) => /Une erreur est survenue/.test(t))).toEqual([]);
  expect(w.logs().filter((l) => FAILURE_LOGS.test(l))).toEqual([]);
}

describe(`hostile input through discord.js and Bolt on the emulators (${RUNS} of each kind)`, () => {
  it("Discord: slash commands with generated options, and forged form submissions", { timeout: 300_000 }, async () => {
    for (const pick of sample(discordCommand(commands))) {
      let handle;
      try {
        handle = w.discord.sendCommand({ userId: w.animator.discord, name: pick.command, subcommand: pick.subcommand, options: pick.options as Record<string, string | number | boolean> });
      } catch {
        continue; // the emulator, like Discord, refuses a value its client could not send (an unknown user or channel)
      }
      await handle.final().catch(() => undefined);
    }
    const fields = sample(formFields(commands));
    for (const [i, id] of sample(customId(routesOf(commands, "modals"), ["1", "2", "3"])).entries()) {
      const handle = w.discord.submitModal({ userId: w.animator.discord, customId: id, fields: Object.fromEntries(Object.entries(fields[i] ?? {}).map(([k, v]) => [k, v.slice(0, 4000)])) });
      await handle.final().catch(() => undefined);
    }
    noFailureShownOrLogged();
    const still = await w.discord.sendCommand({ userId: w.animator.discord, name: "aide" }).final();
    expect(still.content + JSON.stringify(still.embeds)).toMatch(/aide|commande/i);
  });

  it("Slack: command text with quotes, mentions and control characters, and forged views", { timeout: 300_000 }, async () => {
    for (const { command, text } of sample(commandText(commands))) {
      // Slack sends what was typed with &, < and > as entities.
      const typed = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
      const handle = w.slack.slashCommand({ userId: w.animator.slack, command: `/${command}`, text: typed });
      await handle.ack().catch(() => undefined);
      await w.slack.idle();
    }
    const fields = sample(formFields(commands));
    for (const [i, id] of sample(customId(routesOf(commands, "modals"), ["1", "2", "3"])).entries()) {
      const names = Object.keys(fields[i] ?? {});
      const view = {
        type: "modal",
        callback_id: id,
        title: { type: "plain_text", text: "Formulaire" },
        blocks: names.map((name) => ({ type: "input", block_id: name, label: { type: "plain_text", text: name }, element: { type: "plain_text_input", action_id: "v" } })),
      };
      const values = Object.fromEntries(names.map((name) => [name, { v: fields[i]![name]!.slice(0, 3000) }]));
      await w.slack.submitView({ userId: w.animator.slack, view, values }).ack().catch(() => undefined);
    }
    await w.slack.idle();
    noFailureShownOrLogged();
    const still = await slackCommand(w.slack, w.animator.slack, "/aide");
    expect(still.text).toMatch(/aide|commande/i);
  });
});
