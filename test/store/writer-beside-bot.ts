/**
 * A CLI's write loop, run as its own process by courtesy.test.ts: one short transaction after the
 * other (what members:import does per line) on the bot's file, for a given time.
 * argv: <database url> <courteous: 0|1> <duration ms>
 */
import { openStore } from "../../src/store/index.js";

const [url, courteous, duration] = process.argv.slice(2);
const store = await openStore(url!, undefined, { courteous: courteous === "1" });
process.stdout.write("prêt\n");
const end = performance.now() + Number(duration);
let n = 0;
while (performance.now() < end) {
  await store.prisma.$transaction(async (tx) => {
    const key = `cli:${n++ % 50}`;
    await tx.setting.upsert({ where: { key }, create: { key, value: String(n), updatedAt: new Date() }, update: { value: String(n), updatedAt: new Date() } });
    await tx.setting.count();
  });
}
await store.close();
process.stdout.write(`${n}\n`);
