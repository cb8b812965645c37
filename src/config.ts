import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { z } from "zod";
import { isAccountId } from "./core/account-ids.js";

/**
 * The environment, validated once at start-up. These names are a fixed interface:
 * deployments and checks rely on them.
 */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());
const optionalUrl = z.preprocess(
  blankToUndefined,
  z.url({ message: "une URL http(s)://…" }).optional(),
);

/** `platform:id` with the one account-id rule (src/core/account-ids.ts). */
const isAdminEntry = (entry: string) => {
  // Split at the first colon only: a Matrix id has its own (« matrix:@nom:serveur »).
  const colon = entry.indexOf(":");
  const platform = entry.slice(0, colon);
  const id = entry.slice(colon + 1);
  return colon > 0 && (platform === "discord" || platform === "slack" || platform === "matrix" || platform === "console") && isAccountId(platform, id);
};

export const configSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .default("file:./data/promeneurs.db")
      .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), {
        message: "« file:chemin/vers/base.db » (SQLite) ou « postgresql://… »",
      }),
    DISCORD_TOKEN: optionalString,
    DISCORD_GUILD_ID: z.preprocess(
      blankToUndefined,
      z.string().regex(/^\d{15,22}$/, { message: "l'identifiant numérique du serveur Discord (17 à 20 chiffres)" }).optional(),
    ),
    DISCORD_API_URL: optionalUrl,
    SLACK_BOT_TOKEN: z.preprocess(
      blankToUndefined,
      z.string().startsWith("xoxb-", { message: "un jeton de bot Slack commençant par « xoxb- »" }).optional(),
    ),
    SLACK_APP_TOKEN: z.preprocess(
      blankToUndefined,
      z.string().startsWith("xapp-", { message: "un jeton d'application Slack commençant par « xapp- »" }).optional(),
    ),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_PORT: z.preprocess(
      blankToUndefined,
      z.coerce.number({ message: "un numéro de port (1 à 65535)" }).int().min(0).max(65535, { message: "un numéro de port (1 à 65535)" }).optional(),
    ),
    SLACK_API_URL: optionalUrl,
    MATRIX_HOMESERVER_URL: optionalUrl,
    MATRIX_ACCESS_TOKEN: optionalString,
    MATRIX_USER: optionalString,
    MATRIX_PASSWORD: optionalString,
    /** The network's rooms the bot serves: ids (!…:serveur) or aliases (#…:serveur), comma-separated. */
    MATRIX_ROOMS: z
      .string()
      .default("")
      .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
      .refine((list) => list.every((r) => /^[!#][^:\s]+:[A-Za-z0-9.-]+(?::\d{1,5})?$/.test(r)), {
        message: "une liste de salons Matrix « !identifiant:serveur » ou « #alias:serveur » séparés par des virgules",
      }),
    /** Where the bot's Matrix device, keys and session are kept (never a new device per start). */
    MATRIX_DATA_DIR: z.preprocess(blankToUndefined, z.string().default("./data/matrix")),
    BOT_ADMINS: z
      .string()
      .default("")
      .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
      .refine((list) => list.every(isAdminEntry), {
        message: "une liste « discord:<id>,slack:<id>,matrix:@nom:serveur » séparée par des virgules (identifiant Discord de 17 à 20 chiffres, Slack U… ou W…, Matrix @nom:serveur)",
      }),
    BOT_TIMEZONE: z
      .string()
      .default("Europe/Paris")
      .refine(isTimeZone, { message: "un fuseau IANA, par exemple « Europe/Paris »" }),
    BOT_CONSOLE: z.preprocess(
      blankToUndefined,
      z.enum(["0", "1"], { message: "« 1 » pour forcer la console, « 0 » ou vide sinon" }).optional(),
    ),
    BACKUP_DIR: z.preprocess(blankToUndefined, z.string().default("./data/sauvegardes")),
    // The watch reads feeds and pages only on public addresses; « 1 » lifts that check (an
    // intranet feed, tests serving feeds on 127.0.0.1). Off by default.
    WATCH_ALLOW_PRIVATE_HOSTS: z.preprocess(
      blankToUndefined,
      z.enum(["0", "1"], { message: "« 1 » pour lire aussi les adresses privées (intranet), « 0 » ou vide sinon" }).default("0").transform((v) => v === "1"),
    ),
    WEB_HOST: z.preprocess(blankToUndefined, z.string().trim().default("127.0.0.1")),
    WEB_PORT: z.preprocess(
      blankToUndefined,
      z
        .union([z.literal("off"), z.coerce.number().int().min(0).max(65535)], { message: "un numéro de port (1 à 65535) ou « off » pour ne pas ouvrir le site" })
        .default(8088),
    ),
    WEB_PUBLIC_URL: optionalUrl,
    /** Staff token for /annuaire.csv; unset, the export is off. */
    WEB_CSV_TOKEN: z.preprocess(
      blankToUndefined,
      z.string().trim().min(24, { message: "un jeton de 24 caractères au moins (par exemple « openssl rand -hex 24 »)" }).optional(),
    ),
    /** Requests a minute per address before « 429 Trop de requêtes ». */
    WEB_RATE_LIMIT: z.preprocess(
      blankToUndefined,
      z.coerce.number({ message: "un nombre de requêtes par minute" }).int().min(1, { message: "un nombre de requêtes par minute" }).default(120),
    ),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        message: "fatal, error, warn, info, debug, trace ou silent",
      })
      .default("info"),
  });

/**
 * Rules between variables, checked on the raw values so they are reported together with
 * the per-variable problems (not only once those are fixed).
 */
function crossChecks(env: Record<string, string | undefined>): string[] {
  const set = (name: string) => Boolean(env[name]?.trim());
  const problems: string[] = [];
  if (set("DISCORD_TOKEN") && !set("DISCORD_GUILD_ID")) problems.push("DISCORD_GUILD_ID : obligatoire quand DISCORD_TOKEN est défini (l'identifiant du serveur du réseau)");
  if (set("SLACK_BOT_TOKEN") && !set("SLACK_APP_TOKEN") && !set("SLACK_SIGNING_SECRET")) problems.push("SLACK_APP_TOKEN : obligatoire avec SLACK_BOT_TOKEN (mode Socket), sauf en mode HTTP avec SLACK_SIGNING_SECRET et SLACK_PORT");
  if (set("SLACK_SIGNING_SECRET") && !set("SLACK_PORT")) problems.push("SLACK_PORT : obligatoire avec SLACK_SIGNING_SECRET (mode HTTP) : le port d'écoute");
  if ((set("SLACK_APP_TOKEN") || set("SLACK_SIGNING_SECRET")) && !set("SLACK_BOT_TOKEN")) problems.push("SLACK_BOT_TOKEN : obligatoire pour se connecter à Slack (jeton « xoxb-… »)");
  const matrixLogin = set("MATRIX_ACCESS_TOKEN") || set("MATRIX_USER") || set("MATRIX_PASSWORD");
  if (matrixLogin && !set("MATRIX_HOMESERVER_URL")) problems.push("MATRIX_HOMESERVER_URL : obligatoire pour se connecter à Matrix (l'adresse du serveur, par exemple https://matrix.agent.tchap.gouv.fr)");
  if (set("MATRIX_HOMESERVER_URL") && !set("MATRIX_ACCESS_TOKEN") && !(set("MATRIX_USER") && set("MATRIX_PASSWORD"))) problems.push("MATRIX_ACCESS_TOKEN : obligatoire avec MATRIX_HOMESERVER_URL, sauf avec MATRIX_USER et MATRIX_PASSWORD (connexion une seule fois)");
  return problems;
}

export type Config = z.output<typeof configSchema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("fr-FR", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide :\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads the optional `.env` file (the real environment wins over it) then validates. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = ".env"): Config {
  const fromFile = envFile && existsSync(envFile) ? parseEnv(readFileSync(envFile, "utf8")) : {};
  const raw = { ...fromFile, ...env };
  const result = configSchema.safeParse(raw);
  const problems = result.success ? [] : result.error.issues.map((i) => `${String(i.path[0] ?? "?")} : attendu ${i.message}`);
  problems.push(...crossChecks(raw));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

export function platformsOf(config: Config): { discord: boolean; slack: boolean; matrix: boolean; console: boolean } {
  const discord = Boolean(config.DISCORD_TOKEN);
  const slack = Boolean(config.SLACK_BOT_TOKEN);
  const matrix = Boolean(config.MATRIX_HOMESERVER_URL);
  return { discord, slack, matrix, console: config.BOT_CONSOLE === "1" || (!discord && !slack && !matrix) };
}

/** The site's address as people reach it (behind the reverse proxy), without a trailing slash. */
export function webPublicUrl(config: Config): string | undefined {
  if (config.WEB_PUBLIC_URL) return config.WEB_PUBLIC_URL.replace(/\/+$/, "");
  if (config.WEB_PORT === "off") return undefined;
  return `http://localhost:${config.WEB_PORT}`;
}

/** Values that must never appear in a log line. */
export function secretsOf(config: Config): string[] {
  return [config.DISCORD_TOKEN, config.SLACK_BOT_TOKEN, config.SLACK_APP_TOKEN, config.SLACK_SIGNING_SECRET, config.MATRIX_ACCESS_TOKEN, config.MATRIX_PASSWORD, config.WEB_CSV_TOKEN].filter(
    (s): s is string => Boolean(s),
  );
}
