import { describe, expect, it } from "vitest";
import { frenchStyleProblems } from "./french-style.js";

describe("the French style check of the end-to-end suites", () => {
  it("catches each family reported in issue 11", () => {
    const reported = [
      "Annonce retirée : 1 message(s) affichent « annonce retirée ».",
      "Réglementation — close (posée il y a 0 h)",
      "a terminé son parcours d'accueil en 0 jour",
      '• type : option invalide : une valeur parmi "departementale"|"formation" attendue. Forme attendue : …',
      "Entrée invalide : nombre attendu, chaîne de caractères reçu",
      "Invalid input: expected string",
      "comme Promeneur du Net  !",
      "Bienvenue à {prenom}",
      "Bienvenue à undefined",
      "Places : NaN/3",
      "Publication impossible (Discord : Missing Access)",
      "Vous êtes invité(e) à cette rencontre",
      "Léa est déjà inactif(ve).",
    ];
    for (const text of reported) expect(frenchStyleProblems(text), text).not.toEqual([]);
  });

  it("lets well-written French through", () => {
    const fine = [
      "1 message, 3 messages ; posée il y a moins d'une heure ; dimanche 1er mars 2026 à 09:00",
      "• **public** : « sport » ne fait pas partie des choix. Forme attendue : tous, equipe ou promeneurs.",
      "  - une ligne en retrait\n    et sa suite",
      "10 h de présence, 20 jours",
      "Une invitation à cette rencontre (e-mail, site) : serez-vous là ?",
    ];
    for (const text of fine) expect(frenchStyleProblems(text), text).toEqual([]);
  });
});
