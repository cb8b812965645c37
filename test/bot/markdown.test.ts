import { describe, expect, it } from "vitest";
import { toPlainText, toSlackMrkdwn } from "../../src/bot/markdown.js";

describe("text rendering", () => {
  it("turns the Markdown subset into Slack mrkdwn", () => {
    expect(toSlackMrkdwn("**Gras** et *italique*, [le site](https://exemple.fr)")).toBe("*Gras* et _italique_, <https://exemple.fr|le site>");
  });

  it("escapes what Slack would read as markup but keeps mentions", () => {
    expect(toSlackMrkdwn("a < b & c > d, voir <#C42> et <@U1>")).toBe("a &lt; b &amp; c &gt; d, voir <#C42> et <@U1>");
  });

  it("leaves lone stars alone, as in a cron expression", () => {
    expect(toSlackMrkdwn("le lundi : 0 9 * * 1")).toBe("le lundi : 0 9 * * 1");
    expect(toPlainText("0 9 * * 1")).toBe("0 9 * * 1");
  });

  it("strips markup for the console", () => {
    expect(toPlainText("**Gras** `code` [lien](https://x.fr)")).toBe("Gras code lien (https://x.fr)");
  });
});
