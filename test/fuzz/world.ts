/**
 * The world the fuzz runs against: the real router with every command of the bot, on the real
 * core and a real SQLite file, seeded through the router itself with one of each thing a
 * button or a form can point at (a meeting, a poll, an availability poll, an announcement, a
 * question, a training survey, a watch article), so forged ids hit real rows as well as missing ones.
 *
 * Writes are watched from a second, read-only SQLite connection: `PRAGMA data_version` changes
 * whenever another connection commits (an update as well as an insert), and the row count of
 * every table (the audit log among them) is read in one statement.
 */
import { PassThrough } from "node:stream";
import Database from "better-sqlite3";
import { ConsoleAdapter } from "../../src/platforms/console/adapter.js";
import { buildTestFeatures } from "../helpers/features.js";
import { commands } from "../../commands/index.js";
import { Router } from "../../src/bot/router.js";
import { parseTextOptions } from "../../src/bot/text-command.js";
import type { Interaction, PlatformName, PlatformUser } from "../../src/core/interaction.js";
import type { Reply } from "../../src/core/reply.js";
import { ManualClock } from "../helpers/clock.js";
import { createServices, type Services } from "../../src/core/services.js";
import { isPostgresUrl, openStore, sqliteFileFromUrl, type Store } from "../../src/store/index.js";
import { JobStore } from "../../src/scheduler/index.js";
import { createLogger } from "../../src/logger.js";
import { memoryLogger } from "../helpers/bot.js";
import { freshStoreUrl } from "../store/fixture.js";

export interface FuzzWorld {
  router: Router;
  consoleAdapter: ConsoleAdapter;
  store: Store;
  services: Services;
  clock: ManualClock;
  /** An administrator and a plain Promeneur, on each platform. */
  users: { admin: Record<PlatformName, PlatformUser>; promeneur: Record<PlatformName, PlatformUser> };
  /** Ids of the seeded rows, as strings a forged component id may carry. */
  ids: string[];
  /** Everything the router logged (an internal error is logged as « commande en échec »). */
  logs: () => string[];
  /**
   * Before an input: the person is registered (first contact is not the input's doing) and, if an
   * earlier input demoted, removed or erased them, given back their role as an active member.
   */
  prepare(user: PlatformUser, role?: "ADMIN" | "PROMENEUR"): Promise<void>;
  snapshot(): Promise<WriteSnapshot>;
  close(): Promise<void>;
}

export interface WriteSnapshot {
  /** SQLite's PRAGMA data_version (any commit by another connection moves it); 0 on PostgreSQL. */
  version: number;
  counts: Record<string, number>;
}

interface WriteWatcher {
  snapshot(): Promise<WriteSnapshot>;
  /** Ids of the seeded rows, for forged component ids. */
  ids(): Promise<string[]>;
  close(): void;
}

const SEEDED_IDS = 'SELECT id FROM "Meeting" UNION SELECT id FROM "Poll" UNION SELECT id FROM "Announcement" UNION SELECT id FROM "Question" UNION SELECT id FROM "AvailabilityPoll" UNION SELECT id FROM "TrainingSurvey" UNION SELECT id FROM "Member"';
const countsQuery = (tables: string[]) => `SELECT ${tables.map((t, i) => `(SELECT count(*) FROM "${t}") AS c${i}`).join(", ")}`;

/** SQLite: a second, read-only connection sees every commit of the bot's (data_version). */
function sqliteWatcher(url: string): WriteWatcher {
  const db = new Database(sqliteFileFromUrl(url), { readonly: true, fileMustExist: true });
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%'").all() as { name: string }[]).map((t) => t.name);
  const countAll = db.prepare(countsQuery(tables));
  return {
    async snapshot() {
      const version = db.pragma("data_version", { simple: true }) as number;
      const row = countAll.get() as Record<string, number>;
      return { version, counts: Object.fromEntries(tables.map((t, i) => [t, row[`c${i}`]!])) };
    },
    async ids() {
      return (db.prepare(SEEDED_IDS).all() as { id: number }[]).map((r) => String(r.id));
    },
    close: () => db.close(),
  };
}

/** PostgreSQL has no data_version: row counts of every table only (an UPDATE is not seen). */
async function postgresWatcher(store: Store): Promise<WriteWatcher> {
  const rows = await store.prisma.$queryRawUnsafe<{ table_name: string }[]>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_prisma%'");
  const tables = rows.map((r) => r.table_name);
  return {
    async snapshot() {
      const [row] = await store.prisma.$queryRawUnsafe<Record<string, bigint>[]>(countsQuery(tables));
      return { version: 0, counts: Object.fromEntries(tables.map((t, i) => [t, Number(row![`c${i}`])])) };
    },
    async ids() {
      return (await store.prisma.$queryRawUnsafe<{ id: number }[]>(SEEDED_IDS)).map((r) => String(r.id));
    },
    close: () => undefined,
  };
}

const CHANNEL = { discord: "100000000000000001", slack: "C0FUZZ", matrix: "!fuzz:fuzz.test", console: "console" } as const;

function user(platform: PlatformName, id: string, displayName: string): PlatformUser {
  return { platform, id, workspaceId: platform === "console" ? "" : "W0FUZZ", displayName };
}

/** On a fresh database: SQLite by default, or the one `url` names (a PostgreSQL test database). */
export async function startFuzzWorld(url?: string): Promise<FuzzWorld> {
  url ??= await freshStoreUrl();
  const store = await openStore(url);
  const clock = new ManualClock("2026-03-02T08:00:00Z");
  const services = createServices(store.prisma, clock, store.changes, { jobs: new JobStore(store.prisma, clock), log: createLogger({ level: "silent", pretty: false }) });
  const memory = memoryLogger();
  const features = buildTestFeatures({ store, databaseUrl: url, services, clock, log: memory.log });
  const router = new Router({ commands, services, features, clock, timeZone: "Europe/Paris", log: memory.log });
  const admin = { discord: user("discord", "200000000000000001", "Sophie"), slack: user("slack", "U0ADMIN", "Sophie"), matrix: user("matrix", "@sophie:fuzz.test", "Sophie"), console: user("console", "animateur", "Animateur console") };
  const promeneur = { discord: user("discord", "200000000000000002", "Nora"), slack: user("slack", "U0NORA", "Nora"), matrix: user("matrix", "@nora:fuzz.test", "Nora"), console: user("console", "nora", "Nora") };
  // First contact registers each person; then their roles are set, before any snapshot is taken.
  for (const u of [...Object.values(admin), ...Object.values(promeneur)]) await services.members.resolveOrRegister(u);
  for (const u of Object.values(admin)) {
    const m = await services.members.resolveOrRegister(u);
    await services.members.setRole(m.id, "ADMIN", null);
  }
  const adminMember = await services.members.resolveOrRegister(admin.discord);
  for (const platform of ["discord", "slack", "console"] as const) {
    for (const usage of ["annonces", "rencontres"] as const) await services.settings.setChannel(platform, usage, CHANNEL[platform], adminMember.id);
  }
  // The real console adapter is the platform the bot posts to (announcements, poll cards, DMs); its
  // output goes nowhere. It is never started: the fuzz drives its line handler itself.
  const consoleAdapter = new ConsoleAdapter({ router, services, log: memory.log, admins: [], input: new PassThrough(), output: new PassThrough().resume() });
  services.notifications.register(consoleAdapter);
  const world = { router, users: { admin, promeneur } };
  await seed(world);
  const watcher = isPostgresUrl(url) ? await postgresWatcher(store) : sqliteWatcher(url);
  const ids = await watcher.ids();
  return {
    router,
    consoleAdapter,
    store,
    services,
    clock,
    users: world.users,
    ids: [...new Set(ids)],
    logs: memory.lines,
    async prepare(who, role) {
      const member = await services.members.resolveOrRegister(who);
      if (!role) return;
      if (member.role !== role || member.status !== "ACTIVE" || member.erasedAt) {
        await store.prisma.member.update({ where: { id: member.id }, data: { role, status: "ACTIVE", leftAt: null, erasedAt: null } });
      }
    },
    snapshot: () => watcher.snapshot(),
    async close() {
      watcher.close();
      await store.close();
    },
  };
}

/** A command typed as text (Slack, console), the way the adapters parse it. */
export function textCommand(router: Router, who: PlatformUser, line: string, channelId = CHANNEL[who.platform]): Interaction {
  const [head = "", ...rest] = line.replace(/^\//, "").split(" ");
  const def = router.command(head);
  const parsed = def ? parseTextOptions(def, rest.join(" ")) : { options: {} };
  return { type: "command", user: who, channelId, canOpenModal: false, command: head, subcommand: parsed.subcommand, options: parsed.options };
}

/** The channel a platform's interactions come from. */
export function channelOf(platform: PlatformName): string {
  return CHANNEL[platform];
}

async function seed(world: { router: Router; users: FuzzWorld["users"] }): Promise<void> {
  const admin = world.users.admin.slack;
  const run = async (line: string): Promise<Reply> => {
    const reply = await world.router.handle(textCommand(world.router, admin, line));
    if (reply.tone === "warning" || reply.tone === "error") throw new Error(`seeding « ${line} » refused: ${reply.text}`);
    return reply;
  };
  await run('/rencontre creer type:departementale titre:"Rencontre du réseau" debut:"12/03/2026 14h" lieu:"MJC Épinal"');
  await run('/sondage creer question:"Quel jour ?" options:"lundi ; mardi ; jeudi" cloture:"vendredi 6 mars 18h"');
  await run('/analyse planifier creneaux:"mardi 10 mars 9h ; jeudi 12 mars 14h" cloture:"vendredi 6 mars 18h" lieu:"MJC Épinal"');
  await run('/annonce publier texte:"Bonjour à tous" titre:"Bienvenue"');
  await run("/formation besoins");
  await run('/veille ajouter url:"https://www.cnil.fr/fr/article" titre:"Un article"');
  await world.router.handle({ type: "modal", user: world.users.promeneur.slack, channelId: CHANNEL.slack, canOpenModal: false, customId: "question:poser:autre", fields: { question: "Comment déclarer mon activité ?" } });
}
