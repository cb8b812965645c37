import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { commands } from "../commands/index.js";
import { startBot } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { MatrixEmulator } from "../test/emulators/matrix/index.js";
import { Person } from "../test/emulators/matrix/person.js";
import { sdk } from "../src/platforms/matrix/sdk.js";
import type { Bot } from "../src/app.js";
import { freshStoreUrl } from "../test/store/fixture.js";
import { seedNetwork } from "./seed.js";
import { sequential, summarise, type LatencyRow } from "./stats.js";

/**
 * Command round trip on the Matrix emulator: a person's real SDK client sends `!annuaire`, the bot's
 * real SDK receives it through /sync, answers, and the person's client receives the answer through
 * /sync — in a plain room and in an end-to-end encrypted one (both sides' Rust crypto at work).
 * Discord's and Slack's rows measure the acknowledgement of the same command inside the process;
 * this one includes two /sync wake-ups, so it is a round trip, not an ack.
 * A native poll's vote (MSC3381) is timed from the person's m.poll.response sent to the shared
 * tally updated (the vote committed and the live count asked for), in the encrypted room.
 */
export async function benchMatrix(n: number): Promise<LatencyRow[]> {
  const emu = await new MatrixEmulator().start();
  const botUserId = emu.addUser("bench-bot", { password: "bench" }).userId;
  const person = await Person.connect(emu, "bench", "Bench");
  const plain = emu.createRoom(person.userId, { name: "Réseau", invite: [botUserId] });
  const encrypted = emu.createRoom(person.userId, { name: "Réseau chiffré", encrypted: true, invite: [botUserId] });
  const config = loadConfig(
    {
      DATABASE_URL: await freshStoreUrl(),
      WEB_PORT: "off",
      MATRIX_HOMESERVER_URL: emu.url,
      MATRIX_USER: "bench-bot",
      MATRIX_PASSWORD: "bench",
      MATRIX_ROOMS: `${plain.roomId},${encrypted.roomId}`,
      MATRIX_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "pdn-bench-matrix-")),
      BOT_ADMINS: `matrix:${person.userId}`,
    },
    "",
  );
  const bot = await startBot({ config, log: createLogger({ level: "silent", pretty: false }), commands });
  const rows: LatencyRow[] = [];
  try {
    await seedNetwork(bot.services);
    const roundTrip = async (roomId: string) => {
      const before = person.seen.length;
      const started = performance.now();
      await person.say(roomId, "!annuaire commune:epinal");
      await person.waitFor((m) => m.sender === botUserId && m.type === "m.room.message" && person.seen.indexOf(m) >= before, "the answer");
      return performance.now() - started;
    };
    const count = Math.min(n, 200);
    rows.push(summarise("Matrix · !annuaire aller-retour (salon en clair)", await sequential(count, 20, () => roundTrip(plain.roomId))));
    rows.push(summarise("Matrix · !annuaire aller-retour (salon chiffré)", await sequential(count, 20, () => roundTrip(encrypted.roomId))));
    rows.push(summarise("Matrix · vote natif (m.poll.response → décompte commun, salon chiffré)", await nativeVotes(bot, person, botUserId, encrypted.roomId, count)));
  } finally {
    await bot.stop();
    await person.stop();
    await emu.stop();
  }
  return rows;
}

/** Alternates the person's answer between two options of a named poll: each answer changes the tally. */
async function nativeVotes(bot: Bot, person: Person, botUserId: string, roomId: string, count: number): Promise<number[]> {
  const admin = await bot.services.members.findByRef(person.userId, "matrix");
  await bot.services.settings.setChannel("matrix", "annonces", roomId, admin.id);
  const closing = new Date(Date.now() + 30 * 86_400_000);
  await person.say(roomId, `!sondage creer question:"Quel jour ?" options:"Mardi ; Jeudi" cloture:"${closing.getDate()}/${closing.getMonth() + 1}/${closing.getFullYear()} 18h"`);
  const start = await person.waitFor((m) => m.sender === botUserId && sdk.M_POLL_START.matches(m.type), "the poll start");
  // The tally is updated when the vote is committed and the live count asked for: the moment timed.
  const live = bot.features.polls.live;
  const request = live.request.bind(live);
  let counted: (() => void) | undefined;
  live.request = (key: string) => {
    request(key);
    counted?.();
  };
  const confirmations = () => person.seen.filter((m) => m.sender === botUserId && m.roomId !== roomId && m.body.startsWith("Vote enregistré")).length;
  return sequential(count, 20, async (i) => {
    const before = confirmations();
    const tallied = new Promise<void>((resolve) => (counted = resolve));
    const started = performance.now();
    await person.answerPoll(roomId, start.eventId, [String((i % 2) + 1)]);
    await tallied;
    const elapsed = performance.now() - started;
    // The private confirmation follows; the next answer waits for it, so each one is timed alone.
    await person.waitFor(() => confirmations() > before, "the vote's confirmation");
    return elapsed;
  });
}
