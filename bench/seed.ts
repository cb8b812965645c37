import type { Services } from "../src/core/services.js";

const COMMUNES = ["Épinal", "Saint-Dié-des-Vosges", "Remiremont", "Gérardmer", "Neufchâteau", "Vittel", "Golbey", "Thaon-les-Vosges", "Rambervillers", "Mirecourt"];

/** A network of the size the call for tenders describes (~35 Promeneurs), all in the directory. */
export async function seedNetwork(services: Services, size = 35): Promise<void> {
  for (let i = 0; i < size; i++) {
    const m = await services.members.create(
      {
        firstName: `Promeneur${i}`,
        lastName: `Nom${i}`,
        structure: `Structure ${i % 12}`,
        commune: COMMUNES[i % COMMUNES.length]!,
        kind: i % 3 === 0 ? "PARENTALITE" : "JEUNESSE",
        networks: "Instagram, Snapchat",
        contact: "Instagram, du lundi au vendredi",
      },
      null,
    );
    await services.members.update(m.id, { directoryConsent: true }, m.id);
  }
}
