import { z } from "zod";
import { blankToUndefined } from "../../env-fields.js";
import { definePlatform } from "../descriptor.js";

export const consolePlatform = definePlatform({
  name: "console",
  label: "console",
  labelAfterOn: "la console",
  place: "la console",
  local: true,
  mentionUser: (externalId) => `@${externalId}`,
  // Its « channels » are names typed by the operator, shown as typed.
  mentionChannel: (channelId) => `#${channelId}`,
  // A short word; not offered to people, who link Discord, Slack or Matrix accounts.
  accountId: { pattern: /^[A-Za-z0-9_.-]{1,64}$/ },
  env: {
    BOT_CONSOLE: z.preprocess(blankToUndefined, z.enum(["0", "1"], { message: "« 1 » pour forcer la console, « 0 » ou vide sinon" }).optional()),
  },
  secrets: [],
  crossChecks: () => [],
  configured: (env) => env.BOT_CONSOLE === "1",
  whenAlone: true,
});
