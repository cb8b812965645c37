import { z } from "zod";
import { channelRef } from "../../core/markup.js";
import { blankToUndefined, optionalString, optionalUrl } from "../../env-fields.js";
import { definePlatform } from "../descriptor.js";

export const discordPlatform = definePlatform({
  name: "discord",
  label: "Discord",
  labelAfterOn: "Discord",
  place: "le serveur Discord du réseau",
  mentionUser: (externalId) => `<@${externalId}>`,
  mentionChannel: channelRef,
  // A snowflake: 17 to 20 digits.
  accountId: {
    pattern: /^\d{17,20}$/,
    shown: { typed: "discord:<identifiant de 17 à 20 chiffres>", inAdminList: "discord:<id>", adminHint: "Discord de 17 à 20 chiffres" },
  },
  env: {
    DISCORD_TOKEN: optionalString,
    DISCORD_GUILD_ID: z.preprocess(
      blankToUndefined,
      z.string().regex(/^\d{15,22}$/, { message: "l'identifiant numérique du serveur Discord (17 à 20 chiffres)" }).optional(),
    ),
    DISCORD_API_URL: optionalUrl,
  },
  secrets: ["DISCORD_TOKEN"],
  crossChecks: (isSet) =>
    isSet("DISCORD_TOKEN") && !isSet("DISCORD_GUILD_ID") ? ["DISCORD_GUILD_ID : obligatoire quand DISCORD_TOKEN est défini (l'identifiant du serveur du réseau)"] : [],
  configured: (env) => Boolean(env.DISCORD_TOKEN),
});
