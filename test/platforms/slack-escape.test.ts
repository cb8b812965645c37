/**
 * Hostile texts through the real bot on Slack (unmodified Bolt against the emulator): whatever a
 * member typed, a feed said or a profile holds is shown as text. Slack must never see a mass
 * mention, a mention of someone the bot did not mean to ping, or a link the bot did not build.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { startBot, type Bot } from "../../src/app.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { controlSequences } from "../emulators/slack/blocks.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";
import { slackEnv } from "../helpers/env.js";
import { startFeedServer, type FeedServer } from "../helpers/feed-server.js";

let emu: SlackEmulator;
let feeds: FeedServer;
let bot: Bot | undefined;
let animator: string;
let promeneur: string;

const HOSTILE = "<!channel> <!here> <!everyone> <@U0VICTIM> [Site de la Caf](https://evil.example/a) <https://evil.example/b|Caf>";

async function command(userId: string, text: string) {
  const [name, ...rest] = text.split(" ");
  const h = emu.slashCommand({ userId, command: name!, text: rest.join(" ") });
  await h.ack();
  return h.final();
}

/** Every `<…>` Slack would parse in everything the bot ever sent, older versions included. */
function everyControlSequence(): string[] {
  return emu.allMessages.flatMap((m) => [...m.history, m].flatMap((v) => controlSequences(v.text, v.blocks)));
}

beforeEach(async () => {
  emu = await startSlackEmulator();
  feeds = await startFeedServer();
  animator = emu.addUser({ name: "anim", realName: "Sophie Animatrice", firstName: "Sophie" }).id;
  promeneur = emu.addUser({ name: "lucas", realName: "Lucas Bernard", firstName: "Lucas" }).id;
  const config = await testConfig({ ...slackEnv(emu), BOT_ADMINS: `slack:${animator}`, WATCH_ALLOW_PRIVATE_HOSTS: "1" });
  bot = await startBot({ scheduler: { timer: false }, config, log: memoryLogger([emu.botToken, emu.appToken]).log, commands });
});

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await emu.close();
  await feeds.close();
});

describe("text from outside the bot, on Slack", () => {
  it("is escaped everywhere: announcement, watch item, feed title, meeting, question, profile", async () => {
    for (const usage of ["annonces", "veille", "rencontres", "animation"]) {
      await command(animator, `/config canal usage:${usage} canal:<#${emu.defaultChannelId}|general>`);
    }
    await command(animator, `/annonce publier titre:"${HOSTILE}" texte:"${HOSTILE} &amp; fin"`);
    await command(promeneur, `/veille ajouter url:https://exemple.fr/article titre:"<!here> x" commentaire:"${HOSTILE}"`);
    feeds.route("/flux.rss", {
      contentType: "application/rss+xml",
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item><title>&amp;lt;!channel&amp;gt; Nouvelle loi</title><link>https://exemple.fr/loi</link><pubDate>${new Date().toUTCString()}</pubDate></item></channel></rss>`,
    });
    const added = await command(animator, `/veille source-ajouter url:${feeds.url("/flux.rss")} nom:"<!channel> Flux" categorie:reglementation`);
    expect(added.fullText).toContain("Source ajoutée");
    const preview = await command(animator, "/veille apercu");
    // The parser reads the decoded « <!channel> » as a tag and drops it; the source's name stays text.
    expect(preview.fullText).toContain("<https://exemple.fr/loi|Nouvelle loi> — &lt;!channel&gt; Flux");
    expect(preview.fullText).toContain("<https://exemple.fr/article|&lt;!here&gt; x>");
    await command(animator, `/rencontre creer type:departementale titre:"<!everyone> rencontre" debut:"dans 3 jours 14h" lieu:"${HOSTILE}"`);
    emu.slashCommand({ userId: promeneur, command: "/question", text: "poser" });
    await emu.idle();
    await emu.submitView({ userId: promeneur, values: { sujet: { value: HOSTILE.slice(0, 110) }, question: { value: HOSTILE }, categorie: { value: "outils" } } }).ack();
    emu.slashCommand({ userId: promeneur, command: "/profil", text: "modifier" });
    await emu.idle();
    await emu.submitView({ userId: promeneur, values: { structure: { value: "<!here> MJC" }, commune: { value: "Épinal" }, contact: { value: "<@U0VICTIM> ici" } } }).ack();
    await emu.idle();
    await command(animator, "/annuaire");
    await emu.idle();

    const texts = emu.allMessages.map((m) => m.fullText).join("\n");
    for (const shown of ["&lt;!channel&gt;", "&lt;!here&gt; MJC", "&lt;@U0VICTIM&gt;", "[Site de la Caf](https://evil.example/a)"]) expect(texts).toContain(shown);
    const sequences = everyControlSequence();
    expect(sequences.filter((s) => /^[!@]/.test(s))).toEqual([]);
    expect(sequences.filter((s) => s.includes("evil.example"))).toEqual([]);
    expect(sequences.filter((s) => !s.startsWith("#")).every((s) => /^https:\/\/exemple\.fr\/(article|loi)\|/.test(s))).toBe(true);
    expect(emu.problems).toEqual([]);
  });
});
