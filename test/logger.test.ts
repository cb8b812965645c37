import { describe, expect, it } from "vitest";
import { memoryLogger } from "./helpers/bot.js";

describe("logger", () => {
  it("keeps the request a platform library failed to send out of the logs (discord.js's requestBody)", () => {
    const { log, lines } = memoryLogger();
    const err = Object.assign(new Error("Invalid Form Body"), { status: 400, requestBody: { json: { content: "Réponse privée : le jeune s'appelle Kevin" } } });
    log.error({ err }, "Discord : interaction en échec");
    const line = lines().join("\n");
    expect(line).toContain("Invalid Form Body");
    expect(line).toContain('"status":400');
    expect(line).not.toContain("Kevin");
  });
});
