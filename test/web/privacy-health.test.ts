import { afterEach, describe, expect, it } from "vitest";
import { DPO_SETTING } from "../../src/core/privacy/retention.js";
import { startWebBot, type WebBot } from "../helpers/web.js";

let running: WebBot | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe("the site's privacy notice and health page", () => {
  it("publishes the privacy notice of /confidentialite, linked from every page, with the DPO contact as text", async () => {
    running = await startWebBot();
    await running.bot.store.prisma.setting.create({ data: { key: DPO_SETTING, value: 'dpo@caf.example <script>alert(1)</script>' } });
    const res = await fetch(`${running.url}/confidentialite`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain("Délégué à la protection des données");
    expect(page).toContain("Combien de temps");
    expect(page).toContain("dpo@caf.example &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<script>");
    expect(await (await fetch(`${running.url}/`)).text()).toContain('<a href="/confidentialite">Données personnelles</a>');
  });

  it("serves the bot's health as JSON on /sante, and 503 as soon as something is wrong (jobs overdue)", async () => {
    running = await startWebBot();
    const res = await fetch(`${running.url}/sante`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { ok: boolean; version: string; database: { reachable: boolean }; platforms: Record<string, { connected: boolean }> };
    expect(body).toMatchObject({ ok: true, database: { reachable: true }, platforms: { console: { connected: true } } });
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);

    // A job due ten minutes ago that nobody ran: the scheduler is late, the probe says so.
    const now = new Date("2026-03-02T08:00:00Z");
    const tenMinutesAgo = new Date(now.getTime() - 10 * 60_000);
    await running.bot.store.prisma.job.create({ data: { kind: "test.overdue", dueAt: tenMinutesAgo, createdAt: tenMinutesAgo, updatedAt: tenMinutesAgo } });
    const late = await fetch(`${running.url}/sante`);
    expect(late.status).toBe(503);
    expect(await late.json()).toMatchObject({ ok: false, scheduler: { lagSeconds: 600 } });
  });
});
