/** The digests' contents: each item in one digest, and this week's list. */
import { describe, expect, it } from "vitest";
import { fixture } from "../../helpers/feed-server.js";
import { feedServerForFile, minutes, watchOnFreshStore } from "./helpers.js";

const { serve } = feedServerForFile();

describe("digests", () => {
  it("take every pending item once: the same occurrence gets them back, the next one only newer items", async () => {
    const { watch, clock, admin, source } = await watchOnFreshStore();
    await source("CNIL", serve("cnil.rss", { body: fixture("cnil.rss") }));
    await watch.collector.collectDue();
    await watch.shares.share({ url: "https://exemple.fr/partage", title: "Partagé" }, admin.id);
    const first = await watch.digests.claim("2026-03-02T08:00:00.000Z");
    expect(first?.entries.map((e) => e.title).sort()).toEqual(["Contrôle parental : la CNIL publie ses recommandations pour les éditeurs d'applications", "Majorité numérique : ce que change la loi pour les moins de 15 ans", "Partagé"]);
    expect((await watch.digests.claim("2026-03-02T08:00:00.000Z"))?.id).toBe(first!.id);
    clock.advance(7 * 24 * 60 * 60_000);
    expect(await watch.digests.claim("2026-03-09T08:00:00.000Z")).toBeNull();
    await watch.shares.share({ url: "https://exemple.fr/nouveau", title: "Nouveau" }, admin.id);
    expect((await watch.digests.claim("2026-03-16T08:00:00.000Z"))?.entries.map((e) => e.title)).toEqual(["Nouveau"]);
    expect(await watch.digests.pendingEntries()).toEqual([]);
  });

  it("show this week as the last digest plus what came since", async () => {
    const { watch, clock, admin } = await watchOnFreshStore();
    await watch.shares.share({ url: "https://exemple.fr/a", title: "A" }, admin.id);
    await watch.digests.claim("2026-03-02T08:00:00.000Z");
    clock.advance(minutes(60));
    await watch.shares.share({ url: "https://exemple.fr/b", title: "B" }, admin.id);
    const week = await watch.digests.weekEntries();
    expect(week.entries.map((e) => e.title).sort()).toEqual(["A", "B"]);
    expect(week).toMatchObject({ digest: { count: 1 }, pendingCount: 1 });
    clock.advance(8 * 24 * 60 * 60_000);
    expect((await watch.digests.weekEntries()).entries.map((e) => e.title)).toEqual(["B"]);
  });
});
