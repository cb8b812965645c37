import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { crashingCommand, runConsole } from "../helpers/bot.js";
import { openStore } from "../../src/store/index.js";

describe("the console adapter", () => {
  it("acts as a local animator by default and prints the help for that role", async () => {
    const { printed } = await runConsole(["/aide"]);
    expect(printed).toContain("Vous êtes Animateur console");
    expect(printed).toContain("/membre ajouter prenom:…");
    expect(printed).toContain("/config canal usage:… canal:…");
  });

  it("acts as the first BOT_ADMINS when one is configured", async () => {
    const { printed } = await runConsole(["/profil voir"], { env: { BOT_ADMINS: "discord:123456789012345678,slack:U0ADMIN000" } });
    expect(printed).toContain("Vous êtes Administrateur (discord)");
    expect(printed).toContain("Rôle : Administrateur");
  });

  it("registers an unknown person on first contact and shows only their commands", async () => {
    const { printed } = await runConsole(["/as Lucie Martin", "/aide", "/profil voir"]);
    const help = printed.slice(printed.indexOf("Bonjour Lucie"));
    expect(help).toContain("/annuaire");
    expect(help).not.toContain("/membre");
    expect(printed).toContain("Statut : en cours d'accueil");
    expect(printed).toContain("Rôle : Promeneur du Net");
  });

  it("refuses a Promeneur the animator's commands, naming the role needed, and writes nothing", async () => {
    const { printed } = await runConsole(["/as Lucie", "/aide", "/config canal usage:annonces canal:general", "/as #1", "/config voir"]);
    expect(printed).toContain("Cette action est réservée aux rôles suivants : Animateur du réseau, Administrateur.");
    expect(printed).toContain("annonces — Annonces du réseau : non défini");
  });

  it("records an action done under /as with the real actor in the audit log", async () => {
    const { printed, config } = await runConsole([
      "/membre ajouter prenom:Nora structure:\"MJC Golbey\" commune:Golbey type:jeunesse",
      "/as Nora",
      "/profil modifier commune:Épinal",
    ]);
    expect(printed).toContain("Vous êtes maintenant Nora");
    const store = await openStore(config.DATABASE_URL);
    try {
      const entries = await store.prisma.auditLog.findMany({ orderBy: { id: "asc" } });
      const own = entries.find((e) => e.action === "profile.update")!;
      expect(JSON.parse(own.details)).toMatchObject({ commune: { après: "Épinal" }, acteurRéel: "console, en tant que Nora" });
      // What the console's own identity did is its own: no « en tant que ».
      expect(entries.find((e) => e.action === "member.create")!.details).not.toContain("acteurRéel");
    } finally {
      await store.close();
    }
  });

  it("explains a bad option in French and changes nothing", async () => {
    const { printed } = await runConsole([
      "/profil modifier commune:Épinal",
      "/profil modifier photo:http://exemple.fr/a.png commune:88000",
      "/profil voir",
    ]);
    expect(printed).toContain("• photo : une adresse d'image en https://. Forme attendue : une adresse https:// d'image.");
    expect(printed).toContain("une adresse d'image en https://");
    expect(printed).toContain("• commune : lettres, espaces, apostrophes et tirets seulement");
    expect(printed).toContain("Rien n'a été modifié.");
    expect(printed.match(/Commune : Épinal/g)?.length).toBe(2);
  });

  it("answers a crash with a reference and keeps serving", async () => {
    const { printed, logLines } = await runConsole(["/panne", "/aide"], { commands: [...commands, crashingCommand] });
    const ref = /réf\. ([A-Z2-9]{6})/.exec(printed)?.[1];
    expect(ref).toBeDefined();
    expect(printed).toContain("Bonjour Animateur");
    const logged = logLines().map((l) => JSON.parse(l)).find((l) => l.ref === ref);
    expect(logged?.err?.message).toBe("disque plein (panne simulée)");
    expect(logged?.err?.stack).toContain("console.test.ts".replace("console.test.ts", "helpers/bot.ts"));
  });

  it("pages through the directory with numbered choices", async () => {
    const lines = ["/membre ajouter prenom:Zoé structure:\"MJC Épinal\" commune:Épinal type:jeunesse"];
    for (let i = 1; i <= 6; i++) lines.push(`/membre ajouter prenom:Promeneur nom:Num${String.fromCharCode(64 + i)} commune:Remiremont type:parentalite`);
    lines.push("/annuaire");
    const { printed: none } = await runConsole(lines);
    expect(none).toContain("Aucun Promeneur du Net trouvé dans l'annuaire.");

    const withConsent = [...lines.slice(0, -1)];
    for (let id = 2; id <= 8; id++) withConsent.push(`/as #${id}`, "/profil consentement annuaire:oui");
    withConsent.push("/annuaire", "!1", "!1", "/annuaire commune:epinal", "/annuaire type:Parentalité recherche:numf");
    const { printed } = await runConsole(withConsent);
    expect(printed).toContain("7 Promeneurs du Net — page 1/2");
    expect(printed).toContain("[1] Suivant ▶");
    expect(printed).toContain("7 Promeneurs du Net — page 2/2");
    expect(printed).toContain("1 Promeneur du Net pour commune epinal — page 1/1");
    expect(printed).toContain("Zoé");
    expect(printed).toContain("1 Promeneur du Net pour « numf », Parentalité — page 1/1");
  });

  it("fills a form line by line when a command opens one", async () => {
    const { printed } = await runConsole(["/as Lucie", "/profil modifier", "", "Maison des jeunes de Golbey", "Golbey", "instagram, Snapchat,instagram", "", "/profil modifier", "L1", "", "", "", "x"]);
    expect(printed).toContain("Formulaire « Mon profil de Promeneur du Net »");
    expect(printed).toContain("Prénom (obligatoire) [Lucie] :");
    expect(printed).toContain("Votre profil est à jour.");
    expect(printed).toContain("Structure : Maison des jeunes de Golbey");
    expect(printed).toContain("Réseaux : instagram, Snapchat");
    expect(printed).toContain("Structure (obligatoire)".replace(" (obligatoire)", "") + " [Maison des jeunes de Golbey] :");
    expect(printed).toContain("Ces valeurs ne conviennent pas :");
    expect(printed).toContain("• Prénom : lettres, espaces, apostrophes et tirets seulement");
    expect(printed).toContain("• Comment les jeunes ou parents vous joignent : 3 caractères au moins");
  });

  it("says what it did not understand", async () => {
    const { printed } = await runConsole(["bonjour", "/inconnue", "/config", "/config supprimer", "!3", '/annuaire structure:"MJC'], {});
    expect(printed).toContain("Tapez une commande commençant par /");
    expect(printed).toContain("La commande /inconnue n'existe pas");
    expect(printed).toContain("Précisez une sous-commande de /config.");
    expect(printed).toContain("La sous-commande « supprimer » n'existe pas pour /config.");
    expect(printed).toContain("Aucun choix en attente.");
    expect(printed).toContain("Guillemet non fermé");
  });
});

describe("the console adapter across restarts", () => {
  it("gives posted messages ids that never repeat, so publishing after a restart works and is recorded", async () => {
    const setup = ["/config canal usage:annonces canal:annonces", "/config canal usage:sondages canal:sondages"];
    const publish = ['/annonce publier texte:"Réunion jeudi"', '/sondage creer question:"Quel jour ?" options:"Mardi ; Jeudi" cloture:"vendredi 18h"'];
    const first = await runConsole([...setup, ...publish]);
    expect(first.printed).toContain("Annonce n°1 publiée");
    const second = await runConsole(publish, { config: first.config });
    expect(second.printed).not.toContain("Une erreur est survenue");
    expect(second.printed).toContain("Annonce n°2 publiée (la console)");
    expect(second.printed).toContain("Sondage n°2 publié (la console)");
    const ids = [...first.printed.matchAll(/\(message ([^)]+)\)/g), ...second.printed.matchAll(/\(message ([^)]+)\)/g)].map((m) => m[1]);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
  });
});

describe("/activite through the console's option syntax", () => {
  it("keeps what a correction leaves out, clears what it gives empty, and only suggests commands that work", async () => {
    const { printed } = await runConsole(
      [
        '/activite declarer heures:10 jeunes:30 parents:4 plateformes:Instagram actions:"Atelier au collège"',
        "/activite declarer heures:12 themes:sante",
        "/activite voir",
        '/activite declarer heures:12 actions:""',
        "/activite voir",
        "/activite voir mois:2026-02",
        "/activite declarer mois:2026-03 heures:3",
      ],
      { at: "2026-03-20T10:00:00Z" }, // the 20th: February is closed, March is open
    );
    const views = printed.split("Bilan d'activité — mars 2026").slice(1);
    expect(views[2]).toContain("Atelier au collège"); // the correction with heures and themes only
    expect(views[2]).toContain("30");
    expect(views[2]).toContain("Instagram");
    expect(views[4]).not.toContain("Atelier au collège"); // actions:"" cleared it
    expect(views[4]).toContain("Instagram");
    expect(printed).toContain("Aucun bilan pour février 2026, qui n'est plus modifiable (jusqu'au 10 du mois suivant). Le mois ouvert : /activite declarer mois:2026-03 heures:….");
    expect(printed.match(/Votre bilan est corrigé/g)).toHaveLength(3);
  });
});
