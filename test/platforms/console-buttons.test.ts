import { describe, expect, it } from "vitest";
import { ConsoleButtons } from "../../src/platforms/console/render.js";
import { runConsole } from "../helpers/bot.js";

const channels = ["/config canal usage:animation canal:animation", "/config canal usage:annonces canal:annonces"];
const poll = '/sondage creer question:"Quel jour ?" options:"Mardi ; Jeudi" cloture:"vendredi 18h"';
const askQuestion = ["/question poser", "Local", "Où trouver une salle ?", "pratique"];

describe("console buttons are numbered for the whole session", () => {
  it("presses a vote button on a channel post and a « Répondre » on the animation post, after other replies", async () => {
    const { printed } = await runConsole([
      ...channels,
      poll,
      "/as Lucie",
      ...askQuestion,
      "/question mes-questions", // another reply in between: the earlier buttons stay pressable
      "!2", // « 2. Jeudi » on the poll posted in #annonces
      "/as #1",
      "!4", // « Répondre » on the question posted in #animation
      "Une salle à la MJC.",
      "/as Lucie",
      "/question mes-questions",
    ]);
    expect(printed).toContain("  [1] 1. Mardi\n  [2] 2. Jeudi\n  [3] Mon vote");
    expect(printed).toContain("  [4] Répondre\n  [5] Clore");
    expect(printed).toContain("Vote enregistré : 2. Jeudi.");
    expect(printed).toContain("Formulaire « Réponse à la question n° 1 »");
    expect(printed).toContain("Réponse envoyée en privé pour la question n° 1.");
    expect(printed).toContain("> Une salle à la MJC.");
  });

  it("names the valid range when a number was never shown", async () => {
    const { printed } = await runConsole([...channels, poll, "!9"]);
    expect(printed).toContain("Choix inconnu : tapez un numéro entre 1 et 3.");
  });
});

describe("ConsoleButtons", () => {
  it("gives a button shown again (an edited card, a redrawn page) the number it already had, with its new label", () => {
    const buttons = new ConsoleButtons();
    expect(buttons.number({ customId: "sondage:vote:1:0", values: [], label: "Mardi", channelId: "annonces" })).toBe(1);
    expect(buttons.number({ customId: "sondage:vote:1:1", values: [], label: "Jeudi", channelId: "annonces" })).toBe(2);
    expect(buttons.number({ customId: "sondage:vote:1:0", values: [], label: "Mardi (1)", channelId: "annonces" })).toBe(1);
    expect(buttons.number({ customId: "sondage:vote:1:0", values: [], label: "Mardi", channelId: "dm" })).toBe(3);
    expect(buttons.get(1)?.label).toBe("Mardi (1)");
    expect(buttons.get(4)).toBeUndefined();
    expect(buttons.get(0)).toBeUndefined();
  });
});

describe("console forms", () => {
  it("are cancelled with !annuler, and nothing is saved", async () => {
    const { printed } = await runConsole(["/as Lucie", "/question poser", "Local", "!annuler", "/question mes-questions"]);
    expect(printed).toContain("Formulaire « Une question à l'animateur » abandonné : rien n'a été enregistré.");
    expect(printed).toContain("Vous n'avez posé aucune question.");
  });

  it("never take a line starting with / as an answer: the form is abandoned and the command runs", async () => {
    const { printed } = await runConsole(["/as Lucie", "/question poser", "Local", "/question mes-questions"]);
    expect(printed).toContain("abandonné : rien n'a été enregistré.");
    expect(printed).toContain("Vous n'avez posé aucune question.");
    expect(printed).not.toContain("Votre question n° 1 est transmise");
  });
});

describe("/question from the console, without the channel buttons", () => {
  it("answers with or without text, closes, and lets the asker follow up; a Promeneur can do neither for staff", async () => {
    const { printed } = await runConsole([
      ...channels,
      "/as Lucie",
      ...askQuestion,
      "/question repondre id:1 texte:\"Je réponds\"", // Lucie is not staff
      "/question clore id:1",
      "/as #1",
      '/question repondre id:1 texte:"Une salle à la MJC."',
      "/question relancer id:1 texte:\"Je relance\"", // the animator is not the asker
      "/as Lucie",
      "/question relancer id:1",
      "Et le samedi, est-ce ouvert ?",
      "/as #1",
      "/question liste",
      "/question repondre id:1",
      "Oui, le samedi aussi.",
      "/question clore id:1",
      "/question clore id:1",
      "/as Lucie",
      "/question voir id:1",
    ]);
    expect(printed).toContain("Cette action est réservée aux rôles suivants : Animateur du réseau, Administrateur.");
    expect(printed).not.toContain("Je réponds");
    expect(printed).toContain("Réponse envoyée en privé pour la question n° 1.");
    expect(printed).toContain("Pour compléter ou relancer : /question relancer id:1");
    expect(printed).toContain("Seule la personne qui a posé la question n° 1 peut la relancer. Pour lui répondre : /question repondre id:1");
    expect(printed).toContain("Formulaire « Relance de la question n° 1 »");
    expect(printed).toContain("== Relance de la question n° 1 — Local ==\nEt le samedi, est-ce ouvert ?");
    expect(printed).toContain("Votre relance de la question n° 1 est transmise");
    expect(printed).toContain("n° 1 Local — Pratique en ligne — relancée, en attente de réponse");
    expect(printed).toContain("Formulaire « Réponse à la question n° 1 »");
    expect(printed).toContain("Question n° 1 close.");
    expect(printed).toContain("La question n° 1 était déjà close.");
    expect(printed).toMatch(/\(relance\) : Et le samedi, est-ce ouvert \?\n- .* : Oui, le samedi aussi\./);
    expect(printed).toContain("État : close");
  });
});
