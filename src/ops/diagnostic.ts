import { existsSync, statfsSync } from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig, platformsOf, type Config } from "../config.js";
import type { SetupCheck, UsageChannels } from "../core/setup-check.js";
import { CHANNEL_USAGES, type ChannelUsage } from "../core/settings.js";
import { isPostgresUrl, sqliteFileFromUrl } from "../store/index.js";
import { databaseChecks } from "./database-checks.js";
import { PLATFORM_CATALOG, platformLabel, type PlatformName } from "../platforms/catalog.js";
import { platformSetupChecks } from "../platforms/setup-checks.js";
import { watchCheck } from "./watch-check.js";
import { plural } from "../shared/plural.js";

type Check = SetupCheck;

/** Below this, a year of backups and logs no longer fits. */
const MIN_FREE_BYTES = 500 * 1024 * 1024;

export async function runDiagnostic(env: NodeJS.ProcessEnv = process.env, envFile = ".env", now = new Date()): Promise<Check[]> {
  let config: Config;
  try {
    config = loadConfig(env, envFile);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return [{ label: "Configuration", ok: false, detail: err.problems.join(" ; "), fix: "Corrigez ces variables dans le fichier .env (ou l'environnement du service), puis relancez npm run diagnostic." }];
  }
  return checkSetup(config, now);
}

/** Every check but the configuration's own validation (the running bot already passed it). */
export async function checkSetup(config: Config, now = new Date()): Promise<Check[]> {
  const checks: Check[] = [{ label: "Configuration", ok: true, detail: "variables valides" }];
  checks.push({ label: "Fuseau horaire", ok: true, detail: `${config.BOT_TIMEZONE} (heure locale : ${now.toLocaleString("fr-FR", { timeZone: config.BOT_TIMEZONE })})` });
  const db = await databaseChecks(config, now);
  checks.push(...db.checks);
  const platforms = platformsOf(config);
  for (const { name } of PLATFORM_CATALOG.filter((platform) => platforms[platform.name])) {
    checks.push(...(await platformSetupChecks(name, config, usageChannels(db.settings, name))));
  }
  if (db.settings) checks.push(...channelChecks(config, db.settings));
  if (db.failingSources) checks.push(watchCheck(db.failingSources, config.BOT_TIMEZONE));
  checks.push(diskCheck(config));
  return checks;
}

/** The channels set with /config canal on one platform, by usage. */
function usageChannels(settings: Map<string, string> | undefined, platform: PlatformName): UsageChannels {
  const out: UsageChannels = {};
  for (const usage of Object.keys(CHANNEL_USAGES) as ChannelUsage[]) {
    const id = settings?.get(`channel:${platform}:${usage}`);
    if (id) out[usage] = id;
  }
  return out;
}

function channelChecks(config: Config, settings: Map<string, string>): Check[] {
  const platforms = platformsOf(config);
  const checks: Check[] = [];
  for (const platform of ["discord", "slack"] as const) {
    if (!platforms[platform]) continue;
    const label = `Canaux d'usage (${platformLabel(platform)})`;
    const missing = (Object.keys(CHANNEL_USAGES) as ChannelUsage[]).filter((u) => !settings.has(`channel:${platform}:${u}`));
    checks.push(missing.length === 0
      ? { label, ok: true, detail: "tous configurés" }
      : { label, ok: false, detail: `non configurés : ${missing.join(", ")}`, fix: `Dans le salon voulu, un membre de l'équipe tape /config canal usage:<usage> canal:<salon> (par exemple usage:${missing[0]}).` });
  }
  return checks;
}

function diskCheck(config: Config): Check {
  let dir = path.resolve(isPostgresUrl(config.DATABASE_URL) ? config.BACKUP_DIR : path.dirname(sqliteFileFromUrl(config.DATABASE_URL)));
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const stats = statfsSync(dir);
  const free = stats.bavail * stats.bsize;
  const detail = `${Math.round(free / 1048576)} Mo libres dans ${dir}`;
  return free >= MIN_FREE_BYTES
    ? { label: "Espace disque", ok: true, detail }
    : { label: "Espace disque", ok: false, detail, fix: "Libérez de la place (anciens journaux : journalctl --vacuum-time=30d) ou agrandissez le disque." };
}

/** The French report; each failure is followed by its fix. */
export function formatDiagnostic(checks: readonly Check[]): string {
  const lines = checks.flatMap((c) => [`${c.ok ? "OK " : "ÉCHEC"} ${c.label} : ${c.detail}`, ...(c.ok || !c.fix ? [] : [`      → ${c.fix}`])]);
  const failures = checks.filter((c) => !c.ok).length;
  lines.push(failures === 0 ? "Tout va bien." : `${plural(failures, "problème", "problèmes")} à corriger.`);
  return lines.join("\n");
}
