/** Articles shared by members: one link is one item, titles read from the page within bounds. */
import { describe, expect, it } from "vitest";
import { fixture } from "../../helpers/feed-server.js";
import { feedServerForFile, rejection, watchOnFreshStore } from "./helpers.js";

const { serve, server } = feedServerForFile();

describe("articles shared by members", () => {
  it("are credited to the member, and a link already there is refused whoever brought it", async () => {
    const { watch, db, admin, source } = await watchOnFreshStore();
    await watch.shares.share({ url: "https://www.jeprotegemonenfant.example/ecrans?utm_source=fb", title: "Écrans : le guide", comment: "Utile pour les ateliers parents" }, admin.id);
    expect(await db.watchItem.findFirst()).toMatchObject({ sharedById: admin.id, link: "https://www.jeprotegemonenfant.example/ecrans", category: "autre", comment: "Utile pour les ateliers parents" });
    const again = await rejection(watch.shares.share({ url: "http://jeprotegemonenfant.example/ecrans/" }, admin.id));
    expect(again.message).toContain("Cet article est déjà dans la veille : « Écrans : le guide » (partagé par");
    await source("Source A", serve("dup-a.rss", { body: fixture("dup-a.rss") }));
    await watch.collector.collectDue();
    const dup = await rejection(watch.shares.share({ url: "https://education.example/harcelement/plan-2026" }, admin.id));
    expect(dup.message).toContain("(source « Source A »). Il est déjà prévu dans le prochain récapitulatif.");
    expect(await db.watchItem.count()).toBe(3);
  });

  it("get the page's title when none is given", async () => {
    const { watch, db, admin } = await watchOnFreshStore({ tuning: { pageTitles: true, allowPrivateHosts: true } });
    const page = serve("article", {
      body: '<html><head><meta property="og:title" content="Sextorsion : que faire ?"><title>Autre</title></head></html>',
      contentType: "text/html; charset=utf-8",
    });
    await watch.shares.share({ url: page }, admin.id);
    const missing = serve("absent", { status: 404 });
    await watch.shares.share({ url: missing }, admin.id);
    expect((await db.watchItem.findMany({ orderBy: { id: "asc" } })).map((i) => i.title)).toEqual(["Sextorsion : que faire ?", `127.0.0.1${new URL(missing).pathname}`]);
  });

  it("never make the bot read a page of its own machine or network for a title, even through a redirection", async () => {
    const { watch, tuned, db, admin } = await watchOnFreshStore({ tuning: { pageTitles: true, allowPrivateHosts: false } });
    const local = serve("admin", { body: "<title>Console d'administration</title>", contentType: "text/html" });
    await watch.shares.share({ url: local }, admin.id);
    expect(server().hits(new URL(local).pathname)).toBe(0);
    expect((await db.watchItem.findFirst())!.title).toBe(`127.0.0.1${new URL(local).pathname}`);

    // A redirection is followed hop by hop; with private hosts allowed (WATCH_ALLOW_PRIVATE_HOSTS=1),
    // the same kind of page is read, so the refusal above was the address check.
    const open = tuned({ pageTitles: true, allowPrivateHosts: true });
    const target = serve("cible", { body: "<title>Arrivée</title>", contentType: "text/html" });
    const hop = serve("saut", { status: 302, headers: { location: target } });
    await open.shares.share({ url: hop }, admin.id);
    expect((await db.watchItem.findFirst({ orderBy: { id: "desc" } }))!.title).toBe("Arrivée");
  });
});
