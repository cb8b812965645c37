import { describe, expect, it } from "vitest";

import { QuestionService } from "../../../src/core/questions/service.js";
import { coreOnFreshStore } from "../../helpers/store.js";

async function world() {
  const { store, services, clock } = await coreOnFreshStore();
  const mk = (firstName: string, role: "PROMENEUR" | "ANIMATEUR" | "REFERENT_CAF" | "ADMIN" = "PROMENEUR") =>
    services.members.create({ firstName, role }, null);
  const [alice, bruno, anim, caf] = [await mk("Alice"), await mk("Bruno"), await mk("Anim", "ANIMATEUR"), await mk("Caf", "REFERENT_CAF")];
  return { q: new QuestionService(store.prisma, clock), clock, alice, bruno, anim, caf, db: store.prisma };
}

const ask = { subject: "Compte Instagram pro", body: "Faut-il un compte séparé pour la structure ?", category: "outils" };

describe("questions to the animator", () => {
  it("lets only the asker, the animator and admins see a question; anyone else gets « introuvable »", async () => {
    const { q, alice, bruno, anim, caf } = await world();
    const asked = await q.ask(alice, ask);
    expect((await q.get(alice, asked.id)).subject).toBe("Compte Instagram pro");
    expect((await q.get(anim, asked.id)).body).toContain("compte séparé");
    await expect(q.get(bruno, asked.id)).rejects.toThrow(`Question n° ${asked.id} introuvable.`);
    await expect(q.get(caf, asked.id)).rejects.toThrow("introuvable");
    // The same words as for an id that does not exist: nothing leaks.
    await expect(q.get(bruno, 999)).rejects.toThrow("Question n° 999 introuvable.");
    await expect(q.answer(bruno, asked.id, "moi je sais")).rejects.toThrow("introuvable");
    expect(await q.mine(bruno)).toEqual([]);
    await expect(q.list(bruno)).rejects.toThrow("Seul l'animateur");
  });

  it("records the response time at the first answer only", async () => {
    const { q, clock, alice, anim } = await world();
    const asked = await q.ask(alice, ask);
    clock.advance(5 * 3600_000);
    await q.answer(anim, asked.id, "Oui, un compte dédié à la structure.");
    clock.advance(3600_000);
    const again = await q.answer(anim, asked.id, "Et pensez à la charte.");
    expect(again.firstAnsweredAt!.getTime() - again.askedAt.getTime()).toBe(5 * 3600_000);
    expect(again.answers.map((a) => a.body)).toEqual(["Oui, un compte dédié à la structure.", "Et pensez à la charte."]);
  });

  it("refuses a bad question field by field in French and writes nothing", async () => {
    const { q, alice, db } = await world();
    await expect(q.ask(alice, { subject: "a", body: "court", category: "météo" })).rejects.toThrow(
      /Sujet\*\* : au moins 3 caractères[\s\S]*Question\*\* : au moins 10 caractères[\s\S]*Catégorie\*\* : « météo » n'est pas une catégorie\. Forme attendue : l'une des catégories « Pratique en ligne », « Réglementation »/,
    );
    expect(await db.question.count()).toBe(0);
  });

  it("lists open questions first, the oldest first, then the closed ones", async () => {
    const { q, clock, alice, bruno, anim } = await world();
    const first = await q.ask(alice, ask);
    clock.advance(60_000);
    const second = await q.ask(bruno, { ...ask, subject: "RGPD et photos", category: "Réglementation" });
    clock.advance(60_000);
    const third = await q.ask(bruno, { ...ask, subject: "Troisième" });
    expect(second.category).toBe("reglementation");
    await q.close(anim, first.id);
    expect((await q.list(anim)).map((x) => x.id)).toEqual([second.id, third.id, first.id]);
    expect((await q.close(anim, first.id)).changed).toBe(false);
  });
});
