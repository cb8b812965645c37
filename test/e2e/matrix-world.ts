/**
 * The bot served on Matrix, for the end-to-end suites: the real bot wiring (startBot) with its real
 * matrix-js-sdk and Rust crypto, against the Matrix emulator, and people on their own real SDK
 * clients (test/emulators/matrix/person.ts). The network's room is encrypted, as Tchap's are.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach } from "vitest";
import { commands } from "../../commands/index.js";
import { startBot, type Bot, type BotOptions } from "../../src/app.js";
import type { Config } from "../../src/config.js";
import { ManualClock } from "../helpers/clock.js";
import { MatrixEmulator } from "../emulators/matrix/index.js";
import { Person, type SeenMessage } from "../emulators/matrix/person.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";

const BOT_LOCALPART = "promeneurs-bot";
const BOT_PASSWORD = "mot-de-passe-du-bot";

export interface MatrixWorld {
  emu: MatrixEmulator;
  bot: Bot;
  config: Config;
  clock: ManualClock;
  botUserId: string;
  /** Animator of the network (BOT_ADMINS). */
  nora: Person;
  /** A Promeneur. */
  leo: Person;
  roomId: string;
  logLines: () => string[];
  /** Stops the bot, lets `whileDown` change the world, and starts it again on the same data. */
  restart(whileDown?: () => Promise<void>): Promise<Bot>;
}

const worlds: MatrixWorld[] = [];
const extraPeople: Person[] = [];

afterEach(async () => {
  for (const w of worlds.splice(0)) {
    await w.bot.stop();
    for (const p of [w.nora, w.leo]) await p.stop();
    for (const p of extraPeople.splice(0)) await p.stop();
    await w.emu.stop();
  }
});

export async function startMatrixWorld(options: { at?: string; env?: Record<string, string>; featureOptions?: BotOptions["featureOptions"] } = {}): Promise<MatrixWorld> {
  const emu = await new MatrixEmulator().start();
  const botUserId = emu.addUser(BOT_LOCALPART, { password: BOT_PASSWORD, displayName: "Promeneurs du Net" }).userId;
  const nora = await Person.connect(emu, "nora", "Nora Petit");
  const leo = await Person.connect(emu, "leo", "Léo Martin");
  const room = emu.createRoom(nora.userId, { name: "Réseau des Promeneurs", encrypted: true, invite: [botUserId, leo.userId] });
  for (let i = 0; i < 1600 && emu.hs.membership(room, leo.userId) !== "join"; i++) await new Promise((r) => setTimeout(r, 25));
  const config = await testConfig({
    MATRIX_HOMESERVER_URL: emu.url,
    MATRIX_USER: BOT_LOCALPART,
    MATRIX_PASSWORD: BOT_PASSWORD,
    MATRIX_ROOMS: room.roomId,
    MATRIX_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "pdn-matrix-")),
    BOT_ADMINS: `matrix:${nora.userId}`,
    ...options.env,
  });
  const memory = memoryLogger([BOT_PASSWORD]);
  const clock = new ManualClock(options.at ?? "2026-03-02T08:00:00Z");
  const start = () => startBot({ config, log: memory.log, clock, commands, scheduler: { timer: false }, featureOptions: options.featureOptions });
  const world: MatrixWorld = {
    emu,
    bot: await start(),
    config,
    clock,
    botUserId,
    nora,
    leo,
    roomId: room.roomId,
    logLines: memory.lines,
    async restart(whileDown) {
      await world.bot.stop();
      await whileDown?.();
      world.bot = await start();
      return world.bot;
    },
  };
  worlds.push(world);
  const admin = await world.bot.services.members.findByRef(nora.userId, "matrix");
  for (const usage of ["reseau", "rencontres", "rappels", "annonces"] as const) await world.bot.services.settings.setChannel("matrix", usage, room.roomId, admin.id);
  return world;
}

export async function connectPerson(w: MatrixWorld, localpart: string, displayName: string): Promise<Person> {
  const person = await Person.connect(w.emu, localpart, displayName);
  extraPeople.push(person);
  return person;
}

/** Sends a `!` command in the network's room and returns its event id. */
export function command(w: MatrixWorld, who: Person, text: string): Promise<string> {
  return who.say(w.roomId, text);
}

/** The bot's next message to `who` in their direct room (the room is not the network's). */
export function privateMessage(w: MatrixWorld, who: Person, match: (m: SeenMessage) => boolean = () => true, what?: string): Promise<SeenMessage> {
  return who.waitFor((m) => m.sender === w.botUserId && m.roomId !== w.roomId && m.type === "m.room.message" && !m.replaces && match(m), what ?? "a private message from the bot");
}

/** The bot's messages seen by `who` in the direct rooms, oldest first. */
export function privateMessages(w: MatrixWorld, who: Person): SeenMessage[] {
  return who.seen.filter((m) => m.sender === w.botUserId && m.roomId !== w.roomId && m.type === "m.room.message" && !m.replaces);
}
