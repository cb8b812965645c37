import { z } from "zod";
import { channelRef } from "../../core/markup.js";
import { blankToUndefined, optionalString, optionalUrl } from "../../env-fields.js";
import { definePlatform } from "../descriptor.js";

export const matrixPlatform = definePlatform({
  name: "matrix",
  label: "Matrix",
  labelAfterOn: "Matrix",
  place: "les salons Matrix du réseau",
  // The user id itself: the renderer turns it into a pill listed in `m.mentions`.
  mentionUser: (externalId) => externalId,
  mentionChannel: channelRef,
  accountId: {
    pattern: /^@[a-z0-9._=\-/+]+:[A-Za-z0-9.-]+(?::\d{1,5})?$/,
    shown: { typed: "matrix:@nom:serveur", inAdminList: "matrix:@nom:serveur", adminHint: "Matrix @nom:serveur" },
  },
  env: {
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
  },
  secrets: ["MATRIX_ACCESS_TOKEN", "MATRIX_PASSWORD"],
  crossChecks: (isSet) => {
    const problems: string[] = [];
    const login = isSet("MATRIX_ACCESS_TOKEN") || isSet("MATRIX_USER") || isSet("MATRIX_PASSWORD");
    if (login && !isSet("MATRIX_HOMESERVER_URL")) problems.push("MATRIX_HOMESERVER_URL : obligatoire pour se connecter à Matrix (l'adresse du serveur, par exemple https://matrix.agent.tchap.gouv.fr)");
    if (isSet("MATRIX_HOMESERVER_URL") && !isSet("MATRIX_ACCESS_TOKEN") && !(isSet("MATRIX_USER") && isSet("MATRIX_PASSWORD"))) problems.push("MATRIX_ACCESS_TOKEN : obligatoire avec MATRIX_HOMESERVER_URL, sauf avec MATRIX_USER et MATRIX_PASSWORD (connexion une seule fois)");
    return problems;
  },
  configured: (env) => Boolean(env.MATRIX_HOMESERVER_URL),
});
