import path from "node:path";
import { CHANNEL_USAGES, type ChannelUsage, type SettingsService } from "../core/settings.js";
import type { PlatformName } from "../core/interaction.js";
import { platformDescriptor, platformLabel } from "../platforms/catalog.js";
import type { Config } from "../config.js";
import { isPostgresUrl, sqliteFileFromUrl } from "../store/index.js";
import type { InstanceFacts } from "./health.js";

/** The data needed to tell the operator, once, what this bot is plugged into. */
interface StartupFacts {
  platforms: readonly PlatformName[];
  databaseUrl: string;
  /** Usage channels still unset, per chat platform (the console has no channels). */
  missingChannels: Partial<Record<PlatformName, ChannelUsage[]>>;
  runsScheduler: boolean;
  backupDir: string;
  /** The site: where it listens (and the public address, when set), or why it does not. */
  web: { url: string; publicUrl?: string } | "off" | "failed" | "elsewhere";
  /** PostgreSQL: several instances may share the database. */
  instances?: InstanceFacts;
}

/** Where the data lives, never with a password. */
export function describeDatabase(url: string): string {
  if (!isPostgresUrl(url)) return `SQLite (${sqliteFileFromUrl(url)})`;
  try {
    const u = new URL(url);
    return `PostgreSQL (${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname})`;
  } catch {
    return "PostgreSQL";
  }
}

export async function missingChannels(settings: SettingsService, platforms: readonly PlatformName[]): Promise<StartupFacts["missingChannels"]> {
  const out: StartupFacts["missingChannels"] = {};
  for (const platform of platforms) {
    if (platformDescriptor(platform).local) continue;
    const set = await settings.channels(platform);
    const missing = (Object.keys(CHANNEL_USAGES) as ChannelUsage[]).filter((u) => !set[u]);
    if (missing.length > 0) out[platform] = missing;
  }
  return out;
}

/** What became of the site at this start: `server` is undefined when it is off or could not listen. */
export function webFact(config: Config, runsHere: boolean, server: { url: string } | undefined): StartupFacts["web"] {
  if (!runsHere) return "elsewhere";
  if (config.WEB_PORT === "off") return "off";
  if (!server) return "failed";
  return { url: server.url, ...(config.WEB_PUBLIC_URL ? { publicUrl: config.WEB_PUBLIC_URL.replace(/\/+$/, "") } : {}) };
}

function webLine(web: StartupFacts["web"]): string {
  if (web === "off") return "Site web : désactivé (WEB_PORT=off).";
  if (web === "failed") return "Site web : non démarré (voir l'erreur plus haut) ; le bot fonctionne sans.";
  if (web === "elsewhere") return "Site web : servi par le bot déjà en cours.";
  return `Site web : ${web.url}${web.publicUrl && web.publicUrl !== web.url ? ` (adresse publique : ${web.publicUrl})` : ""}.`;
}

/** One French paragraph for the log; each missing usage comes with the command that sets it. */
export function startupSummary(facts: StartupFacts): string {
  const lines = [
    `Plateformes : ${facts.platforms.map(platformLabel).join(", ") || "aucune"}.`,
    `Base de données : ${describeDatabase(facts.databaseUrl)}.`,
    isPostgresUrl(facts.databaseUrl)
      ? "Sauvegardes : avec pg_dump (npm run sauvegarde affiche la commande)."
      : `Sauvegardes : chaque nuit à 3 h dans ${path.resolve(facts.backupDir)}.`,
    webLine(facts.web),
    facts.runsScheduler ? "Tâches planifiées : actives." : "Tâches planifiées : laissées au bot déjà en cours (console d'inspection).",
    ...(facts.instances ? instanceLines(facts.instances, facts.platforms.includes("discord")) : []),
  ];
  for (const [platform, usages] of Object.entries(facts.missingChannels) as [PlatformName, ChannelUsage[]][]) {
    lines.push(`Canaux non configurés sur ${platformLabel(platform)} : ${usages.join(", ")} — à régler avec « /config canal usage:<usage> canal:<salon> ».`);
  }
  if (Object.keys(facts.missingChannels).length === 0) lines.push("Tous les canaux d'usage sont configurés.");
  return lines.join("\n");
}

/** Who does what when several instances share a PostgreSQL database. */
function instanceLines(facts: InstanceFacts, withDiscord: boolean): string[] {
  const lines = [`Instance : ${facts.self} ; instances qui exécutent les tâches : ${facts.jobs.join(", ") || facts.self}.`];
  if (withDiscord) {
    lines.push(
      facts.discord === facts.self
        ? "Discord : cette instance tient la connexion et répond aux commandes."
        : `Discord : en attente (connexion tenue par ${facts.discord ?? "personne pour l'instant"}) ; cette instance envoie ses rappels et prend le relais si l'autre s'arrête.`,
    );
  }
  return lines;
}
