/**
 * The dashboard and the yearly evaluation end to end: the real bot on the emulators, a seeded year,
 * the chart attached on Discord and the workbook uploaded on Slack; a Promeneur sees neither.
 */
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { pngSize } from "../../src/core/reporting/chart.js";
import { NOW, seedYear } from "../core/reporting/seed-year.js";
import { runConsole } from "../helpers/bot.js";
import { slackCommand, startWorld, type World } from "./collective-world.js";

let w: World | undefined;

afterEach(async () => {
  await w?.stop();
  w = undefined;
});

describe("dashboard and yearly evaluation", () => {
  it("shows the dashboard with its chart on Discord, uploads the workbook on Slack, and refuses a Promeneur", async () => {
    w = await startWorld();
    // The seeded year uses member ids 1–8; the world's animator was created first, so seed after it.
    await w.bot.store.prisma.member.deleteMany({});
    await seedYear(w.bot.store.prisma);
    w.clock.set(NOW);
    const animator = await w.bot.store.prisma.member.findFirstOrThrow({ where: { role: "ANIMATEUR" } });
    for (const [platform, externalId] of [["DISCORD", w.animator.discord], ["SLACK", w.animator.slack]] as const) {
      await w.bot.store.prisma.platformAccount.create({ data: { platform, externalId, memberId: animator.id } });
    }

    const shown = await w.discord.sendCommand({ userId: w.animator.discord, name: "tableau", options: { annee: 2026 } }).final();
    expect(shown.text).toContain("Tableau de bord 2026");
    expect(shown.text).toContain("Comité de pilotage** (objectif 1) : ❌ manquant");
    expect(shown.text).toContain("Farid Nour");
    const png = shown.files.find((f) => f.name === "activite-2026.png")!;
    expect(pngSize(png.data)).toEqual({ width: 960, height: 480 });

    // In a Slack channel the workbook would be seen by everyone: the files go to the bot DM instead.
    const dm = (w.slack as unknown as { ws: { imWith(user: string): { id: string } } }).ws.imWith(w.animator.slack).id;
    const inChannel = await slackCommand(w.slack, w.animator.slack, "/bilan annee:2026");
    // The uploads follow the reply; a busy machine may pause between their steps longer than idle()'s quiet time.
    await vi.waitFor(() => expect(w!.slack.uploadedFiles.filter((f) => f.completed)).toHaveLength(2), { timeout: 15_000 });
    expect(inChannel.ephemeral).toBe(true);
    expect(inChannel.fullText).toContain("Objectifs du cahier des charges");
    expect(inChannel.fullText).toContain("Fichier joint envoyé dans votre conversation privée avec le bot");
    expect(w.slack.uploadedFiles.map((f) => f.channelId)).toEqual([dm, dm]);
    const upload = w.slack.uploadedFiles.find((f) => f.filename === "bilan-2026.xlsx")!;
    expect(upload.completed).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(upload.bytes as unknown as ArrayBuffer);
    expect(wb.getWorksheet("Synthèse")!.getCell("B2").value).toBe(1);

    const alice = w.discord.addUser({ username: "alice", globalName: "Alice" }).id;
    const refused = await w.discord.sendCommand({ userId: alice, name: "tableau" }).final();
    expect(refused.text).toContain("Animateur du réseau, Référent Caf, Administrateur");
    expect(refused.files).toEqual([]);
    // Each report is a fresh node process (one-shot.ts), here with the TypeScript loader.
  }, 90_000);

  it("gives the whole dashboard as text in the console, where no image is shown", async () => {
    const { printed } = await runConsole(["/tableau"]);
    expect(printed).toContain("Tableau de bord 2026");
    expect(printed).toContain("Rencontres départementales (objectif 2 à 3) : ❌ manquant");
    expect(printed).toContain("fichier joint : activite-2026.png");
  });
});
