/** /membre through the real console wiring: the role rule, account ids, homonyms, links. */
import { describe, expect, it } from "vitest";
import { runConsole } from "../helpers/bot.js";

const ADMIN = { BOT_ADMINS: "console:root" };

describe("/membre", () => {
  it("refuses the animator who demotes themselves, and keeps their role", async () => {
    const { printed } = await runConsole(["/membre role membre:#1 role:promeneur", "/profil voir"]);
    expect(printed).toContain("Refusé : personne ne peut changer son propre rôle ni son propre statut.");
    expect(printed).toContain("Rôle : Animateur du réseau");
  });

  it("warns about a homonym and creates a second record only with doublon:oui", async () => {
    const { printed } = await runConsole([
      "/membre ajouter prenom:Léa nom:Dupré structure:MJC",
      "/membre ajouter prenom:lea nom:dupre",
      "/membre ajouter prenom:Léa nom:Dupré doublon:oui",
    ]);
    expect(printed).toContain("Un membre porte déjà ce nom : Léa Dupré (#2, MJC). Rien n'a été créé.");
    expect(printed).toContain('/membre ajouter prenom:"lea" nom:"dupre" doublon:oui.');
    expect(printed).toContain("Léa Dupré fait maintenant partie du réseau, sous le numéro #3.");
  });

  it("refuses an impossible account id with the accepted forms", async () => {
    const { printed } = await runConsole(["/membre ajouter prenom:Paul", "/membre lier membre:#2 compte:discord:123", "/membre voir membre:#2"]);
    expect(printed).toContain("« discord:123 » n'est pas un compte Discord valable. Forme attendue : une mention (@personne), « discord:<identifiant de 17 à 20 chiffres> »");
    expect(printed).not.toContain("discord 123");
  });

  it("proposes, when the account is someone else's, a delier command that works", async () => {
    const { printed } = await runConsole(
      [
        "/membre ajouter prenom:Anna email:anna@x.fr",
        "/membre ajouter prenom:Bea email:bea@x.fr",
        "/membre lier membre:#2 compte:discord:555000000000000000",
        "/membre lier membre:#3 compte:discord:555000000000000000",
        "/membre delier membre:#2 compte:discord:555000000000000000",
        "/membre lier membre:#3 compte:discord:555000000000000000",
      ],
      { env: ADMIN },
    );
    expect(printed).toContain("Déliez-le d'abord avec /membre delier membre:#2 compte:discord:555000000000000000, puis relancez /membre lier membre:#3 compte:discord:555000000000000000.");
    expect(printed).toContain("Le compte discord 555000000000000000 n'est plus lié à Anna (#2).");
    expect(printed).toContain("Le compte discord 555000000000000000 est lié à Bea (#3).");
  });

  it("reserves /membre delier to administrators", async () => {
    const { printed } = await runConsole(["/membre delier membre:#1 compte:console:moi"]);
    expect(printed).toContain("Cette action est réservée aux rôles suivants : Administrateur.");
  });
});
