import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, platformsOf, secretsOf } from "../src/config.js";

const load = (env: Record<string, string>) => loadConfig(env, "");

describe("configuration", () => {
  it("runs the console on SQLite with nothing set", () => {
    const config = load({});
    expect(config.DATABASE_URL).toBe("file:./data/promeneurs.db");
    expect(config.BOT_TIMEZONE).toBe("Europe/Paris");
    expect(platformsOf(config)).toEqual({ discord: false, slack: false, console: true });
  });

  it("serves Discord and Slack at once when both are configured", () => {
    const config = load({ DISCORD_TOKEN: "abc.def.ghi", DISCORD_GUILD_ID: "123456789012345678", SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" });
    expect(platformsOf(config)).toEqual({ discord: true, slack: true, console: false });
    expect(secretsOf(config)).toEqual(["abc.def.ghi", "xoxb-1", "xapp-1"]);
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
