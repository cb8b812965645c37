import { describe, expect, it } from "vitest";
import { toDiscordMarkdown } from "../../../src/bot/markdown.js";
import { LIMITS } from "../../../src/core/reply.js";
import { digestReply, entryLine, sourcesReply, weekReply, type WatchEntry } from "../../../src/core/watch/render.js";

const TZ = "Europe/Paris";
let id = 0;
function entry(over: Partial<WatchEntry> = {}): WatchEntry {
  id++;
  return { id, title: `Article ${id}`, link: `https://exemple.fr/${id}`, category: "reglementation", sourceName: "CNIL", sharedBy: null, comment: null, date: new Date(Date.UTC(2026, 1, 1 + (id % 27), 9)), ...over };
}
const total = (reply: ReturnType<typeof digestReply>) => (reply.title?.length ?? 0) + (reply.text?.length ?? 0) + (reply.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

describe("the digest message", () => {
  it("groups by category in a fixed order, newest first, each with title, source, date and link", () => {
    const reply = digestReply(
      [
        entry({ title: "Ancien", category: "donnees", date: new Date("2026-02-24T09:00:00Z") }),
        entry({ title: "Récent", category: "donnees", date: new Date("2026-02-27T09:00:00Z") }),
        entry({ title: "Décret", category: "reglementation", sourceName: "Vie-publique.fr", link: "https://www.vie-publique.fr/loi/1", date: new Date("2026-02-26T09:00:00Z") }),
      ],
      { title: "Veille de la semaine — 2 mars 2026", timeZone: TZ },
    );
    expect(reply.fields!.map((f) => f.name)).toEqual(["Réglementation (1)", "Données personnelles (2)"]);
    expect(toDiscordMarkdown(reply.fields![0]!.value)).toBe("- [Décret](https://www.vie-publique.fr/loi/1) — Vie-publique.fr, 26 février 2026");
    expect(toDiscordMarkdown(reply.fields![1]!.value).split("\n").map((l) => l.slice(3, 9))).toEqual(["Récent", "Ancien"]);
    expect(reply.text).toBe("3 articles depuis le dernier récapitulatif.\nUn article à signaler ? `/veille ajouter url:<lien>`");
  });

  it("shows at most 15, members' shares first, and points to /veille semaine for the others", () => {
    const entries = [...Array.from({ length: 20 }, () => entry()), entry({ sharedBy: "Lucas Bernard", sourceName: null, comment: "À lire avant l'atelier", date: new Date("2026-01-01T09:00:00Z") })];
    const reply = digestReply(entries, { title: "Veille", timeZone: TZ });
    const lines = reply.fields!.flatMap((f) => f.value.split("\n"));
    expect(lines).toHaveLength(15);
    expect(lines.some((l) => l.includes("partagé par Lucas Bernard, 1er janvier 2026 : « À lire avant l'atelier »"))).toBe(true);
    expect(reply.text).toContain("21 articles depuis le dernier récapitulatif, dont 1 partagé par des membres du réseau. Voici les 15 plus récents, et 6 autres : `/veille semaine`.");
  });

  it("stays within Discord's limits whatever the titles and links, counting what it leaves out", () => {
    const long = Array.from({ length: 15 }, () => entry({ title: "T".repeat(400), link: `https://exemple.fr/${"x".repeat(300)}` }));
    const reply = digestReply(long, { title: "Veille", timeZone: TZ });
    expect(reply.fields!.every((f) => f.value.length <= 1024 && f.name.length <= 256)).toBe(true);
    expect(reply.fields!.length).toBeLessThanOrEqual(LIMITS.fields);
    expect(total(reply)).toBeLessThanOrEqual(6000);
    const shown = reply.fields!.flatMap((f) => f.value.split("\n")).length;
    expect(reply.text).toContain(`Voici les ${shown} plus récents, et ${15 - shown} autres`);
    expect(reply.fields!.map((f) => f.name)[1]).toMatch(/^Réglementation \(suite\) \(\d+\)$/);
  });

  it("keeps titles from breaking the links' Markdown", () => {
    const line = entryLine(entry({ title: "[Alerte] *urgent* `code`", link: "https://exemple.fr/a_(b)" }), TZ);
    expect(toDiscordMarkdown(line)).toMatch(/^- \[\(Alerte\) urgent code\]\(https:\/\/exemple\.fr\/a_%28b%29\) — CNIL, /);
  });
});

describe("the week's list", () => {
  it("pages by ten with buttons, and says when there is nothing", () => {
    const entries = Array.from({ length: 12 }, () => entry());
    const first = weekReply(entries, { timeZone: TZ, digest: { at: new Date("2026-03-02T08:00:00Z"), count: 9 }, pendingCount: 3, nextDigestAt: new Date("2026-03-09T08:00:00Z"), page: 1 });
    expect(first.text).toBe("Récapitulatif du 2 mars 2026 : 9 articles.\nDepuis : 3 nouveaux articles (prochain récapitulatif le 9 mars 2026).\nPage 1 sur 2.");
    expect(first.fields!.flatMap((f) => f.value.split("\n"))).toHaveLength(10);
    expect(first.components).toEqual([{ buttons: [{ kind: "button", id: "veille:semaine:2", label: "Suivants ▶", style: "primary" }] }]);
    expect(first.private).toBe(true);
    const empty = weekReply([], { timeZone: TZ, digest: null, pendingCount: 0, nextDigestAt: null, page: 1 });
    expect(empty.text).toContain("Rien pour l'instant cette semaine.");
  });
});

describe("the list of sources", () => {
  it("shows each source's state, failing ones with the reason and the next try", () => {
    const base = { origin: "animateur", primedAt: null, lastSuccessAt: null, failures: 0, failingSince: null, lastError: null, nextFetchAt: null };
    const reply = sourcesReply(
      [
        { ...base, id: 1, name: "CNIL", url: "https://www.cnil.fr/fr/rss.xml", category: "donnees", origin: "defaut", lastSuccessAt: new Date("2026-03-02T07:50:00Z") },
        { ...base, id: 2, name: "Arcom", url: "https://www.arcom.fr/rss.xml", category: "reseaux_sociaux", failures: 3, failingSince: new Date("2026-03-01T10:00:00Z"), lastError: "le serveur a répondu 503", nextFetchAt: new Date("2026-03-02T09:00:00Z") },
        { ...base, id: 3, name: "Nouvelle", url: "https://n.example/feed", category: "parentalite" },
      ],
      { timeZone: TZ, collecting: false, nextDigestAt: new Date("2026-03-09T08:00:00Z") },
    );
    expect(reply.fields!.map((f) => f.name)).toEqual(["Réseaux sociaux (1)", "Données personnelles (1)", "Parentalité (1)"]);
    expect(reply.fields![0]!.value).toBe("**#2 Arcom** — arcom.fr/rss.xml\n⚠️ en échec depuis le dimanche 1er mars 2026 à 11:00 (3 essais) : le serveur a répondu 503 ; nouvel essai le lundi 2 mars 2026 à 10:00");
    expect(reply.fields![1]!.value).toBe("**#1 CNIL** (liste par défaut) — cnil.fr/fr/rss.xml\n✅ lue le lundi 2 mars 2026 à 08:50");
    expect(reply.fields![2]!.value).toContain("⏳ pas encore lue");
    expect(reply.text).toContain("3 sources suivies, lues chaque heure, dont 1 en échec.");
    expect(reply.text).toContain("la collecte est en pause");
  });
});
