/** The followed feeds: added after one read, found by number or name, removed, the shipped list. */
import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/core/errors.js";
import { fixture } from "../../helpers/feed-server.js";
import { feedServerForFile, rejection, watchOnFreshStore } from "./helpers.js";

const { serve, server } = feedServerForFile();

describe("sources", () => {
  it("are read once when added, so a wrong address is refused at once with the reason", async () => {
    const { watch, db, admin } = await watchOnFreshStore();
    const page = serve("site", { body: fixture("page.html"), contentType: "text/html" });
    const error = await rejection(watch.sources.add({ url: page, name: "Service-Public", category: "reglementation" }, admin.id));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      `Impossible d'ajouter cette source : la page reçue est une page web (HTML), pas un flux RSS ou Atom ; la page annonce un flux : ${server().origin}/actualites/flux.rss. Rien n'a été ajouté.`,
    );
    expect(await db.watchSource.count()).toBe(0);

    const { source, report } = await watch.sources.add({ url: serve("cnil.rss", { body: fixture("cnil.rss") }), name: "CNIL", category: "donnees" }, admin.id);
    expect(report).toMatchObject({ entries: 3, collected: 2, old: 1 });
    expect(source).toMatchObject({ name: "CNIL", category: "donnees", origin: "animateur", addedById: admin.id });
    expect(await db.watchItem.findFirst()).toMatchObject({ category: "donnees" });
    expect(await db.auditLog.count({ where: { action: "watch.source.add" } })).toBe(1);
  });

  it("refuses a source followed already, and revives a removed one without collecting its old items again", async () => {
    const { watch, db, admin } = await watchOnFreshStore();
    const url = serve("cnil.rss", { body: fixture("cnil.rss") });
    const { source } = await watch.sources.add({ url, name: "CNIL", category: "donnees" }, admin.id);
    const same = url.replace("http://127.0.0.1", "http://127.0.0.1") + "?utm_source=x";
    expect((await rejection(watch.sources.add({ url: same, name: "CNIL bis", category: "donnees" }, admin.id))).message).toBe(`Cette source est déjà suivie : « CNIL » (#${source.id}).`);
    await watch.sources.remove("cnil", admin.id);
    expect(await watch.sources.list()).toEqual([]);
    const again = await watch.sources.add({ url, name: "CNIL", category: "donnees" }, admin.id);
    expect(again).toMatchObject({ revived: true, report: { collected: 0, fresh: 0 } });
    expect(await db.watchItem.count()).toBe(2);
  });

  it("are found by number or name, and an ambiguous name is refused with the choices", async () => {
    const { watch, admin } = await watchOnFreshStore();
    await watch.sources.seedDefaults([
      { name: "CNIL — actualités", url: "https://www.cnil.fr/fr/rss.xml", category: "donnees" },
      { name: "CNIL — sanctions", url: "https://www.cnil.fr/fr/sanctions.xml", category: "donnees" },
    ]);
    const [first] = await watch.sources.list();
    expect((await watch.sources.find(`#${first!.id}`)).id).toBe(first!.id);
    expect((await watch.sources.find("cnil — SANCTIONS")).name).toBe("CNIL — sanctions");
    expect((await rejection(watch.sources.find("cnil"))).message).toMatch(/^Plusieurs sources correspondent à « cnil » : « CNIL — actualités » \(#\d+\), « CNIL — sanctions » \(#\d+\)/);
    expect((await rejection(watch.sources.remove("#999", admin.id))).message).toContain("Aucune source suivie ne porte le numéro #999");
  });

  it("load the shipped list on the first start only, so a removed default stays removed", async () => {
    const { watch, admin } = await watchOnFreshStore();
    const list = [
      { name: "CNIL", url: "https://www.cnil.fr/fr/rss.xml", category: "donnees" },
      { name: "Invalide", url: "ftp://x.example/", category: "donnees" },
    ];
    expect(await watch.sources.seedDefaults(list)).toBe(1);
    await watch.sources.remove("CNIL", admin.id);
    expect(await watch.sources.seedDefaults(list)).toBe(0);
    expect(await watch.sources.list()).toEqual([]);
  });
});
