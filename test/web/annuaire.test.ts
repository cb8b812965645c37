import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bot } from "../../src/app.js";
import { accessibilityViolations, launchBrowser, screenshot } from "../helpers/browser.js";
import { startWebBot, type WebBot } from "../helpers/web.js";

type Seed = { firstName: string; lastName?: string; commune: string; kind?: "JEUNESSE" | "PARENTALITE"; consent?: boolean; status?: "ACTIVE" | "ONBOARDING" | "INACTIVE"; structure?: string; networks?: string; contact?: string; email?: string; showLastName?: boolean };

async function seed({ services, store }: Pick<Bot, "services" | "store">, s: Seed): Promise<number> {
  const m = await services.members.create({ firstName: "Tmp", structure: s.structure ?? "MJC", kind: s.kind ?? "JEUNESSE", commune: s.commune, networks: s.networks ?? "Instagram, Snapchat", contact: s.contact, email: s.email ?? null }, null);
  // Straight to the store: names that arrive from a platform profile are not checked like the form's.
  await store.prisma.member.update({
    where: { id: m.id },
    data: { firstName: s.firstName, lastName: s.lastName ?? null, directoryConsent: s.consent ?? true, status: s.status ?? "ACTIVE", directoryLastName: s.showLastName ?? false },
  });
  return m.id;
}

let web: WebBot;
let browser: Browser;
const ids: Record<string, number> = {};

beforeAll(async () => {
  web = await startWebBot();
  const s = web.bot;
  ids.lea = await seed(s, { firstName: "Léa", lastName: "Martin", commune: "Épinal", contact: "Instagram @lea_mjc, du lundi au vendredi", email: "lea.martin@mjc.fr" });
  ids.bruno = await seed(s, { firstName: "Bruno", lastName: "Klein", showLastName: true, commune: "Saint-Dié-des-Vosges", kind: "PARENTALITE", structure: "Centre social" });
  ids.marc = await seed(s, { firstName: "Marc", lastName: "Secret", commune: "Épinal", consent: false });
  ids.nina = await seed(s, { firstName: "Nina", commune: "Épinal", status: "ONBOARDING" });
  ids.omar = await seed(s, { firstName: "Omar", commune: "Vittel", status: "INACTIVE" });
  ids.hostile = await seed(s, { firstName: "<script>window.pwned=1</script>", commune: "Golbey", structure: '"><img src=x onerror="window.pwned=2">', contact: "<b>gras</b>" });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

describe("/annuaire in a real browser", () => {
  it("lists the active members who consented, first name only unless they chose their name, never the e-mail", async () => {
    const page = await browser.newPage();
    await page.goto(`${web.url}/annuaire`);
    const names = await page.locator("ul.cards h3").allTextContents();
    expect(names.sort()).toEqual(["<script>window.pwned=1</script>", "Bruno Klein", "Léa"].sort());
    const text = await page.locator("main").innerText();
    expect(text).not.toContain("Martin");
    expect(text).not.toContain("lea.martin@mjc.fr");
    expect(text).toContain("Instagram @lea_mjc");
    for (const absent of ["Marc", "Nina", "Omar"]) expect(names).not.toContain(absent);
    expect(text).toMatch(/Épinal \(1\)/);
    await page.close();
  });

  it("shows a hostile name as text and runs none of it", async () => {
    const page = await browser.newPage();
    await page.goto(`${web.url}/annuaire?commune=golbey`);
    expect(await page.locator("ul.cards h3").innerText()).toBe("<script>window.pwned=1</script>");
    expect(await page.getByText('"><img src=x onerror="window.pwned=2">').count()).toBe(1);
    expect(await page.locator("main img, main b, main script").count()).toBe(0);
    expect(await page.evaluate("window.pwned")).toBeUndefined();
    await page.close();
  });

  it("searches by commune with the form, accents and case aside, in a link one can share", async () => {
    const page = await browser.newPage();
    await page.goto(`${web.url}/annuaire`);
    await page.getByRole("textbox", { name: "Commune", exact: true }).fill("saint-die");
    await page.getByRole("button", { name: "Chercher" }).click();
    await page.waitForURL(/commune=saint-die/);
    expect(await page.locator("ul.cards h3").allTextContents()).toEqual(["Bruno Klein"]);
    expect(await page.locator("h2#resultats").innerText()).toContain("1 Promeneur du Net pour cette recherche");
    await page.goto(`${web.url}/annuaire?type=parentalite`);
    expect(await page.locator("ul.cards h3").allTextContents()).toEqual(["Bruno Klein"]);
    // A private last name cannot be found by searching it either.
    await page.goto(`${web.url}/annuaire?q=martin`);
    expect(await page.locator("ul.cards h3").count()).toBe(0);
    await page.close();
  });

  it("drops a member who withdraws consent from the next load", async () => {
    const page = await browser.newPage();
    await page.goto(`${web.url}/annuaire/${ids.lea}-lea`);
    expect(await page.locator("h1").innerText()).toBe("Léa");
    // Loaded (and so rendered once) just before: the change must not wait for a cache to expire.
    await page.goto(`${web.url}/annuaire`);
    expect(await page.locator("ul.cards h3").allTextContents()).toContain("Léa");
    await web.say(`/as #${ids.lea}`);
    expect(await web.say("/profil consentement annuaire:non")).toContain("n'apparaît plus");
    await page.goto(`${web.url}/annuaire`);
    expect(await page.locator("ul.cards h3").allTextContents()).not.toContain("Léa");
    const gone = await page.goto(`${web.url}/annuaire/${ids.lea}-lea`);
    expect(gone?.status()).toBe(404);
    await web.say("/profil consentement annuaire:oui");
    await page.goto(`${web.url}/annuaire`);
    expect(await page.locator("ul.cards h3").allTextContents()).toContain("Léa");
    await page.close();
  });

  it("keeps a Promeneur's address stable: an old name leads to the current page", async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${web.url}/annuaire/${ids.bruno}-ancien-nom`);
    expect(res?.status()).toBe(200);
    expect(page.url()).toBe(`${web.url}/annuaire/${ids.bruno}-bruno-klein`);
    expect(await page.locator("h1").innerText()).toBe("Bruno Klein");
    await page.close();
  });

  it("has no accessibility violation on any page, and is photographed on a phone and a desktop", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    for (const path of ["/", "/annuaire", "/annuaire?commune=epinal&page=1", `/annuaire/${ids.bruno}-bruno-klein`, "/nulle-part", "/confidentialite"]) {
      await phone.goto(`${web.url}${path}`);
      expect(await accessibilityViolations(phone), path).toEqual([]);
    }
    // The check itself finds a fault when there is one.
    await phone.setContent('<html><body><input type="text"><img src="/style.css"></body></html>');
    expect((await accessibilityViolations(phone)).length).toBeGreaterThan(0);
    await phone.goto(`${web.url}/annuaire`);
    // No horizontal scrolling on a phone.
    expect(await phone.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    expect(existsSync(await screenshot(phone, "annuaire-390px.png"))).toBe(true);
    const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await desktop.goto(`${web.url}/annuaire`);
    expect(existsSync(await screenshot(desktop, "annuaire-1280px.png"))).toBe(true);
    await phone.close();
    await desktop.close();
  });
});
