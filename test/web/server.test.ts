import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startWebBot, type WebBot } from "../helpers/web.js";

let running: WebBot | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe("the site inside the bot process", () => {
  it("starts with the bot, serves a French home page with strict security headers, and stops with it", async () => {
    running = await startWebBot();
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${running.url}/`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('<html lang="fr">');
    expect(body).toContain("Promeneur du Net");
    expect(body).not.toMatch(/<script/i);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const css = await fetch(`${running.url}/style.css`);
    expect(css.headers.get("content-type")).toContain("text/css");

    const url = running.url;
    await running.stop();
    running = undefined;
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });

  it("answers an unknown page with a French 404 page", async () => {
    running = await startWebBot();
    const res = await fetch(`${running.url}/nulle-part`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Page introuvable");
  });

  it("limits the requests per address and says so in French", async () => {
    running = await startWebBot({ WEB_RATE_LIMIT: "3" });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${running.url}/`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const res = await fetch(`${running.url}/`);
    expect(await res.text()).toContain("Vous avez chargé trop de pages en peu de temps");
  });

  it("goes on without the site when its port is taken, with a French log line", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      running = await startWebBot({ WEB_PORT: String(port) });
      expect(running.bot.web).toBeUndefined();
      expect(running.logLines().join("\n")).toContain(`site web non démarré : le port ${port} est déjà utilisé`);
      expect(await running.say("/aide")).toContain("/annuaire");
    } finally {
      blocker.close();
    }
  });

  it("opens no site with WEB_PORT=off", async () => {
    running = await startWebBot({ WEB_PORT: "off" });
    expect(running.bot.web).toBeUndefined();
    expect(running.logLines().join("\n")).toContain("site web désactivé");
  });
});

describe("web settings", () => {
  const load = (env: Record<string, string>) => loadConfig(env, "");
  it("defaults to 127.0.0.1:8088 and a public address on localhost", async () => {
    const { webPublicUrl } = await import("../../src/config.js");
    const config = load({});
    expect(config.WEB_HOST).toBe("127.0.0.1");
    expect(config.WEB_PORT).toBe(8088);
    expect(webPublicUrl(config)).toBe("http://localhost:8088");
    expect(webPublicUrl(load({ WEB_PUBLIC_URL: "https://pdn88.example.org/" }))).toBe("https://pdn88.example.org");
    expect(webPublicUrl(load({ WEB_PORT: "off" }))).toBeUndefined();
  });

  it("refuses a bad port or a short export token in French", () => {
    expect(() => load({ WEB_PORT: "quatre" })).toThrow(/WEB_PORT : attendu un numéro de port \(1 à 65535\) ou « off »/);
    expect(() => load({ WEB_CSV_TOKEN: "court" })).toThrow(/WEB_CSV_TOKEN : attendu un jeton de 24 caractères au moins/);
  });
});
