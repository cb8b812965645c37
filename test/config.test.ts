import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, platformsOf, secretsOf } from "../src/config.js";

const load = (env: Record<string, string>) => loadConfig(env, "");

describe("configuration", () => {
  it("runs the console on SQLite with nothing set", () => {
    const config = load({});
    expect(config.DATABASE_URL).toBe("file:./data/promeneurs.db");
    expect(config.BOT_TIMEZONE).toBe("Europe/Paris");
    expect(platformsOf(config)).toEqual({ discord: false, slack: false, matrix: false, console: true });
  });

  it("serves Discord and Slack at once when both are configured", () => {
    const config = load({ DISCORD_TOKEN: "abc.def.ghi", DISCORD_GUILD_ID: "123456789012345678", SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" });
    expect(platformsOf(config)).toEqual({ discord: true, slack: true, matrix: false, console: false });
    expect(secretsOf(config)).toEqual(["abc.def.ghi", "xoxb-1", "xapp-1"]);
  });

  it("serves Matrix with a login kept once, its admins written matrix:@nom:serveur, its secrets never logged", () => {
    const config = load({ MATRIX_HOMESERVER_URL: "https://matrix.agent.tchap.gouv.fr", MATRIX_USER: "promeneurs-bot", MATRIX_PASSWORD: "secret-mx", MATRIX_ROOMS: "!abc:agent.tchap.gouv.fr, #promeneurs:agent.tchap.gouv.fr", BOT_ADMINS: "matrix:@nora.petit-vosges.fr:agent.tchap.gouv.fr" });
    expect(platformsOf(config)).toEqual({ discord: false, slack: false, matrix: true, console: false });
    expect(config.MATRIX_ROOMS).toEqual(["!abc:agent.tchap.gouv.fr", "#promeneurs:agent.tchap.gouv.fr"]);
    expect(config.BOT_ADMINS).toEqual(["matrix:@nora.petit-vosges.fr:agent.tchap.gouv.fr"]);
    expect(secretsOf(config)).toEqual(["secret-mx"]);
  });

  it("names what Matrix is missing: the server, then a token or a user with a password", () => {
    expect(() => load({ MATRIX_USER: "bot", MATRIX_PASSWORD: "x" })).toThrow(/MATRIX_HOMESERVER_URL : obligatoire/);
    expect(() => load({ MATRIX_HOMESERVER_URL: "https://mx.example", MATRIX_USER: "bot" })).toThrow(/MATRIX_ACCESS_TOKEN : obligatoire avec MATRIX_HOMESERVER_URL/);
    expect(() => load({ MATRIX_HOMESERVER_URL: "https://mx.example", MATRIX_ACCESS_TOKEN: "t", MATRIX_ROOMS: "salon-général" })).toThrow(/MATRIX_ROOMS : attendu une liste de salons Matrix/);
    expect(() => load({ BOT_ADMINS: "matrix:nora" })).toThrow(/BOT_ADMINS/);
  });

  it("names every bad variable with its expected form", () => {
    try {
      load({ DISCORD_TOKEN: "t", BOT_TIMEZONE: "Mars/Olympus", SLACK_BOT_TOKEN: "nope", BOT_ADMINS: "discord:1,facebook:2", LOG_LEVEL: "bavard" });
      throw new Error("expected a refusal");
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const text = (err as ConfigError).message;
      for (const name of ["DISCORD_GUILD_ID", "BOT_TIMEZONE", "SLACK_BOT_TOKEN", "BOT_ADMINS", "LOG_LEVEL"]) expect(text).toContain(name);
      expect(text).toContain("Europe/Paris");
      expect(text).toContain("xoxb-");
    }
  });

  it("requires the HTTP port with the signing secret", () => {
    expect(() => load({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s3cr3t" })).toThrow(/SLACK_PORT/);
  });

  it("lets the real environment win over the .env file", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "pdn-env-"));
    const file = join(dir, ".env");
    writeFileSync(file, "LOG_LEVEL=debug\nBOT_TIMEZONE=Europe/Brussels\n");
    const config = loadConfig({ LOG_LEVEL: "warn" }, file);
    expect(config.LOG_LEVEL).toBe("warn");
    expect(config.BOT_TIMEZONE).toBe("Europe/Brussels");
  });
});
