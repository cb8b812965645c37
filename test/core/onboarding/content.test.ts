import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHARTER_PAGE_CHARS, CONTENT_DIR, fill, loadContent, OnboardingContentError, paginate } from "../../../src/core/onboarding/content.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "promeneurs-onboarding-content-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** A copy of the shipped files with the steps file changed by `edit`. */
function contentDirWith(edit: (yaml: string) => string): string {
  const dir = path.join(tmp, `content-${++n}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "steps.fr.yaml"), edit(readFileSync(path.join(CONTENT_DIR, "steps.fr.yaml"), "utf8")));
  copyFileSync(path.join(CONTENT_DIR, "charte.md"), path.join(dir, "charte.md"));
  return dir;
}


describe("the journey's texts", () => {
  it("ships six steps in order, and the charter's full text in pages that each fit a message", () => {
    const content = loadContent(CONTENT_DIR);
    expect(content.etapes.map((s) => s.type)).toEqual(["accueil", "charte", "profil", "liste", "presentation", "rencontre"]);
    expect(content.charterPages.every((p) => p.length <= CHARTER_PAGE_CHARS)).toBe(true);
    const charter = content.charterPages.join("\n\n");
    for (const heading of ["Préambule", "Article 1.", "Article 3. Les missions", "Engagements du Promeneur du Net", "Article 6. Les valeurs"]) expect(charter).toContain(heading);
    // Article 3's profile list is what the checklist step asks to tick.
    expect(charter).toContain("le logo ou le bandeau Promeneurs du Net");
    const checklist = content.etapes.find((s) => s.type === "liste");
    expect(checklist?.type === "liste" && checklist.elements.map((e) => e.cle)).toEqual(["prenom_structure", "photo", "logo", "contact", "annuaire"]);
  });

  it("refuses a steps file with mistakes, naming each bad value in French", () => {
    const dir = contentDirWith((yaml) =>
      yaml
        .replace("bouton: C'est parti", `bouton: ${"x".repeat(80)}`)
        .replace("Bonjour {prenom}, et bienvenue", "Bonjour {prénom}, et bienvenue")
        .replace("  - type: rencontre", "  - type: reunion"),
    );
    let error: unknown;
    try {
      loadContent(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OnboardingContentError);
    const message = (error as Error).message;
    expect(message).toContain("steps.fr.yaml : ces valeurs ne conviennent pas");
    expect(message).toContain("etapes.0.bouton : 75 caractères au plus");
    expect(message).toContain("etapes.0.texte : variable inconnue {prénom}");
    expect(message).toContain("etapes.5.type : type d'étape inconnu");
  });

  it("keeps the steps in a workable order", () => {
    const dir = contentDirWith((yaml) => {
      const meeting = yaml.slice(yaml.indexOf("  - type: rencontre"), yaml.indexOf("\nfin:"));
      return yaml.replace(meeting, "").replace("  - type: accueil", `${meeting.trimEnd()}\n\n  - type: accueil`);
    });
    expect(() => loadContent(dir)).toThrow("« rencontre » doit être la dernière étape");
  });

  it("cuts a long text at paragraph boundaries", () => {
    const pages = paginate(["a".repeat(40), "b".repeat(40), "c".repeat(40)].join("\n\n"), 90);
    expect(pages).toEqual([`${"a".repeat(40)}\n\n${"b".repeat(40)}`, "c".repeat(40)]);
    expect(paginate("mot ".repeat(50).trim(), 60).every((p) => p.length <= 60)).toBe(true);
  });

  it("fills the values it has and drops the others, never leaving a stand-in or a {name}", () => {
    expect(fill("Bonjour {prenom} de {structure} {inconnu}", { prenom: "Inès", structure: "MJC" })).toBe("Bonjour Inès de MJC");
  });

  it("drops an optional part whose value is missing, and tidies the brackets, commas and spaces left", () => {
    const salon = "Bienvenue à **{prenom}** ({structure}, {commune}), qui rejoint les Promeneurs du Net[[ {type}]] des Vosges !";
    expect(fill(salon, { prenom: "Court", structure: "", commune: "", type: "" })).toBe("Bienvenue à **Court**, qui rejoint les Promeneurs du Net des Vosges !");
    expect(fill(salon, { prenom: "Inès", structure: "", commune: "Épinal", type: "Jeunesse" })).toBe("Bienvenue à **Inès** (Épinal), qui rejoint les Promeneurs du Net Jeunesse des Vosges !");
    expect(fill(salon, { prenom: "Inès", structure: "MJC", commune: "  ", type: "" })).toBe("Bienvenue à **Inès** (MJC), qui rejoint les Promeneurs du Net des Vosges !");
    expect(fill("Je suis {prenom}[[ à {structure}]]. [[Pour me joindre : {contact}. ]]Merci !", { prenom: "Inès" })).toBe("Je suis Inès. Merci !");
  });

  it("never repairs what a member typed, and keeps the text's lists and paragraphs", () => {
    expect(fill("- {structure}\n\n  1. {commune} ,", { structure: "MJC  ( , )", commune: "Épinal" })).toBe("- MJC  ( , )\n\n  1. Épinal,");
  });

  it("refuses an optional part left open", () => {
    const dir = contentDirWith((t) => t.replace("[[ {type}]]", "[[ {type}"));
    expect(() => loadContent(dir)).toThrow("partie facultative mal formée");
  });
});
