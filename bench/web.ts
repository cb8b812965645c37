/**
 * The site under load: `/annuaire` with 3,500 members, requests/s and p99 with autocannon (in its
 * own process, as real visitors are), and what that load costs the chat: the p99 of `/annuaire` on
 * the Discord emulator without web load, then with it. The machine is shared: the load average is
 * printed next to the figures.
 */
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { createRequire } from "node:module";
import { commands } from "../commands/index.js";
import { startBot, type Bot } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { startDiscordEmulator } from "../test/emulators/discord/index.js";
import { discordEnv } from "../test/helpers/env.js";
import { freshStoreUrl } from "../test/store/fixture.js";
import { sequential, summarise, type LatencyRow } from "./stats.js";

const COMMUNES = ["Épinal", "Saint-Dié-des-Vosges", "Remiremont", "Gérardmer", "Neufchâteau", "Vittel", "Golbey", "Thaon-les-Vosges", "Rambervillers", "Mirecourt", "Bruyères", "Charmes", "Contrexéville", "Darney", "Le Thillot", "Senones", "Raon-l'Étape", "Plombières-les-Bains", "Bains-les-Bains", "Xertigny"];

/** 3,500 listed members in one write (the web reads them like any other). */
async function seedDirectory(bot: Bot, size: number): Promise<void> {
  const now = new Date();
  await bot.store.prisma.member.createMany({
    data: Array.from({ length: size }, (_, i) => ({
      firstName: `Promeneur${i}`,
      lastName: `Nom${i}`,
      displayName: `Promeneur${i} Nom${i}`,
      structure: `Structure ${i % 120}`,
      commune: COMMUNES[i % COMMUNES.length]!,
      kind: i % 3 === 0 ? ("PARENTALITE" as const) : ("JEUNESSE" as const),
      networks: "Instagram, Snapchat",
      contact: "Instagram, du lundi au vendredi 14h-18h",
      directoryConsent: true,
      directoryLastName: i % 2 === 0,
      status: "ACTIVE" as const,
      joinedAt: now,
      createdAt: now,
    })),
  });
}

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

/** autocannon in a child process; `rate` caps the requests per second of all connections (0: as fast as it goes). */
function cannon(url: string, seconds: number, connections: number, rate = 0): { done: Promise<CannonResult>; stop(): void } {
  const bin = createRequire(import.meta.url).resolve("autocannon/autocannon.js");
  const args = [bin, "-j", "-c", String(connections), "-d", String(seconds), ...(rate ? ["-R", String(rate)] : []), url];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  const done = new Promise<CannonResult>((resolve, reject) => child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out) as CannonResult) : reject(new Error(`autocannon ${code}`)))));
  return { done, stop: () => child.kill("SIGINT") };
}

export async function benchWeb(n = Number(process.env.BENCH_WEB_N ?? 300)): Promise<{ rows: { name: string; value: string }[]; ratio: number; reqPerSec: number }> {
  const emu = await startDiscordEmulator();
  const user = emu.addUser({ username: "bench" }).id;
  const config = loadConfig({ DATABASE_URL: await freshStoreUrl(), ...discordEnv(emu), WEB_PORT: "0", WEB_RATE_LIMIT: "100000000", LOG_LEVEL: "silent" }, "");
  const bot = await startBot({ config, log: createLogger({ level: "silent", pretty: false }), commands });
  const rows: { name: string; value: string }[] = [];
  const load = () => loadavg().map((v) => v.toFixed(2)).join(" / ");
  try {
    await seedDirectory(bot, 3500);
    const url = `${bot.web!.url}/annuaire?commune=epinal`;
    const chat = async () => {
      const h = emu.sendCommand({ userId: user, name: "annuaire", options: { commune: "epinal" } });
      await h.response();
      return h.responseLatencyMs!;
    };
    await sequential(50, 0, chat);
    // 1. The site alone, as fast as it goes.
    const flat = await cannon(url, 10, 10).done;
    rows.push({ name: "/annuaire (3 500 membres), 10 connexions, 10 s : requêtes/s", value: flat.requests.average.toFixed(0) });
    rows.push({ name: "/annuaire : latence p50 / p99", value: `${flat.latency.p50} ms / ${flat.latency.p99} ms (${flat.non2xx} non-2xx, ${flat.errors} erreurs)` });
    rows.push({ name: "charge moyenne (1 / 5 / 15 min) pendant la mesure", value: load() });
    // 2. Chat p99 without, then with a steady web load (WEB_BENCH_RATE requests/s, far above a departmental site's traffic).
    const rate = Number(process.env.BENCH_WEB_RATE ?? 100);
    const quiet: LatencyRow = summarise("chat", await sequential(n, 20, chat));
    const busy = cannon(url, 600, 4, rate);
    await new Promise((r) => setTimeout(r, 1000));
    const loaded: LatencyRow = summarise("chat", await sequential(n, 0, chat));
    const loadNow = load();
    busy.stop();
    await busy.done.catch(() => undefined);
    const ratio = loaded.p99 / quiet.p99;
    rows.push({ name: `chat /annuaire (Discord) p50 / p99 sans le site (n = ${n})`, value: `${quiet.p50.toFixed(2)} ms / ${quiet.p99.toFixed(2)} ms` });
    rows.push({ name: `chat /annuaire p50 / p99 pendant ${rate} requêtes/s sur /annuaire`, value: `${loaded.p50.toFixed(2)} ms / ${loaded.p99.toFixed(2)} ms` });
    rows.push({ name: "dégradation du p99 du chat (objectif ≤ 1,20)", value: ratio.toFixed(2) });
    rows.push({ name: "charge moyenne (1 / 5 / 15 min) pendant la mesure", value: loadNow });
    return { rows, ratio, reqPerSec: flat.requests.average };
  } finally {
    await bot.stop();
    await emu.close();
  }
}
