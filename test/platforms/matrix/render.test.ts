/** How a neutral reply reads on Matrix: escaped HTML, pills for people only, never @room, numbered choices. */
import { describe, expect, it } from "vitest";
import { link } from "../../../src/core/markup.js";
import { ChoiceBook } from "../../../src/platforms/matrix/choices.js";
import { bangCommands, renderMessage } from "../../../src/platforms/matrix/render.js";
import { typedText } from "../../../src/platforms/matrix/inbound.js";

describe("a reply rendered for Matrix", () => {
  it("escapes whatever did not come from the bot, in the HTML and against @room", () => {
    const { content } = renderMessage({ title: "Note de <b>Léa</b>", text: "**Important** : <script>alert(1)</script> & @room, [piège](https://ailleurs.example)" });
    expect(content.formatted_body).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp;");
    expect(content.formatted_body).toContain("<strong>Important</strong>");
    expect(content.formatted_body).toContain("Note de &lt;b&gt;Léa&lt;/b&gt;");
    expect(content.formatted_body).not.toContain('href="https://ailleurs.example"');
    expect(content.body).not.toMatch(/@room/);
    expect(content.formatted_body).not.toMatch(/@room/);
    expect(content["m.mentions"]).toEqual({ user_ids: [] });
  });

  it("turns the bot's own links into anchors, with the URL checked and escaped", () => {
    const { content } = renderMessage({ text: `Voir ${link("https://exemple.fr/a?b=1&c=2", "le site <officiel>")}` });
    expect(content.formatted_body).toContain('<a href="https://exemple.fr/a?b=1&amp;c=2">le site &lt;officiel&gt;</a>');
    expect(content.body).toContain("le site <officiel> (https://exemple.fr/a?b=1&c=2)");
  });

  it("mentions people as pills listed in m.mentions, never the room", () => {
    const { content } = renderMessage({ text: "le bot a un message privé pour vous", ping: ["@nora:tchap.example,"] });
    expect(content.formatted_body).toContain('<a href="https://matrix.to/#/@nora:tchap.example">@nora:tchap.example</a>,');
    expect(content["m.mentions"]).toEqual({ user_ids: ["@nora:tchap.example"] });
    expect(content["m.mentions"]).not.toHaveProperty("room");
  });

  it("numbers buttons and select options; the RSVP buttons get ✅ ❔ ❌", () => {
    const { content, choices } = renderMessage({
      text: "Rencontre",
      components: [
        { buttons: [
          { kind: "button", id: "rencontre:rsvp:4:oui", label: "Je viens" },
          { kind: "button", id: "rencontre:rsvp:4:peutetre", label: "Peut-être" },
          { kind: "button", id: "rencontre:rsvp:4:non", label: "Je ne viens pas" },
          { kind: "link", url: "https://exemple.fr", label: "Programme" },
        ] },
        { select: { kind: "select", id: "choix", options: [{ label: "A", value: "a" }, { label: "B", value: "b" }] } },
      ],
    });
    expect(choices.map((c) => c.emoji)).toEqual(["✅", "❔", "❌", "4️⃣", "5️⃣"]);
    expect(content.body).toContain("✅ Je viens\n❔ Peut-être\n❌ Je ne viens pas\n4️⃣ A\n5️⃣ B");
    expect(content.body).toContain("🔗 Programme : https://exemple.fr");
    const book = new ChoiceBook();
    book.remember("!r:x", "$card", choices, { text: "Rencontre" });
    expect(book.byReaction("$card", "✅️")?.choice.customId).toBe("rencontre:rsvp:4:oui");
    expect(book.byNumber("$card", " 5 ")?.choice).toMatchObject({ customId: "choix", values: ["b"] });
    expect(book.byNumber("$card", "6")).toBeUndefined();
    expect(book.byNumber("$card", "5 personnes")).toBeUndefined();
  });

  it("keeps a poll's vote out of a shared room: its buttons there become one 🗳️ that brings a private ballot", () => {
    const poll = {
      text: "Quel jour ?",
      components: [
        { buttons: [
          { kind: "button" as const, id: "sondage:vote:3:1", label: "1. Mardi" },
          { kind: "button" as const, id: "sondage:vote:3:2", label: "2. Jeudi" },
          { kind: "button" as const, id: "sondage:monvote:3", label: "Mon vote" },
        ] },
      ],
    };
    const shared = renderMessage(poll, new Set(), true);
    expect(shared.choices.map((c) => [c.emoji, c.customId])).toEqual([["🗳️", "matrix:bulletin"]]);
    expect(shared.content.body).toContain("• 1. Mardi\n• 2. Jeudi");
    expect(shared.content.body).toContain("le salon ne voit pas votre choix");
    const direct = renderMessage(poll, new Set(), false);
    expect(direct.choices.map((c) => c.emoji)).toEqual(["1️⃣", "2️⃣", "3️⃣"]);
  });

  it("writes the bot's commands with ! (Element keeps / for itself), leaving URLs and other words alone", () => {
    const names = new Set(["aide", "messages"]);
    expect(bangCommands("Tapez `/messages` ou /aide, voir https://site.fr/aide et /autre", names)).toBe("Tapez `!messages` ou !aide, voir https://site.fr/aide et /autre");
  });

  it("reads a typed pill as the user id it points to", () => {
    const text = typedText({ body: "!membre voir Nora", format: "org.matrix.custom.html", formatted_body: '!membre voir <a href="https://matrix.to/#/%40nora%3Atchap.example">Nora</a> &amp; co' });
    expect(text).toBe("!membre voir @nora:tchap.example & co");
  });
});
