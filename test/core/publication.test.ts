import { describe, expect, it } from "vitest";
import { platformsLabel, postingReport } from "../../src/core/publication.js";

describe("where a record was posted, as the animator reads it", () => {
  it("names the platforms in one fixed order, whichever answered first", () => {
    const slack = { platform: "slack" as const, channelId: "C1", messageId: "1.2" };
    const discord = { platform: "discord" as const, channelId: "10", messageId: "20" };
    expect(platformsLabel([slack, discord])).toBe("Discord et Slack");
    expect(platformsLabel([discord, slack])).toBe("Discord et Slack");
    expect(platformsLabel([slack, slack])).toBe("Slack");
    expect(platformsLabel([])).toBe("aucune plateforme");
  });

  it("lists three platforms the French way, « a, b et c »", () => {
    const refs = (["matrix", "slack", "discord"] as const).map((platform, i) => ({ platform, channelId: `c${i}`, messageId: `m${i}` }));
    expect(platformsLabel(refs)).toBe("Discord, Slack et Matrix");
  });

  it("says where it was not posted, and why", () => {
    expect(postingReport([])).toBe("");
    expect(postingReport([{ platform: "slack", error: "aucun salon « annonces » configuré" }])).toBe("\n⚠️ Pas publié sur Slack : aucun salon « annonces » configuré.");
  });
});
