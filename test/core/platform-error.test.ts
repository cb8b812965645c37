import { describe, expect, it } from "vitest";
import { platformErrorText } from "../../src/core/platform-error.js";

describe("a platform's refusal in French", () => {
  it("translates Discord's and Slack's errors, leaving their wording to the log", () => {
    // The shapes of discord.js's DiscordAPIError and the Slack WebClient's platform error.
    expect(platformErrorText(Object.assign(new Error("Missing Access"), { status: 403, code: 50001 }))).toBe("le bot n'a pas accès à ce salon");
    expect(platformErrorText(Object.assign(new Error("Invalid Form Body\nscheduled_start_time[GUILD_SCHEDULED_EVENT_SCHEDULE_PAST]"), { status: 400, code: 50035 }))).toBe(
      "la plateforme a refusé ce qui lui était envoyé",
    );
    expect(platformErrorText(Object.assign(new Error("An API error occurred: not_in_channel"), { code: "slack_webapi_platform_error", data: { error: "not_in_channel" } }))).toBe(
      "le bot n'est pas membre de ce salon (invitez-le)",
    );
    expect(platformErrorText(Object.assign(new Error("Service Unavailable"), { status: 503 }))).toBe("la plateforme ne répond pas : nouvel essai plus tard");
    expect(platformErrorText(new Error("fetch failed"))).toBe("la plateforme a refusé (détail dans le journal)");
  });

  it("keeps the bot's own French errors as they are", () => {
    expect(platformErrorText(new Error("le salon Discord 123 est introuvable"))).toBe("le salon Discord 123 est introuvable");
  });
});
