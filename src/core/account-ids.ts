import { isPlatformName, PLATFORM_CATALOG, platformDescriptor, platformLabel, type PlatformName } from "../platforms/catalog.js";
import { UserError } from "./errors.js";
import { joinedList } from "./text-lists.js";

/**
 * The one rule for a platform account id typed by a person (/membre lier, /membre delier, the
 * import, BOT_ADMINS): each platform's pattern (its descriptor in src/platforms/, e.g. a Discord
 * snowflake of 17 to 20 digits, a Slack user id U or W followed by at least 8 capitals or digits,
 * a console name a short word). Anything else cannot be an account and is refused before anything
 * is written.
 */
const OFFERED = PLATFORM_CATALOG.flatMap((platform) => (platform.accountId.shown ? [platform.accountId.shown] : []));

export const ACCOUNT_ID_EXPECTED = `une mention (@personne), ${joinedList(OFFERED.map((shown) => `« ${shown.typed} »`), "ou")}`;

/** What BOT_ADMINS must hold, said in the configuration's error. */
export const ADMIN_LIST_EXPECTED =
  `une liste « ${OFFERED.map((shown) => shown.inAdminList).join(",")} » séparée par des virgules ` +
  `(identifiant ${OFFERED.map((shown) => shown.adminHint).join(", ")})`;

interface AccountRef {
  platform: PlatformName;
  externalId: string;
}

export function isAccountId(platform: PlatformName, externalId: string): boolean {
  return platformDescriptor(platform).accountId.pattern.test(externalId);
}

/** One BOT_ADMINS entry, `platform:id`; null when it is not one. Split at the first colon only: a Matrix id has its own (« matrix:@nom:serveur »). */
export function adminAccount(entry: string): AccountRef | null {
  const colon = entry.indexOf(":");
  const platform = entry.slice(0, colon);
  const externalId = entry.slice(colon + 1);
  return colon > 0 && isPlatformName(platform) && isAccountId(platform, externalId) ? { platform, externalId } : null;
}

const EXPLICIT_ACCOUNT = new RegExp(`^(${PLATFORM_CATALOG.map((platform) => platform.name).join("|")})\\s*:\\s*(\\S+)$`, "i");

/**
 * Reads an account from what a person typed: `discord:<id>`, `slack:<id>`, `console:<name>`,
 * a mention (`<@123…>`, `<@U…|name>`) or a bare id of the current platform.
 */
export function parseAccountRef(text: string, currentPlatform: PlatformName): AccountRef {
  const value = text.trim();
  const explicit = EXPLICIT_ACCOUNT.exec(value);
  const mention = /^<@!?([A-Za-z0-9]+)(\|[^>]*)?>$/.exec(value);
  const platform = explicit ? (explicit[1]!.toLowerCase() as PlatformName) : currentPlatform;
  const externalId = explicit ? explicit[2]! : mention ? mention[1]! : value;
  if (!isAccountId(platform, externalId)) {
    throw new UserError(`« ${value} » n'est pas un compte ${platformLabel(platform)} valable. Forme attendue : ${ACCOUNT_ID_EXPECTED}.`);
  }
  return { platform, externalId };
}
