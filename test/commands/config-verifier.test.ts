/** /config verifier shows the installation check in chat, to the staff only. */
import { describe, expect, it } from "vitest";
import { runConsole } from "../helpers/bot.js";

describe("/config verifier", () => {
  it("lists each check and gives the fix for each problem", async () => {
    const { printed } = await runConsole(["/config verifier"], { env: { BACKUP_DIR: "/tmp/pdn-verifier-empty-folder" } });
    expect(printed).toContain("Vérification de l'installation");
    expect(printed).toMatch(/✅ Base de données/);
    expect(printed).toMatch(/❌ Dernière sauvegarde/);
    expect(printed).toContain("npm run sauvegarde");
    expect(printed).toMatch(/✅ Espace disque/);
  });

  it("is refused to a member who is not staff", async () => {
    const { printed } = await runConsole(["/as Lucie", "/config verifier"]);
    expect(printed).toContain("Cette action est réservée aux rôles suivants : Animateur du réseau, Administrateur.");
    expect(printed).not.toContain("Vérification de l'installation");
  });
});
