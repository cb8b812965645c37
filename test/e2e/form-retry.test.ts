/**
 * A form refused for one field keeps what was typed, end to end: on Discord the refusal names the
 * bad field and its « Corriger le formulaire » button reopens the form filled as it was; on Slack
 * the view stays open with the error under the field; in the console the form is asked again,
 * every answer kept. The question form's category shows its choices, and the form accepts the
 * same spellings as the /question poser option (key or label, accents and case aside).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { EmuComponent } from "../emulators/discord/types.js";
import { runConsole } from "../helpers/bot.js";
import { startWorld, type World } from "./collective-world.js";

let w: World | undefined;

afterEach(async () => {
  await w?.stop();
  w = undefined;
});

const TYPED = { sujet: "Photos de jeunes", question: "Peut-on publier la photo d'un atelier sur Instagram ?", categorie: "rglementation" };

/** The text inputs of a Discord modal: custom id → label and value. */
function inputsOf(modal: { components: EmuComponent[] } | undefined): Record<string, { label: string; value?: string; placeholder?: string }> {
  const inputs = (modal?.components ?? []).flatMap((row) => (row as { components?: { custom_id: string; label: string; value?: string; placeholder?: string }[] }).components ?? []);
  return Object.fromEntries(inputs.map((i) => [i.custom_id, { label: i.label, value: i.value, placeholder: i.placeholder }]));
}

describe("a refused form keeps what was typed", () => {
  it("on Discord: names the bad field, and its button reopens the form filled as it was, the bad field marked", async () => {
    w = await startWorld();
    const { discord } = w;
    const alice = discord.addUser({ username: "alice", globalName: "Alice Martin" }).id;
    const form = await discord.sendCommand({ userId: alice, name: "question", subcommand: "poser" }).final();
    expect(inputsOf(form.modal).categorie!.placeholder).toBe("Pratique en ligne · Réglementation · Outils · Orientation d'un jeune ou d'un parent · Autre");

    const refused = await discord.submitModal({ userId: alice, customId: "question:poser", fields: TYPED }).final();
    expect(refused.ephemeral).toBe(true);
    expect(refused.text).toContain("**Catégorie** : « rglementation » n'est pas une catégorie");
    expect(refused.text).toContain("« Pratique en ligne », « Réglementation », « Outils »");
    expect(refused.text).toContain("Rien n'a été enregistré.");
    const retry = refused.customIds.find((id) => id.startsWith("formulaire:corriger:"));
    expect(retry).toBeDefined();
    expect(await w.bot.store.prisma.question.count()).toBe(0);

    const reopened = await discord.clickButton({ userId: alice, customId: retry! }).final();
    expect(reopened.modal?.custom_id).toBe("question:poser");
    const inputs = inputsOf(reopened.modal);
    expect(inputs.sujet).toMatchObject({ label: "Sujet", value: TYPED.sujet });
    expect(inputs.question!.value).toBe(TYPED.question);
    expect(inputs.categorie).toMatchObject({ label: "⚠️ Catégorie", value: "rglementation" });

    // Someone else cannot open Alice's refused form.
    const bruno = discord.addUser({ username: "bruno", globalName: "Bruno Petit" }).id;
    const foreign = await discord.clickButton({ userId: bruno, customId: retry! }).final();
    expect(foreign.modal).toBeUndefined();
    expect(foreign.text).toContain("Ce formulaire n'est plus disponible");

    // The label, any case, is what the option accepts too.
    const sent = await discord.submitModal({ userId: alice, customId: "question:poser", fields: { ...TYPED, categorie: "RÉGLEMENTATION" } }).final();
    expect(sent.text).toContain("Votre question n° 1 est transmise");
    expect((await w.bot.store.prisma.question.findFirstOrThrow()).category).toBe("reglementation");
  });

  it("on Slack: keeps the view open with the error under the bad field, then takes the correction", async () => {
    w = await startWorld();
    const { slack } = w;
    const chloe = slack.addUser({ name: "chloe", realName: "Chloé Durand", firstName: "Chloé" }).id;
    // The option takes the label with a typographic apostrophe, and the form opens with its key.
    await slack.slashCommand({ userId: chloe, command: "/question", text: `poser categorie:"Orientation d’un jeune ou d’un parent"` }).ack();
    await slack.idle();
    const view = slack.currentView(chloe);
    expect(view?.view.callback_id).toBe("question:poser");
    expect(JSON.stringify(view?.view)).toContain('"initial_value":"orientation"');

    const refused = slack.submitView({ userId: chloe, values: { sujet: { value: "Ph" }, question: { value: TYPED.question }, categorie: { value: "orientation" } } });
    const ack = await refused.ack();
    expect(ack).toMatchObject({ response_action: "errors" });
    expect(slack.currentView(chloe)?.open).toBe(true);
    expect(slack.currentView(chloe)?.errors).toEqual({ sujet: "Au moins 3 caractères." });
    expect(await w.bot.store.prisma.question.count()).toBe(0);

    const sent = slack.submitView({ userId: chloe, values: { sujet: { value: "Photos de jeunes" }, question: { value: TYPED.question }, categorie: { value: "Orientation d'un jeune ou d'un parent" } } });
    await sent.ack();
    await slack.idle();
    expect(slack.currentView(chloe)?.open ?? false).toBe(false);
    expect((await w.bot.store.prisma.question.findFirstOrThrow()).category).toBe("orientation");
  });
});

describe("a refused form in the console", () => {
  it("is asked again with every answer kept, the bad field named, the category's choices shown", async () => {
    const { printed } = await runConsole(["/as Lucie", "/question poser", TYPED.sujet, TYPED.question, TYPED.categorie, "", "", "Réglementation"]);
    expect(printed).toContain("(Pratique en ligne · Réglementation · Outils · Orientation d'un jeune ou d'un parent · Autre)");
    expect(printed).toContain("⚠️ Catégorie : « rglementation » n'est pas une catégorie.");
    const again = printed.slice(printed.indexOf("⚠️ Catégorie"));
    expect(printed.slice(printed.lastIndexOf("Formulaire « Une question à l'animateur »"))).toContain(`Sujet (obligatoire) [${TYPED.sujet}] :`);
    expect(again).toContain("Catégorie (obligatoire) [rglementation] :");
    expect(printed).toContain("Votre question n° 1 est transmise");
  });
});
