import { z } from "zod";
import { channelRef } from "../../core/markup.js";
import { blankToUndefined, optionalString, optionalUrl } from "../../env-fields.js";
import { definePlatform } from "../descriptor.js";

const PORT = "un numéro de port (1 à 65535)";

export const slackPlatform = definePlatform({
  name: "slack",
  label: "Slack",
  labelAfterOn: "Slack",
  place: "l'espace Slack du réseau",
  mentionUser: (externalId) => `<@${externalId}>`,
  mentionChannel: channelRef,
  // U or W followed by at least 8 capitals or digits.
  accountId: {
    pattern: /^[UW][A-Z0-9]{8,}$/,
    shown: { typed: "slack:<identifiant U… ou W…>", inAdminList: "slack:<id>", adminHint: "Slack U… ou W…" },
  },
  env: {
    SLACK_BOT_TOKEN: z.preprocess(blankToUndefined, z.string().startsWith("xoxb-", { message: "un jeton de bot Slack commençant par « xoxb- »" }).optional()),
    SLACK_APP_TOKEN: z.preprocess(blankToUndefined, z.string().startsWith("xapp-", { message: "un jeton d'application Slack commençant par « xapp- »" }).optional()),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_PORT: z.preprocess(blankToUndefined, z.coerce.number({ message: PORT }).int().min(0).max(65535, { message: PORT }).optional()),
    SLACK_API_URL: optionalUrl,
  },
  secrets: ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"],
  crossChecks: (isSet) => {
    const problems: string[] = [];
    if (isSet("SLACK_BOT_TOKEN") && !isSet("SLACK_APP_TOKEN") && !isSet("SLACK_SIGNING_SECRET")) problems.push("SLACK_APP_TOKEN : obligatoire avec SLACK_BOT_TOKEN (mode Socket), sauf en mode HTTP avec SLACK_SIGNING_SECRET et SLACK_PORT");
    if (isSet("SLACK_SIGNING_SECRET") && !isSet("SLACK_PORT")) problems.push("SLACK_PORT : obligatoire avec SLACK_SIGNING_SECRET (mode HTTP) : le port d'écoute");
    if ((isSet("SLACK_APP_TOKEN") || isSet("SLACK_SIGNING_SECRET")) && !isSet("SLACK_BOT_TOKEN")) problems.push("SLACK_BOT_TOKEN : obligatoire pour se connecter à Slack (jeton « xoxb-… »)");
    return problems;
  },
  configured: (env) => Boolean(env.SLACK_BOT_TOKEN),
});
