/**
 * A CLI writing beside the running bot (members:import, bilan, an inspection console) leaves the
 * file free between its transactions, so the bot's writes get through within a few retries
 * instead of waiting for seconds behind a writer that takes the lock back at once.
 */
import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";

import { openStore, type Store } from "../../src/store/index.js";
import { freshStoreUrl } from "./fixture.js";

const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

/** The bot's write latencies (ms, sorted) while a CLI process writes in a loop on the same file. */
async function botWritesBesideCli(courteous: boolean): Promise<{ latencies: number[]; cliTransactions: number }> {
  const url = await freshStoreUrl();
  const bot = await openStore(url);
  opened.push(bot);
  const child = spawn(process.execPath, ["--import", "tsx", "test/store/writer-beside-bot.ts", url, courteous ? "1" : "0", "4000"], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  await new Promise<void>((resolve) => child.stdout.on("data", (c: Buffer) => ((out += c.toString()), out.includes("prêt") && resolve())));
  const latencies: number[] = [];
  for (let i = 0; i < 40 && child.exitCode === null; i++) {
    const t = performance.now();
    await bot.prisma.setting.upsert({ where: { key: `bot:${i}` }, create: { key: `bot:${i}`, value: "x", updatedAt: new Date() }, update: { value: "y" } });
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
  await exited;
  return { latencies: latencies.sort((a, b) => a - b), cliTransactions: Number(out.trim().split("\n").at(-1)) };
}

describe("a CLI beside the bot", () => {
  it("pauses between its transactions: the bot's writes are not held up behind it", async () => {
    const rude = await botWritesBesideCli(false);
    const courteous = await botWritesBesideCli(true);
    const p90 = (l: number[]) => l[Math.floor(l.length * 0.9)]!;
    const seen = `p90 without pauses ${p90(rude.latencies).toFixed(1)} ms (${rude.cliTransactions} CLI transactions), with ${p90(courteous.latencies).toFixed(1)} ms (${courteous.cliTransactions})`;
    // The CLI still gets its work done: the pauses cost it little.
    expect(courteous.cliTransactions, seen).toBeGreaterThan(20);
    expect(p90(courteous.latencies), seen).toBeLessThan(p90(rude.latencies) / 2);
  }, 60_000);
});
