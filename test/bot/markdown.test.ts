import { describe, expect, it } from "vitest";
import { toDiscordMarkdown, toPlainText, toSlackFallback, toSlackMrkdwn } from "../../src/bot/markdown.js";
import { authoredLinks, channelRef, link, stripMarkup } from "../../src/core/markup.js";

describe("text rendering", () => {
  it("turns the Markdown subset and the bot's links into Slack mrkdwn", () => {
    expect(toSlackMrkdwn(`**Gras** et *italique*, ${link("https://exemple.fr", "le site")}`)).toBe("*Gras* et _italique_, <https://exemple.fr/|le site>");
  });

  it("shows what anyone typed as text on Slack: no mass mention, no person ping, no link", () => {
    const hostile = "<!channel> <!here> <!everyone> <@U1> <#C42> <https://evil.example|Caf> a < b & c > d";
    expect(toSlackMrkdwn(hostile)).toBe(
      "&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@U1&gt; &lt;#C42&gt; &lt;https://evil.example|Caf&gt; a &lt; b &amp; c &gt; d",
    );
    expect(toSlackFallback(hostile)).not.toMatch(/<[!@#h]/);
  });

  it("keeps the entity of a feed title an entity, so it never turns into a mention", () => {
    expect(toSlackMrkdwn("&lt;!channel&gt; Nouvelle loi")).toBe("&amp;lt;!channel&amp;gt; Nouvelle loi");
  });

  it("never reads a typed Markdown link as a link, on any platform", () => {
    const spoof = "[Site de la Caf](https://evil.example/login)";
    expect(toSlackMrkdwn(spoof)).toBe(spoof);
    expect(toDiscordMarkdown(spoof)).toBe("\\[Site de la Caf\\](https://evil.example/login)");
    expect(toPlainText(spoof)).toBe(spoof);
  });

  it("escapes the label of a bot link and encodes what would close it", () => {
    const token = link("https://exemple.fr/a>b|c (d)", "<!here> & [x]");
    expect(toSlackMrkdwn(token)).toBe("<https://exemple.fr/a%3Eb%7Cc%20%28d%29|&lt;!here&gt; &amp; [x]>");
    expect(toDiscordMarkdown(token)).toBe("[<!here> & \\[x\\]](https://exemple.fr/a%3Eb%7Cc%20%28d%29)");
    expect(toPlainText(token)).toBe("<!here> & [x] (https://exemple.fr/a%3Eb%7Cc%20%28d%29)");
  });

  it("refuses a link that is not http(s): only its label remains", () => {
    expect(toSlackMrkdwn(link("javascript:alert(1)", "cliquez"))).toBe("cliquez");
  });

  it("names a configured channel as a channel link", () => {
    expect(toSlackMrkdwn(`le salon ${channelRef("C42")}`)).toBe("le salon <#C42>");
    expect(toPlainText(channelRef("C42"))).toBe("#C42");
  });

  it("cannot be fooled by the delimiters typed by someone: they are removed at the entry", () => {
    const forged = "\uE000link\uE001https://evil.example\uE001Caf\uE002";
    expect(toSlackMrkdwn(stripMarkup(forged))).toBe("linkhttps://evil.exampleCaf");
  });

  it("turns the links of authored texts into bot links, but not a value filled in later", () => {
    expect(toSlackMrkdwn(authoredLinks("Voir [la charte](https://pdn.fr/charte)"))).toBe("Voir <https://pdn.fr/charte|la charte>");
  });

  it("leaves lone stars alone, as in a cron expression", () => {
    expect(toSlackMrkdwn("le lundi : 0 9 * * 1")).toBe("le lundi : 0 9 * * 1");
    expect(toPlainText("0 9 * * 1")).toBe("0 9 * * 1");
  });

  it("strips markup for the console", () => {
    expect(toPlainText(`**Gras** \`code\` ${link("https://x.fr", "lien")}`)).toBe("Gras code lien (https://x.fr/)");
  });
});
