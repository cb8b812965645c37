import { webApi } from "@slack/bolt";
import type { Config } from "../../config.js";
import type { ChannelUsage } from "../../core/settings.js";
import { byChannel, type SetupCheck as Check, type UsageChannels } from "../../core/setup-check.js";
import { SLACK_BOT_SCOPES } from "./manifest.js";

// The diagnostic's Slack checks (npm run diagnostic, /config verifier), through Slack's own Web API client.
const SLACK_APPS = "https://api.slack.com/apps";

/** The tokens and scopes through Slack's own Web API client, and each usage channel the bot must post in. */
export async function checkSlack(config: Config, channels: UsageChannels = {}): Promise<Check[]> {
  const options = { retryConfig: { retries: 0 }, ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL.replace(/\/*$/, "/") } : {}) };
  const client = new webApi.WebClient(config.SLACK_BOT_TOKEN, options);
  let auth: webApi.AuthTestResponse;
  try {
    auth = await client.auth.test();
  } catch (err) {
    return [{ label: "Slack : jeton", ok: false, detail: slackProblem(err), fix: `${SLACK_APPS} → votre application → OAuth & Permissions : copiez le « Bot User OAuth Token » (xoxb-…) dans SLACK_BOT_TOKEN.` }];
  }
  const checks: Check[] = [{ label: "Slack : jeton", ok: true, detail: `valide (espace ${auth.team ?? auth.team_id ?? "?"})` }, scopeCheck(auth.response_metadata?.scopes)];
  if (config.SLACK_APP_TOKEN) checks.push(await appTokenCheck(config.SLACK_APP_TOKEN, options));
  for (const [channelId, usages] of byChannel(channels)) checks.push(await slackChannelCheck(client, channelId, usages, auth.user ?? "promeneurs"));
  return checks;
}

/** Slack sends the token's scopes with every answer (`x-oauth-scopes`); the manifest says which the bot needs. */
function scopeCheck(granted: string[] | undefined): Check {
  const label = "Slack : portées";
  if (!granted) return { label, ok: false, detail: "Slack n'a pas indiqué les portées du jeton", fix: "Relancez le diagnostic ; si cela persiste, vérifiez SLACK_API_URL." };
  const missing = SLACK_BOT_SCOPES.filter((s) => !granted.includes(s));
  return missing.length === 0
    ? { label, ok: true, detail: `les ${SLACK_BOT_SCOPES.length} portées du manifeste sont accordées` }
    : {
        label,
        ok: false,
        detail: `manquantes : ${missing.join(", ")}`,
        fix: `${SLACK_APPS} → votre application → OAuth & Permissions → Bot Token Scopes : ajoutez ${missing.join(", ")} (ou collez le manifeste de npm run slack:manifest), puis « Reinstall to Workspace ».`,
      };
}

/** Socket Mode connects with the app-level token: asking for a connection address proves it. */
async function appTokenCheck(appToken: string, options: webApi.WebClientOptions): Promise<Check> {
  const label = "Slack : jeton d'application (Socket Mode)";
  try {
    await new webApi.WebClient(appToken, options).apps.connections.open();
    return { label, ok: true, detail: "valide" };
  } catch (err) {
    return { label, ok: false, detail: slackProblem(err), fix: `${SLACK_APPS} → votre application → Basic Information → App-Level Tokens : créez un jeton (xapp-…) avec la portée connections:write et copiez-le dans SLACK_APP_TOKEN.` };
  }
}

async function slackChannelCheck(client: webApi.WebClient, channelId: string, usages: ChannelUsage[], botName: string): Promise<Check> {
  const what = usages.join(", ");
  try {
    const { channel } = await client.conversations.info({ channel: channelId });
    const label = `Slack : salon #${channel?.name ?? channelId} (${what})`;
    // chat:write.public lets the bot post in any public channel; a private one needs it as a member.
    if (channel?.is_archived) return { label, ok: false, detail: "salon archivé", fix: `Désarchivez le salon, ou tapez /config canal usage:${usages[0]} canal:<salon> dans un autre.` };
    if (channel?.is_private && !channel.is_member) return { label, ok: false, detail: "salon privé dont le bot n'est pas membre : il ne peut pas y écrire", fix: `Dans #${channel.name}, tapez /invite @${botName}.` };
    return { label, ok: true, detail: "le bot peut y écrire" };
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    return {
      label: `Slack : salon des usages ${what}`,
      ok: false,
      detail: code === "channel_not_found" ? `salon ${channelId} introuvable (supprimé, ou privé sans le bot)` : slackProblem(err),
      fix: `Invitez le bot dans le salon voulu (/invite), puis tapez /config canal usage:${usages[0]} canal:<salon>.`,
    };
  }
}

function slackProblem(err: unknown): string {
  const code = (err as { data?: { error?: string } }).data?.error;
  return code === "invalid_auth" || code === "not_authed" || code === "token_revoked" || code === "account_inactive" ? "jeton refusé par Slack" : "Slack injoignable ou en erreur";
}
