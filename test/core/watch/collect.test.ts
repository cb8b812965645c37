/** The hourly read against a real SQLite file and a feed server on 127.0.0.1: collection, back-off, alerts. */
import { describe, expect, it } from "vitest";
import { ALERT_AFTER_MS, backoffDelay } from "../../../src/core/watch/collect.js";
import { RETRY_KIND } from "../../../src/core/watch/schedule.js";
import { endlessBody, fixture, stalled } from "../../helpers/feed-server.js";
import { feedServerForFile, minutes, watchOnFreshStore } from "./helpers.js";

const { serve, server } = feedServerForFile();

describe("collecting", () => {
  it("records a new source's whole feed on its first read but collects only the last 7 days", async () => {
    const { watch, db, source } = await watchOnFreshStore();
    await source("CNIL", serve("cnil.rss", { body: fixture("cnil.rss") }));
    const report = await watch.collector.collectDue();
    expect(report).toMatchObject({ sources: 1, ok: 1, failed: 0, collected: 2 });
    const titles = (await db.watchItem.findMany({ orderBy: { publishedAt: "desc" } })).map((i) => i.title);
    expect(titles).toEqual(["Contrôle parental : la CNIL publie ses recommandations pour les éditeurs d'applications", "Majorité numérique : ce que change la loi pour les moins de 15 ans"]);
    expect(await db.watchSeen.count()).toBe(3);
  });

  it("collects an undated entry only once the source has been read before", async () => {
    const { watch, db, clock, source } = await watchOnFreshStore();
    const url = serve("rss091.xml", { body: fixture("rss091.xml") });
    await source("Point de contact", url);
    expect((await watch.collector.collectDue()).collected).toBe(0);
    const more = fixture("rss091.xml").toString().replace("<item>", "<item><title>Nouvelle brève</title><link>https://www.pointdecontact.example/breves/nouvelle</link></item><item>");
    server().route(new URL(url).pathname, { body: more });
    clock.advance(minutes(60));
    expect((await watch.collector.collectDue()).collected).toBe(1);
    expect(await db.watchItem.findFirst()).toMatchObject({ title: "Nouvelle brève", publishedAt: clock.now() });
  });

  it("keeps one item for one link across sources, whatever the scheme, www. or tracking parameters", async () => {
    const { watch, db, source } = await watchOnFreshStore();
    await source("Source A", serve("dup-a.rss", { body: fixture("dup-a.rss") }));
    await source("Source B", serve("dup-b.rss", { body: fixture("dup-b.rss") }));
    expect((await watch.collector.collectDue()).collected).toBe(2);
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
    expect((await watch.collector.collectDue()).collected).toBe(1);
    server().route(new URL(url).pathname, { body: fixture("guid-2.rss") });
    clock.advance(minutes(60));
    expect(await watch.collector.collectDue()).toMatchObject({ ok: 1, collected: 0 });
    expect(await db.watchItem.count()).toBe(1);
    expect(await db.watchSeen.count()).toBe(2);
  });

  it("forgets, after 90 days, the ids of entries that left the feed, never those still in it", async () => {
    const { watch, db, clock, source } = await watchOnFreshStore();
    const url = serve("cnil.rss", { body: fixture("cnil.rss") });
    await source("CNIL", url);
    await watch.collector.collectDue();
    clock.advance(91 * 24 * 60 * 60_000);
    // The oldest entry (the last one) leaves the feed as a new one arrives at the top.
    const original = fixture("cnil.rss").toString();
    const last = original.lastIndexOf("<item>");
    const shifted = (original.slice(0, last) + original.slice(original.indexOf("</item>", last) + "</item>".length)).replace(
      "<item>",
      "<item><title>Nouveau</title><link>https://www.cnil.fr/fr/nouveau</link><guid>neuf</guid></item><item>",
    );
    server().route(new URL(url).pathname, { body: shifted });
    expect(await watch.collector.collectDue()).toMatchObject({ ok: 1, collected: 1 });
    // 3 entries in the feed now (2 old ones kept, the new one); the one gone 91 days ago forgotten.
    expect(await db.watchSeen.count()).toBe(3);
  });

  it("asks again with ETag / Last-Modified and does nothing on 304", async () => {
    const { watch, db, clock, source } = await watchOnFreshStore();
    const url = serve("etag.rss", { body: fixture("cnil.rss"), etag: '"abc"', lastModified: "Fri, 27 Feb 2026 09:30:00 GMT" });
    await source("CNIL", url);
    await watch.collector.collectDue();
    clock.advance(minutes(60));
    expect(await watch.collector.collectDue()).toMatchObject({ ok: 0, notModified: 1 });
    const last = server().requests.filter((r) => r.path === new URL(url).pathname).at(-1)!;
    expect(last.headers["if-none-match"]).toBe('"abc"');
    expect(last.headers["if-modified-since"]).toBe("Fri, 27 Feb 2026 09:30:00 GMT");
    expect(await db.watchSource.findFirst()).toMatchObject({ lastSuccessAt: clock.now(), failures: 0 });
  });

  it("goes on when sources fail, and retries each after 5, 10, 20 minutes…", async () => {
    const { watch, db, clock, source } = await watchOnFreshStore({ tuning: { fetch: { timeoutMs: 600, maxBytes: 1024 * 1024 } } });
    await source("HTTP 500", serve("err", { status: 500, body: "panne" }));
    await source("Page web", serve("page", { body: fixture("page.html"), contentType: "text/html" }));
    await source("Muet", serve("stalled", { handler: stalled() }));
    await source("Énorme", serve("huge", { handler: endlessBody(50 * 1024 * 1024) }));
    await source("CNIL", serve("ok.rss", { body: fixture("cnil.rss") }));
    expect(await watch.collector.collectDue()).toMatchObject({ sources: 5, ok: 1, failed: 4, collected: 2 });
    const failing = await db.watchSource.findMany({ where: { failures: { gt: 0 } }, orderBy: { id: "asc" } });
    expect(failing.map((s) => s.lastError)).toEqual([
      "le serveur a répondu 500 (erreur du serveur)",
      expect.stringContaining("la page reçue est une page web (HTML), pas un flux RSS ou Atom ; la page annonce un flux"),
      "pas de réponse complète en 0,6 s (délai dépassé)",
      "réponse trop volumineuse (plus de 1 Mo)",
    ]);
    expect(failing.every((s) => s.nextFetchAt!.getTime() === clock.now().getTime() + minutes(5))).toBe(true);

    clock.advance(minutes(4));
    expect((await watch.collector.collectDue()).sources).toBe(1); // only the healthy one
    clock.advance(minutes(1));
    expect(await watch.collector.collectDue()).toMatchObject({ sources: 5, failed: 4 });
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
      await watch.collector.collectDue();
      clock.advance(backoffDelay(i + 1));
    }
    const alerts = notifier.in("animation");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.title).toBe("Source de veille en échec");
    expect(alerts[0]!.text).toContain("La source « Arcom » (#");
    expect(alerts[0]!.text).toContain("le serveur a répondu 503 (service indisponible)");
    expect(alerts[0]!.text).toContain("/veille source-retirer source:#");
    expect(clock.now().getTime() - started).toBeGreaterThan(ALERT_AFTER_MS);

    server().route(new URL(url).pathname, { body: fixture("cnil.rss") });
    await watch.collector.collectDue();
    clock.advance(minutes(60));
    await watch.collector.collectDue();
    expect(notifier.in("animation").map((r) => r.text)).toEqual([alerts[0]!.text, expect.stringMatching(/^La source « Arcom » \(#\d+\) fonctionne de nouveau\.$/)]);
    expect(notifier.in("veille")).toEqual([]);
  });

  it("plans a one-off retry when a failing source is due before the next hourly run", async () => {
    const { watch, services, clock, source } = await watchOnFreshStore();
    await source("HTTP 500", serve("err", { status: 500 }));
    await watch.collector.collectDue();
    const at = await watch.schedule.scheduleRetry(services.jobs);
    expect(at).toEqual(new Date(clock.now().getTime() + minutes(5)));
    expect(await services.jobs.list({ kind: RETRY_KIND })).toHaveLength(1);
  });

  it("reads nothing while no platform has a « veille » channel", async () => {
    const { watch, source } = await watchOnFreshStore({ channels: false });
    const url = serve("cnil.rss", { body: fixture("cnil.rss") });
    await source("CNIL", url);
    expect((await watch.collector.collectDue()).skipped).toContain("aucun salon « veille »");
    expect(server().hits(new URL(url).pathname)).toBe(0);
  });
});
