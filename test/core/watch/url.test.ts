import { describe, expect, it } from "vitest";
import { cleanLink, isHttpUrl, linkHash, urlKey } from "../../../src/core/watch/url.js";

describe("link normalisation", () => {
  it("sees the same article behind http/https, www., a fragment and a trailing slash", () => {
    const key = urlKey("https://education.example/harcelement/plan-2026");
    expect(urlKey("http://www.education.example/harcelement/plan-2026/")).toBe(key);
    expect(urlKey("https://EDUCATION.example/harcelement/plan-2026#top")).toBe(key);
    expect(urlKey("https://education.example:443/harcelement/plan-2026")).toBe(key);
    expect(key).toBe("education.example/harcelement/plan-2026");
  });

  it("ignores tracking parameters (utm_, AT Internet, Matomo, click ids) but keeps the meaningful ones", () => {
    const key = urlKey("https://www.cnil.fr/fr/article?id=12&page=2");
    expect(urlKey("https://www.cnil.fr/fr/article?utm_source=rss&utm_medium=flux&id=12&page=2")).toBe(key);
    expect(urlKey("https://www.cnil.fr/fr/article?page=2&xtor=RSS-1&id=12&at_medium=email&fbclid=abc&mtm_campaign=x")).toBe(key);
    expect(urlKey("https://www.cnil.fr/fr/article?id=13&page=2")).not.toBe(key);
  });

  it("keeps ports, paths and case of paths that make a different page", () => {
    expect(urlKey("http://site.example:8080/a")).toBe("site.example:8080/a");
    expect(urlKey("https://site.example/A")).not.toBe(urlKey("https://site.example/a"));
    expect(urlKey("https://site.example/caf%c3%a9")).toBe(urlKey("https://site.example/caf%C3%A9"));
  });

  it("shows a link without its tracking parameters, and refuses what is not http(s)", () => {
    expect(cleanLink("https://www.cnil.fr/fr/a?utm_source=rss&id=3#x")).toBe("https://www.cnil.fr/fr/a?id=3#x");
    expect(cleanLink("https://www.cnil.fr/fr/a?utm_source=rss")).toBe("https://www.cnil.fr/fr/a");
    expect(cleanLink("/actualites/3018", "https://e-enfance.example/feed.atom")).toBe("https://e-enfance.example/actualites/3018");
    for (const bad of ["javascript:alert(1)", "mailto:a@b.fr", "ftp://x.example/f", "pas une adresse", "//x.example/a"]) {
      expect(cleanLink(bad)).toBeNull();
      expect(isHttpUrl(bad)).toBe(false);
    }
  });

  it("hashes links to a fixed-length key, equal for the same article", () => {
    const a = linkHash("http://www.education.example/harcelement/plan-2026?utm_campaign=plan&xtor=RSS-1");
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(linkHash("https://education.example/harcelement/plan-2026/#top")).toBe(a);
    expect(linkHash("https://education.example/harcelement/plan-2027")).not.toBe(a);
  });
});
