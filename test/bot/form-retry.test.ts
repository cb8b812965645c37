import { describe, expect, it } from "vitest";
import { FormRetry } from "../../src/bot/form-retry.js";
import { FieldsRefused } from "../../src/core/errors.js";
import type { PlatformUser } from "../../src/core/interaction.js";
import type { Modal } from "../../src/core/reply.js";

const alice: PlatformUser = { platform: "discord", id: "1", workspaceId: "", displayName: "Alice" };
const bruno: PlatformUser = { platform: "discord", id: "2", workspaceId: "", displayName: "Bruno" };
const FORM: Modal = {
  id: "opts:analyse:planifier",
  title: "/analyse planifier",
  fields: [
    { id: "creneaux", label: "creneaux — Créneaux séparés par « ; »", required: true },
    { id: "cloture", label: "cloture — Fin des réponses", required: true },
  ],
};

describe("the form refused and given back", () => {
  it("fills the form with what was typed and marks the fields named by the refusal (by id, label or label start)", () => {
    const forms = new FormRetry(() => 0);
    forms.remember(alice, { modal: FORM });
    const refusal = forms.refusal(alice, FORM.id, { creneaux: "mardi 9h ; mardi 9h", cloture: "hier" }, new FieldsRefused([{ field: "cloture", message: "date passée" }]));
    expect(refusal?.retryForm?.fields).toEqual([
      { id: "creneaux", label: FORM.fields[0]!.label, required: true, value: "mardi 9h ; mardi 9h" },
      { id: "cloture", label: FORM.fields[1]!.label, required: true, value: "hier", error: "Date passée." },
    ]);
    expect(refusal?.text).toContain("• **cloture** : date passée.");
    expect(refusal?.text).toMatch(/Ce que vous avez tapé est gardé : corrigez ce champ dans le formulaire\.\nRien n'a été enregistré\.$/);
  });

  it("gives the refused form back to its author only, and for an hour", () => {
    let now = 0;
    const forms = new FormRetry(() => now);
    forms.remember(alice, { modal: FORM });
    expect(forms.refusal(bruno, FORM.id, {}, new FieldsRefused([{ field: "cloture", message: "vide" }]))).toBeNull();
    const refusal = forms.refusal(alice, FORM.id, { cloture: "hier" }, new FieldsRefused([{ field: "cloture", message: "vide" }]))!;
    const token = (refusal.components![0] as { buttons: { id: string }[] }).buttons[0]!.id.split(":")[2]!;
    expect(forms.reopen(bruno, token).modal).toBeUndefined();
    expect(forms.reopen(alice, token).modal?.fields[1]).toMatchObject({ value: "hier", error: "Vide." });
    now = 3600_001;
    expect(forms.reopen(alice, token).text).toContain("Ce formulaire n'est plus disponible");
  });
});
