import { describe, expect, it } from "vitest";
import { decodeBody } from "../../../src/core/watch/charset.js";
import { MAX_ENTRIES, NotAFeed, capEntries, discoverFeed, parseFeedText, plainText } from "../../../src/core/watch/parse.js";
import { fixture } from "../../helpers/feed-server.js";

const BASE = "https://flux.example/feed";
const parse = (name: string, contentType: string | null = null) => parseFeedText(decodeBody(fixture(name), contentType).text, BASE);

describe("parsing real-world-shaped feeds", () => {
  it("reads an RSS 2.0 feed (Drupal, as the CNIL's): guid, entities, dates with offsets, links cleaned", () => {
    const feed = parse("cnil.rss");
    expect(feed.title).toBe("CNIL - Actualités");
    expect(feed.entries).toHaveLength(3);
    expect(feed.entries[0]).toMatchObject({
      guid: "21453 at https://www.cnil.fr",
      link: "https://www.cnil.fr/fr/controle-parental-recommandations-editeurs",
      title: "Contrôle parental : la CNIL publie ses recommandations pour les éditeurs d'applications",
      date: new Date("2026-02-27T09:30:00Z"),
    });
    expect(feed.entries[0]!.summary()).toBe("La CNIL publie des recommandations à destination des éditeurs d’applications de contrôle parental.");
  });

  it("reads Atom: ids, relative links against xml:base, html titles as text, updated when no published", () => {
    const feed = parse("blog.atom");
    expect(feed.entries.map((e) => e.link)).toEqual([
      "https://www.e-enfance.example/actualites/3018-signalements-hausse",
      "https://www.e-enfance.example/actualites/snapchat-family-center",
    ]);
    expect(feed.entries[0]!.title).toBe("Cyberharcèlement : le 3018 & les signalements en hausse");
    expect(feed.entries[0]!.guid).toBe("tag:e-enfance.example,2026:post-812");
    expect(feed.entries[0]!.date).toEqual(new Date("2026-03-01T16:45:00Z"));
    expect(feed.entries[1]!.date).toEqual(new Date("2026-02-26T08:00:00Z"));
  });

  it("reads RSS 1.0 (RDF) with dc:date", () => {
    const [entry] = parse("rdf.xml").entries;
    expect(entry).toMatchObject({ title: "Décret relatif à la vérification de l'âge en ligne", link: "https://legifrance.example/jorf/id/JORFTEXT000050000001", date: new Date("2026-02-25T23:00:00Z") });
  });

  it("reads RSS 0.91 with its DOCTYPE, entries without guid or date", () => {
    const feed = parse("rss091.xml");
    expect(feed.entries.map((e) => [e.title, e.guid, e.date])).toEqual([
      ["Signaler un contenu illicite : mode d'emploi", null, null],
      ["Sextorsion : conseils aux parents", null, null],
    ]);
  });

  it("reads ISO-8859-1 and windows-1252 feeds decoded from their bytes", () => {
    expect(parse("latin1.xml").entries[0]!.title).toBe("Réseau parentalité : journée départementale à Épinal");
    expect(parse("cp1252.xml", "text/xml; charset=windows-1252").entries[0]!.title).toBe("L’œil du numérique : « cœur de cible »");
  });

  it("reads a feed starting with a byte-order mark", () => {
    expect(parse("bom.xml").entries[0]!.title).toBe("Pass Sport : les démarches pour la rentrée");
  });

  it("tolerates HTML entities XML does not know, a bare & and control characters", () => {
    const feed = parse("bad-entities.xml");
    expect(feed.title).toBe("Clemi — veille");
    expect(feed.entries.map((e) => e.title)).toEqual(["Fake news & TikTok : un guide pour les ados", "Semaine de la presse 2026"]);
    expect(feed.entries[0]!.link).toBe("https://www.clemi.example/guide?id=4&lang=fr");
    expect(feed.entries[0]!.summary()).toBe("Un guide écrit avec les élèves de 3e…");
  });

  it("refuses an HTML page, naming the feed it announces", () => {
    const error = (() => {
      try {
        parse("page.html");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NotAFeed);
    expect((error as NotAFeed).message).toBe("la page reçue est une page web (HTML), pas un flux RSS ou Atom");
    expect((error as NotAFeed).discovered).toBe("https://flux.example/actualites/flux.rss");
  });

  it("refuses XML that is not a feed, and plain text", () => {
    expect(() => parseFeedText('<?xml version="1.0"?><sitemap><url/></sitemap>', BASE)).toThrow(NotAFeed);
    expect(() => parseFeedText("Service indisponible", BASE)).toThrow(NotAFeed);
  });

  it("finds an announced feed whatever the attribute order or quoting", () => {
    expect(discoverFeed(`<link href='/a.atom' type=application/atom+xml rel="alternate stylesheet">`, BASE)).toBe("https://flux.example/a.atom");
    expect(discoverFeed(`<link rel="stylesheet" href="/s.css">`, BASE)).toBeNull();
  });

  it("turns HTML fragments into one line of text", () => {
    expect(plainText("<p>Un&nbsp;<b>titre</b>\n  sur   deux lignes &amp; plus</p>")).toBe("Un titre sur deux lignes & plus");
  });
});

describe("the entry cap", () => {
  const rss = (n: number, extra = "") =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>${extra}${Array.from({ length: n }, (_, i) => `<item><title>T${i}</title><link>https://exemple.fr/${i}</link></item>`).join("")}</channel></rss>`;

  it("applies while parsing: the parser never receives more items than the cap", () => {
    const text = rss(MAX_ENTRIES + 500);
    const cut = capEntries(text);
    expect(cut.match(/<item>/g)).toHaveLength(MAX_ENTRIES);
    const feed = parseFeedText(text, "https://exemple.fr/flux");
    expect(feed.entries).toHaveLength(MAX_ENTRIES);
    expect(feed.entries.at(-1)!.title).toBe(`T${MAX_ENTRIES - 1}`);
  });

  it("counts Atom entries and prefixed RSS 1.0 items alike, not item tags inside CDATA or comments", () => {
    expect(capEntries('<feed><entry>a</entry><entry>b</entry><entry>c</entry></feed>', 2)).toBe("<feed><entry>a</entry><entry>b</entry>");
    expect(capEntries("<rdf:RDF><rss:item>a</rss:item><rss:item>b</rss:item></rdf:RDF>", 1)).toBe("<rdf:RDF><rss:item>a</rss:item>");
    const tricky = "<rss><channel><!-- <item> --><description><![CDATA[<item><item>]]></description><item>a</item><item>b</item></channel></rss>";
    expect(parseFeedText(capEntries(tricky, 2), "https://exemple.fr/").entries).toHaveLength(2);
    expect(capEntries(rss(3), 3)).toBe(rss(3));
  });

  it("keeps a huge feed of tiny items cheap to read", () => {
    const started = performance.now();
    expect(parseFeedText(rss(50_000), "https://exemple.fr/flux").entries).toHaveLength(MAX_ENTRIES);
    // Parsing 50,000 items takes seconds; the cut parses 1,000.
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
