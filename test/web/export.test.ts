import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebBot, type WebBot } from "../helpers/web.js";

const TOKEN = "jeton-du-personnel-0123456789abcdef";
const SITE = "https://pdn88.example.org";
let web: WebBot;
let lea: number;

beforeAll(async () => {
  web = await startWebBot({ WEB_CSV_TOKEN: TOKEN, WEB_PUBLIC_URL: SITE });
  const s = web.bot.services;
  const m = await s.members.create({ firstName: "Léa", lastName: "Martin", structure: "MJC d'Épinal", kind: "JEUNESSE", commune: "Épinal", networks: "Instagram", contact: "=HYPERLINK(\"http://x\")", email: "lea@mjc.fr" }, null);
  await s.members.update(m.id, { directoryConsent: true }, null);
  lea = m.id;
  const hidden = await s.members.create({ firstName: "Marc", commune: "Épinal" }, null);
  await s.members.update(hidden.id, { directoryConsent: false }, null);
});
afterAll(() => web?.stop());

describe("/annuaire.csv", () => {
  it("is refused without the staff token, and with a wrong one", async () => {
    expect((await fetch(`${web.url}/annuaire.csv`)).status).toBe(403);
    const wrong = await fetch(`${web.url}/annuaire.csv`, { headers: { authorization: "Bearer pas-le-bon-jeton-du-tout-000000" } });
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain("est réservé à l&#39;équipe d&#39;animation");
  });

  it("gives the listed members' public fields to the staff, formulas neutralised, never the e-mail", async () => {
    const res = await fetch(`${web.url}/annuaire.csv`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const text = await res.text();
    const lines = text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("Nom affiché;Structure;Type;Commune;Réseaux;Contact;Page de l'annuaire");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(`Léa;MJC d'Épinal;Jeunesse;Épinal;Instagram;"'=HYPERLINK(""http://x"")";${SITE}/annuaire/${lea}-lea`);
    expect(text).not.toContain("lea@mjc.fr");
    expect(text).not.toContain("Martin");
  });

  it("is closed when no token is set", async () => {
    const other = await startWebBot();
    try {
      expect((await fetch(`${other.url}/annuaire.csv?jeton=${TOKEN}`)).status).toBe(404);
    } finally {
      await other.stop();
    }
  });
});

describe("the member's own directory link", () => {
  it("is shown by /profil voir, at the site's public address", async () => {
    await web.say(`/as #${lea}`);
    const shown = await web.say("/profil voir");
    expect(shown).toContain(`${SITE}/annuaire/${lea}-lea`);
    const page = await fetch(`${web.url}/annuaire/${lea}-lea`);
    expect(page.status).toBe(200);
  });

  it("tells a member outside the directory how to enter it, and the last name appears once chosen", async () => {
    await web.say(`/as #${lea}`);
    expect(await web.say("/profil consentement annuaire:non")).toContain("n'apparaît plus");
    expect(await web.say("/profil voir")).toContain("/profil consentement annuaire:oui");
    const back = await web.say("/profil consentement annuaire:oui nom:oui");
    expect(back).toContain("avec votre prénom et votre nom");
    expect(back).toContain(`${SITE}/annuaire/${lea}-lea-martin`);
    const old = await fetch(`${web.url}/annuaire/${lea}-lea`, { redirect: "manual" });
    expect(old.status).toBe(301);
    expect(old.headers.get("location")).toBe(`/annuaire/${lea}-lea-martin`);
  });
});
