import type { Readable, Writable } from "node:stream";
import { commands as allCommands } from "../commands/index.js";
import type { CommandDef } from "./bot/command.js";
import { Router } from "./bot/router.js";
import { platformsOf, webPublicUrl, type Config } from "./config.js";
import { systemClock, type Clock } from "./shared/clock.js";
import { createServices, type Services } from "./core/services.js";
import type { Logger } from "./logger.js";
import { health, type HealthSnapshot, type InstanceFacts } from "./ops/health.js";
import { missingChannels, startupSummary, webFact } from "./ops/startup-summary.js";
import { within } from "./core/within.js";
import type { PlatformAdapter } from "./platforms/adapter.js";
import { ConsoleAdapter } from "./platforms/console/adapter.js";
import { createAdapter } from "./platforms/adapters.js";
import { PLATFORM_CATALOG } from "./platforms/catalog.js";
import { Scheduler, type SchedulerTuning } from "./scheduler/index.js";
import type { DiscordAdapter } from "./platforms/discord/adapter.js";
import { GatewayTurn } from "./platforms/discord/gateway-turn.js";
import { DatabaseInUse, type Coordination, isPostgresUrl, listBackups, lockDatabase, openStore, sqliteFileFromUrl, type BackupFile, type DatabaseLock, type Store } from "./store/index.js";
import { buildFeatures, startFeatures, type AnyFeature, type BuiltFeatures } from "./core/feature.js";
import { FEATURES, type FeatureOptions, type Features } from "./features.js";
import { startWebServer, type WebServer } from "./web/server.js";

export interface BotOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  commands?: readonly CommandDef[];
  /** Console streams (tests script them). */
  input?: Readable;
  output?: Writable;
  /**
   * The features to build (default: all of src/features.ts). A feature they need is built too.
   * Tests pass fewer (or one of their own) to keep other features' jobs out of their way.
   */
  features?: readonly AnyFeature[];
  /** Build-time options per feature, e.g. `{ watch: { fetch: { timeoutMs: 2000 } } }`. */
  featureOptions?: FeatureOptions;
  /**
   * false: no one-bot lock, the scheduler runs even next to another bot (tests of several
   * instances sharing the jobs, as on PostgreSQL). Default true.
   */
  exclusive?: boolean;
  /** Scheduler settings; tests pass `{ timer: false }` and call `bot.scheduler.tick()` with their ManualClock. */
  scheduler?: SchedulerTuning;
}

export interface Bot {
  store: Store;
  services: Services;
  /** The built features (`bot.features.activity`, …), the same instances commands use. */
  features: Features;
  router: Router;
  adapters: PlatformAdapter[];
  console?: ConsoleAdapter;
  /** Durable jobs: features register their handlers on `scheduler.dispatcher`. */
  scheduler: Scheduler;
  /** Version, uptime, database, platforms, scheduler lag, last digest; never throws. */
  health(): Promise<HealthSnapshot>;
  /** False for an inspection console next to a running bot: the other process runs the jobs. */
  runsScheduler: boolean;
  /** The public site (WEB_PORT); undefined when off or when its port could not be opened. */
  web?: WebServer;
  stop(): Promise<void>;
}

/** What the start-up steps share once the store is open. */
interface Wiring {
  options: BotOptions;
  config: Config;
  log: Logger;
  clock: Clock;
  startedAt: Date;
  lock: DatabaseLock | null | undefined;
  store: Store;
  scheduler: Scheduler;
  services: Services;
  built: BuiltFeatures;
  /** The built instances, typed. */
  features: Features;
  router: Router;
}

/** What is running, in the order it is stopped. */
interface Running {
  adapters: PlatformAdapter[];
  consoleAdapter?: ConsoleAdapter;
  started: PlatformAdapter[];
  gatewayTurn?: GatewayTurn;
  web?: WebServer;
}

/**
 * The whole bot, wired: store → core → features → router → adapters. Used by main.ts and,
 * unchanged, by the end-to-end tests and the benchmark.
 */
export async function startBot(options: BotOptions): Promise<Bot> {
  const w = await wire(options);
  const running = await createAdapters(w);
  const snapshot = healthOf(w, running);
  const stopAll = () => stopEverything(w, running);
  try {
    w.services.events.hold();
    await startAdapters(w, running);
    await startFeatures(w.built, { services: w.services, clock: w.clock, timeZone: w.config.BOT_TIMEZONE, config: w.config, jobs: w.scheduler.jobs, recurring: w.scheduler.recurring }, w.scheduler.dispatcher, w.log);
    await w.services.events.open();
    // An inspection console beside the running bot leaves the site to that bot.
    if (w.lock !== null) running.web = await startWebServer({ services: w.services, features: w.features, clock: w.clock, config: w.config, log: w.log.child({ module: "web" }), timeZone: w.config.BOT_TIMEZONE, changes: w.store.changes, health: snapshot });
  } catch (err) {
    await stopAll();
    throw err;
  }
  // Its first tick catches up what fell due while the bot was down; start-up does not wait for it.
  // Only the lock holder runs jobs: an inspection console beside the bot must not run them twice.
  if (w.lock !== null) void w.scheduler.start();
  await logStartup(w, running);
  let stopping: Promise<void> | undefined;
  return {
    store: w.store,
    services: w.services,
    features: w.features,
    health: snapshot,
    router: w.router,
    adapters: running.adapters,
    console: running.consoleAdapter,
    scheduler: w.scheduler,
    runsScheduler: w.lock !== null,
    web: running.web,
    stop: () => (stopping ??= stopAll()),
  };
}

/** The lock, the store, the scheduler, the core services, the features and the router: nothing connected yet. */
async function wire(options: BotOptions): Promise<Wiring> {
  const { config, log } = options;
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const wanted = platformsOf(config);
  // Taken before the store opens, so a second bot neither migrates nor connects anything.
  const lock = options.exclusive === false ? undefined : takeLock(config, PLATFORM_CATALOG.some((platform) => !platform.local && wanted[platform.name]), log);
  let store: Store;
  try {
    // An inspection console beside the running bot lets it have the file between its writes.
    store = await openStore(config.DATABASE_URL, (msg) => log.info(msg), { backupDir: config.BACKUP_DIR, courteous: lock === null, instance: { bot: true } });
  } catch (err) {
    lock?.release();
    throw err;
  }
  // Built now but started only once the adapters are up (due jobs send through them); building
  // it first lets stopAll always stop it, and a bad setting fail before any platform connects.
  const coordination = store.coordination;
  const liveInstances = coordination && (() => coordination.botInstances());
  const scheduler = new Scheduler({ prisma: store.prisma, clock, log: log.child({ module: "scheduler" }), soleInstance: Boolean(lock), liveInstances, ...options.scheduler });
  const services = createServices(store.prisma, clock, store.changes, { jobs: scheduler.jobs, log: log.child({ module: "notifications" }), siteUrl: webPublicUrl(config) });
  await services.members.bootstrapAdmins(config.BOT_ADMINS);
  const built = buildFeatures(
    options.features ?? FEATURES,
    { db: store.prisma, services, clock, timeZone: config.BOT_TIMEZONE, log, config, jobs: scheduler.jobs, recurring: scheduler.recurring, stopping: () => scheduler.dispatcher.stopping },
    options.featureOptions as Record<string, unknown> | undefined,
  );
  const features = built.instances as Features;
  const router = new Router({ commands: options.commands ?? allCommands, services, features, clock, timeZone: config.BOT_TIMEZONE, log });
  // Loaded on use: the check pulls in the platforms' REST clients.
  services.setupCheck = async () => (await import("./ops/diagnostic.js")).checkSetup(config, clock.now());
  return { options, config, log, clock, startedAt, lock, store, scheduler, services, built, features, router };
}

/** The configured platforms' adapters, in the catalog's order; their libraries are loaded only then, so the console starts without their cost. */
async function createAdapters({ options, config, log, router, services }: Wiring): Promise<Running> {
  const wanted = platformsOf(config);
  const adapters: PlatformAdapter[] = [];
  for (const { name } of PLATFORM_CATALOG.filter((platform) => wanted[platform.name])) {
    adapters.push(await createAdapter(name, { config, router, services, log: log.child({ platform: name }), input: options.input, output: options.output }));
  }
  const consoleAdapter = adapters.find((adapter): adapter is ConsoleAdapter => adapter instanceof ConsoleAdapter);
  return { adapters, consoleAdapter, started: [] };
}

async function startAdapters({ store, services, log }: Wiring, running: Running): Promise<void> {
  for (const adapter of running.adapters) {
    // Several instances may share a PostgreSQL database: the gateway is served by one at a time.
    if (adapter.name === "discord" && store.coordination) {
      running.gatewayTurn = new GatewayTurn(adapter as DiscordAdapter, store.coordination, log.child({ platform: "discord" }));
      await running.gatewayTurn.start();
    } else await adapter.start();
    running.started.push(adapter);
    services.notifications.register(adapter);
  }
}

function healthOf({ store, clock, startedAt, lock, config }: Wiring, running: Running): () => Promise<HealthSnapshot> {
  const instances = store.coordination && (() => instanceFacts(store.coordination!, running.gatewayTurn));
  return () => health({ prisma: store.prisma, adapters: running.started, clock, startedAt, runsScheduler: lock !== null, newestBackup: () => newestBackup(config), instances });
}

async function stopEverything({ scheduler, store, lock, log }: Wiring, running: Running): Promise<void> {
  await running.web?.close().catch((err) => log.warn({ err }, "arrêt du site web en échec"));
  // First, so running handlers finish (bounded) while the adapters can still send.
  await scheduler.stop();
  await running.gatewayTurn?.stop();
  // Each adapter gets its own deadline so one hung platform cannot hold the others.
  await Promise.all(running.started.map((a) => within(a.stop(), 4000).catch((err) => log.warn({ err, platform: a.name }, "arrêt d'une plateforme en échec"))));
  await store.close();
  lock?.release();
}

async function logStartup({ services, store, lock, config, log }: Wiring, running: Running): Promise<void> {
  const platformNames = running.adapters.map((a) => a.name);
  const missing = await missingChannels(services.settings, platformNames);
  const cluster = store.coordination ? await instanceFacts(store.coordination, running.gatewayTurn) : undefined;
  log.info(
    { platforms: platformNames, missingChannels: missing, instances: cluster },
    startupSummary({ platforms: platformNames, databaseUrl: config.DATABASE_URL, missingChannels: missing, runsScheduler: lock !== null, backupDir: config.BACKUP_DIR, web: webFact(config, lock !== null, running.web), instances: cluster }),
  );
}

/** Which instance this is, which one holds Discord's gateway, and which run jobs (all the bots connected). */
async function instanceFacts(coordination: Coordination, turn: GatewayTurn | undefined): Promise<InstanceFacts> {
  const [discord, jobs] = await Promise.all([turn ? turn.holder() : Promise.resolve(null), coordination.botInstances()]);
  return { self: coordination.instanceName, discord, jobs };
}

function newestBackup(config: Config): BackupFile | undefined {
  if (isPostgresUrl(config.DATABASE_URL)) return undefined;
  return listBackups(sqliteFileFromUrl(config.DATABASE_URL), config.BACKUP_DIR)[0];
}

/**
 * The database's one-bot lock. A bot with a platform refuses to start when another process holds
 * it; a console alone becomes an inspection console (null: no lock, no scheduler). PostgreSQL
 * has no file to lock (undefined): it runs the scheduler, and the scheduler's claims keep jobs from running twice.
 */
function takeLock(config: Config, hasPlatform: boolean, log: Logger): DatabaseLock | null | undefined {
  if (isPostgresUrl(config.DATABASE_URL)) return undefined;
  try {
    return lockDatabase(sqliteFileFromUrl(config.DATABASE_URL));
  } catch (err) {
    if (!(err instanceof DatabaseInUse) || hasPlatform) throw err;
    log.warn({ pid: err.pid }, `${err.message} Console d'inspection : les tâches planifiées restent au bot en cours.`);
    return null;
  }
}
