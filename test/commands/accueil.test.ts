/** The animator's side of /accueil, through the console (the real bot, no platform). */
import { describe, expect, it } from "vitest";
import { runConsole } from "../helpers/bot.js";

describe("/accueil for the animator", () => {
  it("changes the settings, refusing bad values field by field in French", async () => {
    const { printed } = await runConsole([
      "/accueil reglages",
      "/accueil reglages rappels:7,3 alerte:200",
      "/accueil reglages alerte:5",
      "/accueil reglages auto:non rappels:2,5 alerte:10",
    ]);
    expect(printed).toContain("Réglages de l'accueil : démarrage automatique oui, relances à 3 et 7 j, alerte à 14 j.");
    expect(printed).toContain("rappels : des délais croissants, par exemple 3,7.");
    expect(printed).toContain("alerte : 90 jours au plus.");
    expect(printed).toContain("L'alerte à l'animateur (5 j) doit venir après la dernière relance (7 j). Rien n'a été modifié.");
    expect(printed).toContain("C'est noté : démarrage automatique non, relances à 2 et 5 j, alerte à 10 j.");
  });

  it("starts a journey for a member, follows it, nudges and ends it by hand", async () => {
    const { printed } = await runConsole([
      "/membre ajouter prenom:Inès nom:Roy structure:\"MJC d'Épinal\"",
      "/accueil ajouter membre:Inès",
      "/accueil ajouter membre:Inès",
      "/accueil suivi",
      "/accueil relancer membre:Inès",
      "/accueil terminer membre:Inès motif:\"accueillie en rendez-vous\"",
      "/accueil suivi",
    ]);
    expect(printed).toContain("Parcours d'accueil lancé pour Inès Roy (#2). Il ou elle est « en cours d'accueil »");
    expect(printed).toContain("Inès Roy n'a encore aucun compte Discord ou Slack lié");
    expect(printed).toContain("Inès Roy est déjà en cours d'accueil depuis le 2 mars 2026 (étape 1/6 — Bienvenue");
    expect(printed).toContain("Inès Roy (#2) — étape 1/6 — Bienvenue dans le réseau des Promeneurs du Net des Vosges — commencé aujourd'hui, avancé aujourd'hui");
    expect(printed).toContain("La relance n'a pas pu être remise à Inès Roy (aucun compte Discord ou Slack lié).");
    expect(printed).toContain("Parcours d'accueil terminé pour Inès Roy : membre actif");
    expect(printed).toContain("Inès Roy (#2) — terminé le 2 mars 2026 en moins d'un jour — terminé par l'animateur : accueillie en rendez-vous");
  });

  it("lets a newcomer start and follow their own journey from the console", async () => {
    // Buttons are numbered for the whole session: « Lire la charte complète » is the second one shown.
    const { printed } = await runConsole(["/as Noé", "/accueil parcours", "!1", "!2"]);
    expect(printed).toContain("Étape 1/6 — Bienvenue dans le réseau des Promeneurs du Net des Vosges");
    expect(printed).toContain("✅ C'est parti !");
    expect(printed).toContain("Charte des Promeneurs du Net 88 — page 1/");
  });
});
