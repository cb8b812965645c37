import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { z } from "zod";
import { ADMIN_LIST_EXPECTED, adminAccount } from "./core/account-ids.js";
import { blankToUndefined, optionalUrl } from "./env-fields.js";
import { PLATFORM_CATALOG, type PlatformName } from "./platforms/catalog.js";

/** All the descriptors' variables in one shape, each with its own type, so that `Config` knows them. */
type PlatformEnvShape = UnionToIntersection<(typeof PLATFORM_CATALOG)[number]["env"]>;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Every platform's variables (its descriptor's `env`), in the catalog's order. */
const platformEnv = Object.assign({}, ...PLATFORM_CATALOG.map((platform) => platform.env)) as PlatformEnvShape;

/**
 * The environment, validated once at start-up. These names are a fixed interface:
 * deployments and checks rely on them.
 */
export const configSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .default("file:./data/promeneurs.db")
      .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), {
        message: "« file:chemin/vers/base.db » (SQLite) ou « postgresql://… »",
      }),
    ...platformEnv,
    BOT_ADMINS: z
      .string()
      .default("")
      .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
      .refine((list) => list.every((entry) => adminAccount(entry) !== null), { message: ADMIN_LIST_EXPECTED }),
    BOT_TIMEZONE: z
      .string()
      .default("Europe/Paris")
      .refine(isTimeZone, { message: "un fuseau IANA, par exemple « Europe/Paris »" }),
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
  const isSet = (name: string) => Boolean(env[name]?.trim());
  return PLATFORM_CATALOG.flatMap((platform) => platform.crossChecks(isSet));
}

export type Config = z.output<typeof configSchema>;

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("fr-FR", { timeZone });
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

/** Which platforms to connect: those whose variables are set, and the console also when none is. */
export function platformsOf(config: Config): Record<PlatformName, boolean> {
  const configured = new Set(PLATFORM_CATALOG.filter((platform) => platform.configured(config)).map((platform) => platform.name));
  const alone = configured.size === 0;
  return Object.fromEntries(PLATFORM_CATALOG.map((platform) => [platform.name, configured.has(platform.name) || (alone && platform.whenAlone === true)])) as Record<PlatformName, boolean>;
}

/** The site's address as people reach it (behind the reverse proxy), without a trailing slash. */
export function webPublicUrl(config: Config): string | undefined {
  if (config.WEB_PUBLIC_URL) return config.WEB_PUBLIC_URL.replace(/\/+$/, "");
  if (config.WEB_PORT === "off") return undefined;
  return `http://localhost:${config.WEB_PORT}`;
}

/** Values that must never appear in a log line. */
export function secretsOf(config: Config): string[] {
  const platformSecrets = PLATFORM_CATALOG.flatMap((platform) => platform.secrets.map((name) => config[name as keyof Config]));
  return [...platformSecrets, config.WEB_CSV_TOKEN].filter((s): s is string => typeof s === "string" && s !== "");
}
