/** Collection and digests against a real SQLite file and a feed server on 127.0.0.1. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../../src/core/errors.js";
import { ALERT_AFTER_MS, backoffDelay, DEFAULT_DIGEST_CRON, RETRY_KIND } from "../../../src/core/watch/service.js";
import { endlessBody, fixture, stalled, startFeedServer, type FeedServer } from "../../helpers/feed-server.js";
import { minutes, watchOnFreshStore } from "./helpers.js";

let server: FeedServer;
let n = 0;
/** A fresh path per test, so routes set by one test never leak into another. */
const serve = (name: string, route: Parameters<FeedServer["route"]>[1]) => {
  const path = `/${++n}/${name}`;
  server.route(path, route);
  return server.url(path);
};

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(() => server.close());

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error("attendu : un refus");
    },
    (e: Error) => e,
  );
}

describe("collecting", () => {
  it("records a new source's whole feed on its first read but collects only the last 7 days", async () => {
    const { watch, db, source } = await watchOnFreshStore();
    await source("CNIL", serve("cnil.rss", { body: fixture("cnil.rss") }));
    const report = await watch.collectDue();
    expect(report).toMatchObject({ sources: 1, ok: 1, failed: 0, collected: 2 });
    const titles = (await db.watchItem.findMany({ orderBy: { publishedAt: "desc" } })).map((i) => i.title);
    expect(titles).toEqual(["Contrôle parental : la CNIL publie ses recommandations pour les éditeurs d'applications", "Majorité numérique : ce que change la loi pour les moins de 15 ans"]);
    expect(await db.watchSeen.count()).toBe(3);
  });

  it("collects an undated entry only once the source has been read before", async () => {
    const { watch, db, clock, source } = await watchOnFreshStore();
    const url = serve("rss091.xml", { body: fixture("rss091.xml") });
    await source("Point de contact", url);
    expect((await watch.collectDue()).collected).toBe(0);
    const more = fixture("rss091.xml").toString().replace("<item>", "<item><title>Nouvelle brève</title><link>https://www.pointdecontact.example/breves/nouvelle</link></item><item>");
    server.route(new URL(url).pathname, { body: more });
    clock.advance(minutes(60));
    expect((await watch.collectDue()).collected).toBe(1);
    expect(await db.watchItem.findFirst()).toMatchObject({ title: "Nouvelle brève", publishedAt: clock.now() });
  });

  it("keeps one item for one link across sources, whatever the scheme, www. or tracking parameters", async () => {
    const { watch, db, source } = await watchOnFreshStore();
    await source("Source A", serve("dup-a.rss", { body: fixture("dup-a.rss") }));
    await source("Source B", serve("dup-b.rss", { body: fixture("dup-b.rss") }));
    expect((await watch.collectDue()).collected).toBe(2);
    const items = await db.watchItem.findMany({ include: { source: true }, orderBy: { id: "asc" } });
    expect(items.map((i) => [i.source?.name, i.link])).toEqual([
      ["Source A", "http://www.education.example/harcelement/plan-2026"],
      ["Source A", "https://a.example/propre"],
    ]);
  });

  it("does not take an entry whose guid changed but whose link did not for a new one", async () => {
    const { watch, db, clock, source } = await watchOnFreshStore();
    const url = serve("guid.rss", { body: fixture("guid-1.rss") });
    await source("Instable", url);
    expect((await watch.collectDue()).collected).toBe(1);
    server.route(new URL(url).pathname, { body: fixture("guid-2.rss") });
    clock.advance(minutes(60));
    expect(await watch.collectDue()).toMatchObject({ ok: 1, collected: 0 });
    expect(await db.watchItem.count()).toBe(1);
    expect(await db.watchSeen.count()).toBe(2);
  });

  it("forgets, after 90 days, the ids of entries that left the feed, never those still in it", async () => {
    const { watch, db, clock, source } = await watchOnFreshStore();
    const url = serve("cnil.rss", { body: fixture("cnil.rss") });
    await source("CNIL", url);
    await watch.collectDue();
    clock.advance(91 * 24 * 60 * 60_000);
    // The oldest entry (the last one) leaves the feed as a new one arrives at the top.
    const original = fixture("cnil.rss").toString();
    const last = original.lastIndexOf("<item>");
    const shifted = (original.slice(0, last) + original.slice(original.indexOf("</item>", last) + "</item>".length)).replace(
      "<item>",
      "<item><title>Nouveau</title><link>https://www.cnil.fr/fr/nouveau</link><guid>neuf</guid></item><item>",
    );
    server.route(new URL(url).pathname, { body: shifted });
    expect(await watch.collectDue()).toMatchObject({ ok: 1, collected: 1 });
    // 3 entries in the feed now (2 old ones kept, the new one); the one gone 91 days ago forgotten.
    expect(await db.watchSeen.count()).toBe(3);
  });

  it("asks again with ETag / Last-Modified and does nothing on 304", async () => {
    const { watch, db, clock, source } = await watchOnFreshStore();
    const url = serve("etag.rss", { body: fixture("cnil.rss"), etag: '"abc"', lastModified: "Fri, 27 Feb 2026 09:30:00 GMT" });
    await source("CNIL", url);
    await watch.collectDue();
    clock.advance(minutes(60));
    expect(await watch.collectDue()).toMatchObject({ ok: 0, notModified: 1 });
    const last = server.requests.filter((r) => r.path === new URL(url).pathname).at(-1)!;
    expect(last.headers["if-none-match"]).toBe('"abc"');
    expect(last.headers["if-modified-since"]).toBe("Fri, 27 Feb 2026 09:30:00 GMT");
    expect(await db.watchSource.findFirst()).toMatchObject({ lastSuccessAt: clock.now(), failures: 0 });
  });

  it("goes on when sources fail, and retries each after 5, 10, 20 minutes…", async () => {
    const { watch, db, clock, source } = await watchOnFreshStore();
    watch.configure({ fetch: { timeoutMs: 600, maxBytes: 1024 * 1024 } });
    await source("HTTP 500", serve("err", { status: 500, body: "panne" }));
    await source("Page web", serve("page", { body: fixture("page.html"), contentType: "text/html" }));
    await source("Muet", serve("stalled", { handler: stalled() }));
    await source("Énorme", serve("huge", { handler: endlessBody(50 * 1024 * 1024) }));
    await source("CNIL", serve("ok.rss", { body: fixture("cnil.rss") }));
    expect(await watch.collectDue()).toMatchObject({ sources: 5, ok: 1, failed: 4, collected: 2 });
    const failing = await db.watchSource.findMany({ where: { failures: { gt: 0 } }, orderBy: { id: "asc" } });
    expect(failing.map((s) => s.lastError)).toEqual([
      "le serveur a répondu 500 (erreur du serveur)",
      expect.stringContaining("la page reçue est une page web (HTML), pas un flux RSS ou Atom ; la page annonce un flux"),
      "pas de réponse complète en 0,6 s (délai dépassé)",
      "réponse trop volumineuse (plus de 1 Mo)",
    ]);
    expect(failing.every((s) => s.nextFetchAt!.getTime() === clock.now().getTime() + minutes(5))).toBe(true);

    clock.advance(minutes(4));
    expect((await watch.collectDue()).sources).toBe(1); // only the healthy one
    clock.advance(minutes(1));
    expect(await watch.collectDue()).toMatchObject({ sources: 5, failed: 4 });
    const again = await db.watchSource.findFirstOrThrow({ where: { name: "HTTP 500" } });
    expect(again).toMatchObject({ failures: 2, nextFetchAt: new Date(clock.now().getTime() + minutes(10)) });
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(backoffDelay).map((ms) => ms / 60_000)).toEqual([5, 10, 20, 40, 80, 160, 320, 360]);
  });

  it("tells the animator once about a source that keeps failing, and once when it works again", async () => {
    const { watch, clock, notifier, source } = await watchOnFreshStore();
    const url = serve("flaky", { status: 503, body: "maintenance" });
    await source("Arcom", url);
    const started = clock.now().getTime();
    for (let i = 0; i < 12; i++) {
      await watch.collectDue();
      clock.advance(backoffDelay(i + 1));
    }
    const alerts = notifier.in("animation");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.title).toBe("Source de veille en échec");
    expect(alerts[0]!.text).toContain("La source « Arcom » (#");
    expect(alerts[0]!.text).toContain("le serveur a répondu 503 (service indisponible)");
    expect(alerts[0]!.text).toContain("/veille source-retirer source:#");
    expect(clock.now().getTime() - started).toBeGreaterThan(ALERT_AFTER_MS);

    server.route(new URL(url).pathname, { body: fixture("cnil.rss") });
    await watch.collectDue();
    clock.advance(minutes(60));
    await watch.collectDue();
    expect(notifier.in("animation").map((r) => r.text)).toEqual([alerts[0]!.text, expect.stringMatching(/^La source « Arcom » \(#\d+\) fonctionne de nouveau\.$/)]);
    expect(notifier.in("veille")).toEqual([]);
  });

  it("plans a one-off retry when a failing source is due before the next hourly run", async () => {
    const { watch, services, clock, source } = await watchOnFreshStore();
    await source("HTTP 500", serve("err", { status: 500 }));
    await watch.collectDue();
    const at = await watch.scheduleRetry(services.jobs);
    expect(at).toEqual(new Date(clock.now().getTime() + minutes(5)));
    expect(await services.jobs.list({ kind: RETRY_KIND })).toHaveLength(1);
  });

  it("reads nothing while no platform has a « veille » channel", async () => {
    const { watch, source } = await watchOnFreshStore({ channels: false });
    const url = serve("cnil.rss", { body: fixture("cnil.rss") });
    await source("CNIL", url);
    expect((await watch.collectDue()).skipped).toContain("aucun salon « veille »");
    expect(server.hits(new URL(url).pathname)).toBe(0);
  });
});

describe("sources", () => {
  it("are read once when added, so a wrong address is refused at once with the reason", async () => {
    const { watch, db, admin } = await watchOnFreshStore();
    const page = serve("site", { body: fixture("page.html"), contentType: "text/html" });
    const error = await rejection(watch.addSource({ url: page, name: "Service-Public", category: "reglementation" }, admin.id));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      `Impossible d'ajouter cette source : la page reçue est une page web (HTML), pas un flux RSS ou Atom ; la page annonce un flux : ${server.origin}/actualites/flux.rss. Rien n'a été ajouté.`,
    );
    expect(await db.watchSource.count()).toBe(0);

    const { source, report } = await watch.addSource({ url: serve("cnil.rss", { body: fixture("cnil.rss") }), name: "CNIL", category: "donnees" }, admin.id);
    expect(report).toMatchObject({ entries: 3, collected: 2, old: 1 });
    expect(source).toMatchObject({ name: "CNIL", category: "donnees", origin: "animateur", addedById: admin.id });
    expect(await db.watchItem.findFirst()).toMatchObject({ category: "donnees" });
    expect(await db.auditLog.count({ where: { action: "veille.source.ajout" } })).toBe(1);
  });

  it("refuses a source followed already, and revives a removed one without collecting its old items again", async () => {
    const { watch, db, admin } = await watchOnFreshStore();
    const url = serve("cnil.rss", { body: fixture("cnil.rss") });
    const { source } = await watch.addSource({ url, name: "CNIL", category: "donnees" }, admin.id);
    const same = url.replace("http://127.0.0.1", "http://127.0.0.1") + "?utm_source=x";
    expect((await rejection(watch.addSource({ url: same, name: "CNIL bis", category: "donnees" }, admin.id))).message).toBe(`Cette source est déjà suivie : « CNIL » (#${source.id}).`);
    await watch.removeSource("cnil", admin.id);
    expect(await watch.listSources()).toEqual([]);
    const again = await watch.addSource({ url, name: "CNIL", category: "donnees" }, admin.id);
    expect(again).toMatchObject({ revived: true, report: { collected: 0, fresh: 0 } });
    expect(await db.watchItem.count()).toBe(2);
  });

  it("are found by number or name, and an ambiguous name is refused with the choices", async () => {
    const { watch, admin } = await watchOnFreshStore();
    await watch.seedDefaults([
      { name: "CNIL — actualités", url: "https://www.cnil.fr/fr/rss.xml", category: "donnees" },
      { name: "CNIL — sanctions", url: "https://www.cnil.fr/fr/sanctions.xml", category: "donnees" },
    ]);
    const [first] = await watch.listSources();
    expect((await watch.findSource(`#${first!.id}`)).id).toBe(first!.id);
    expect((await watch.findSource("cnil — SANCTIONS")).name).toBe("CNIL — sanctions");
    expect((await rejection(watch.findSource("cnil"))).message).toMatch(/^Plusieurs sources correspondent à « cnil » : « CNIL — actualités » \(#\d+\), « CNIL — sanctions » \(#\d+\)/);
    expect((await rejection(watch.removeSource("#999", admin.id))).message).toContain("Aucune source suivie ne porte le numéro #999");
  });

  it("load the shipped list on the first start only, so a removed default stays removed", async () => {
    const { watch, admin } = await watchOnFreshStore();
    const list = [
      { name: "CNIL", url: "https://www.cnil.fr/fr/rss.xml", category: "donnees" },
      { name: "Invalide", url: "ftp://x.example/", category: "donnees" },
    ];
    expect(await watch.seedDefaults(list)).toBe(1);
    await watch.removeSource("CNIL", admin.id);
    expect(await watch.seedDefaults(list)).toBe(0);
    expect(await watch.listSources()).toEqual([]);
  });
});

describe("articles shared by members", () => {
  it("are credited to the member, and a link already there is refused whoever brought it", async () => {
    const { watch, db, admin, source } = await watchOnFreshStore();
    await watch.share({ url: "https://www.jeprotegemonenfant.example/ecrans?utm_source=fb", title: "Écrans : le guide", comment: "Utile pour les ateliers parents" }, admin.id);
    expect(await db.watchItem.findFirst()).toMatchObject({ sharedById: admin.id, link: "https://www.jeprotegemonenfant.example/ecrans", category: "autre", comment: "Utile pour les ateliers parents" });
    const again = await rejection(watch.share({ url: "http://jeprotegemonenfant.example/ecrans/" }, admin.id));
    expect(again.message).toContain("Cet article est déjà dans la veille : « Écrans : le guide » (partagé par");
    await source("Source A", serve("dup-a.rss", { body: fixture("dup-a.rss") }));
    await watch.collectDue();
    const dup = await rejection(watch.share({ url: "https://education.example/harcelement/plan-2026" }, admin.id));
    expect(dup.message).toContain("(source « Source A »). Il est déjà prévu dans le prochain récapitulatif.");
    expect(await db.watchItem.count()).toBe(3);
  });

  it("get the page's title when none is given", async () => {
    const { watch, db, admin } = await watchOnFreshStore();
    watch.configure({ pageTitles: true, allowPrivateHosts: true });
    const page = serve("article", {
      body: '<html><head><meta property="og:title" content="Sextorsion : que faire ?"><title>Autre</title></head></html>',
      contentType: "text/html; charset=utf-8",
    });
    await watch.share({ url: page }, admin.id);
    const missing = serve("absent", { status: 404 });
    await watch.share({ url: missing }, admin.id);
    expect((await db.watchItem.findMany({ orderBy: { id: "asc" } })).map((i) => i.title)).toEqual(["Sextorsion : que faire ?", `127.0.0.1${new URL(missing).pathname}`]);
  });

  it("never make the bot read a page of its own machine or network for a title, even through a redirection", async () => {
    const { watch, db, admin } = await watchOnFreshStore();
    watch.configure({ pageTitles: true, allowPrivateHosts: false });
    const local = serve("admin", { body: "<title>Console d'administration</title>", contentType: "text/html" });
    await watch.share({ url: local }, admin.id);
    expect(server.hits(new URL(local).pathname)).toBe(0);
    expect((await db.watchItem.findFirst())!.title).toBe(`127.0.0.1${new URL(local).pathname}`);

    // A redirection is followed hop by hop; with private hosts allowed (WATCH_ALLOW_PRIVATE_HOSTS=1),
    // the same kind of page is read, so the refusal above was the address check.
    watch.configure({ allowPrivateHosts: true });
    const target = serve("cible", { body: "<title>Arrivée</title>", contentType: "text/html" });
    const hop = serve("saut", { status: 302, headers: { location: target } });
    await watch.share({ url: hop }, admin.id);
    expect((await db.watchItem.findFirst({ orderBy: { id: "desc" } }))!.title).toBe("Arrivée");
  });
});

describe("digests", () => {
  it("take every pending item once: the same occurrence gets them back, the next one only newer items", async () => {
    const { watch, clock, admin, source } = await watchOnFreshStore();
    await source("CNIL", serve("cnil.rss", { body: fixture("cnil.rss") }));
    await watch.collectDue();
    await watch.share({ url: "https://exemple.fr/partage", title: "Partagé" }, admin.id);
    const first = await watch.claimDigest("2026-03-02T08:00:00.000Z");
    expect(first?.entries.map((e) => e.title).sort()).toEqual(["Contrôle parental : la CNIL publie ses recommandations pour les éditeurs d'applications", "Majorité numérique : ce que change la loi pour les moins de 15 ans", "Partagé"]);
    expect((await watch.claimDigest("2026-03-02T08:00:00.000Z"))?.id).toBe(first!.id);
    clock.advance(7 * 24 * 60 * 60_000);
    expect(await watch.claimDigest("2026-03-09T08:00:00.000Z")).toBeNull();
    await watch.share({ url: "https://exemple.fr/nouveau", title: "Nouveau" }, admin.id);
    expect((await watch.claimDigest("2026-03-16T08:00:00.000Z"))?.entries.map((e) => e.title)).toEqual(["Nouveau"]);
    expect(await watch.pendingEntries()).toEqual([]);
  });

  it("show this week as the last digest plus what came since", async () => {
    const { watch, clock, admin } = await watchOnFreshStore();
    await watch.share({ url: "https://exemple.fr/a", title: "A" }, admin.id);
    await watch.claimDigest("2026-03-02T08:00:00.000Z");
    clock.advance(minutes(60));
    await watch.share({ url: "https://exemple.fr/b", title: "B" }, admin.id);
    const week = await watch.weekEntries();
    expect(week.entries.map((e) => e.title).sort()).toEqual(["A", "B"]);
    expect(week).toMatchObject({ digest: { count: 1 }, pendingCount: 1 });
    clock.advance(8 * 24 * 60 * 60_000);
    expect((await watch.weekEntries()).entries.map((e) => e.title)).toEqual(["B"]);
  });
});

describe("the digest's schedule", () => {
  it("is Monday 09:00 until the animator changes it, and then moves at once", async () => {
    const { watch, db, admin } = await watchOnFreshStore();
    expect(await watch.digestCron()).toBe(DEFAULT_DIGEST_CRON);
    expect(await watch.nextDigestAt()).toEqual(new Date("2026-03-09T08:00:00Z"));
    // Pasted back from a message of the bot, asterisks shown as « ∗ ».
    const { next } = await watch.setDigestCron("0  18 ∗ * 5", admin.id);
    expect(next).toEqual(new Date("2026-03-06T17:00:00Z"));
    expect(await watch.digestCron()).toBe("0 18 * * 5");
    expect(await db.auditLog.findFirst({ where: { action: "veille.horaire" } })).toMatchObject({ details: JSON.stringify({ avant: "0 9 * * 1", après: "0 18 * * 5" }) });
  });

  it("refuses in French an invalid expression or one posting more than once a day, writing nothing", async () => {
    const { watch, db, admin } = await watchOnFreshStore();
    expect((await rejection(watch.setDigestCron("0 9 * * lundi", admin.id))).message).toContain("Expression cron invalide « 0 9 ∗ ∗ lundi »");
    const twice = await rejection(watch.setDigestCron("0 9,17 * * 1", admin.id));
    expect(twice).toBeInstanceOf(UserError);
    expect(twice.message).toContain("le récapitulatif paraîtrait plusieurs fois par jour");
    expect(await db.setting.count({ where: { key: "watch.digest.cron" } })).toBe(0);
  });
});
