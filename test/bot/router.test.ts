/**
 * What the router logs when a handler fails: enough to find the bug (route, member, reference),
 * never the arguments of a route, which would tell who voted for what or who answered what.
 */
import { describe, expect, it } from "vitest";
import { Router } from "../../src/bot/router.js";
import { defineCommand } from "../../src/bot/command.js";
import type { Interaction } from "../../src/core/interaction.js";
import { memoryLogger } from "../helpers/bot.js";
import { buildTestFeatures } from "../helpers/features.js";
import { coreOnFreshStore } from "../helpers/store.js";

const failingVote = defineCommand({
  name: "sondage",
  description: "Sondage qui échoue (tests)",
  subcommands: [],
  components: {
    vote: {
      run() {
        throw new Error("disque plein (panne simulée)");
      },
    },
  },
  modals: {
    repondre: {
      run() {
        throw new Error("disque plein (panne simulée)");
      },
    },
  },
});

async function routerWithLog() {
  const { store, databaseUrl, services, clock } = await coreOnFreshStore();
  const memory = memoryLogger();
  const features = buildTestFeatures({ store, databaseUrl, services, clock, log: memory.log });
  const router = new Router({ commands: [failingVote], services, features, clock, timeZone: "Europe/Paris", log: memory.log });
  return { router, lines: memory.lines };
}

const user = { platform: "discord" as const, id: "555000111", workspaceId: "", displayName: "Alice" };

describe("router logs", () => {
  it("logs a failing vote with its route but without the poll and the option", async () => {
    const { router, lines } = await routerWithLog();
    const click: Interaction = { type: "component", user, channelId: "c1", canOpenModal: false, customId: "sondage:vote:17:3", values: [] };
    const answer = await router.handle(click);
    expect(answer.text).toMatch(/réf\. [A-Z0-9]+/);
    const failure = lines().find((l) => l.includes("commande en échec"))!;
    expect(JSON.parse(failure)).toMatchObject({ route: "sondage:vote", user: "555000111" });
    expect(failure).not.toContain("17:3");
    expect(failure).not.toContain("vote:17");
  });

  it("logs a failing form by its route only, never the ids it carries nor what was typed", async () => {
    const { router, lines } = await routerWithLog();
    const form: Interaction = { type: "modal", user, channelId: "c1", canOpenModal: false, customId: "sondage:repondre:42", fields: { reponse: "Le jeune s'appelle Kevin" } };
    await router.handle(form);
    const all = lines().join("\n");
    expect(all).toContain('"route":"sondage:repondre"');
    expect(all).not.toContain("repondre:42");
    expect(all).not.toContain("Kevin");
  });
});
