import { UserError } from "./errors.js";
import type { PlatformName } from "./interaction.js";

/**
 * The one rule for a platform account id typed by a person (/membre lier, /membre delier, the
 * import, BOT_ADMINS): a Discord snowflake has 17 to 20 digits, a Slack user id is U or W followed
 * by at least 8 capitals or digits, a console name is a short word. Anything else cannot be an
 * account and is refused before anything is written.
 */
export const ACCOUNT_ID_PATTERNS: Record<PlatformName, RegExp> = {
  discord: /^\d{17,20}$/,
  slack: /^[UW][A-Z0-9]{8,}$/,
  matrix: /^@[a-z0-9._=\-/+]+:[A-Za-z0-9.-]+(?::\d{1,5})?$/,
  console: /^[A-Za-z0-9_.-]{1,64}$/,
};

export const ACCOUNT_ID_EXPECTED =
  "une mention (@personne), « discord:<identifiant de 17 à 20 chiffres> », « slack:<identifiant U… ou W…> » ou « matrix:@nom:serveur »";

export interface AccountRef {
  platform: PlatformName;
  externalId: string;
}

export function isAccountId(platform: PlatformName, externalId: string): boolean {
  return ACCOUNT_ID_PATTERNS[platform].test(externalId);
}

/**
 * Reads an account from what a person typed: `discord:<id>`, `slack:<id>`, `console:<name>`,
 * a mention (`<@123…>`, `<@U…|name>`) or a bare id of the current platform.
 */
export function parseAccountRef(text: string, currentPlatform: PlatformName): AccountRef {
  const value = text.trim();
  const explicit = /^(discord|slack|matrix|console)\s*:\s*(\S+)$/i.exec(value);
  const mention = /^<@!?([A-Za-z0-9]+)(\|[^>]*)?>$/.exec(value);
  const platform = explicit ? (explicit[1]!.toLowerCase() as PlatformName) : currentPlatform;
  const externalId = explicit ? explicit[2]! : mention ? mention[1]! : value;
  if (!isAccountId(platform, externalId)) {
    throw new UserError(`« ${value} » n'est pas un compte ${platformLabel(platform)} valable. Forme attendue : ${ACCOUNT_ID_EXPECTED}.`);
  }
  return { platform, externalId };
}

export function platformLabel(p: PlatformName): string {
  return p === "discord" ? "Discord" : p === "slack" ? "Slack" : p === "matrix" ? "Matrix" : "console";
}
