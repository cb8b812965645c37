import { webApi } from "@slack/bolt";
import { ApplicationFlags, DiscordAPIError, REST, Routes, type APIApplication, type APIUser } from "discord.js";
import type { Config } from "../config.js";
import type { Check } from "./diagnostic.js";

const PORTAL = "https://discord.com/developers/applications";

/** Token, membership of the network's server and the Server Members intent, through discord.js's REST client. */
export async function checkDiscord(config: Config): Promise<Check[]> {
  const rest = new REST({ version: "10", retries: 0, timeout: 10_000, ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL.replace(/\/+$/, "") } : {}) }).setToken(config.DISCORD_TOKEN!);
  let bot: APIUser;
  try {
    bot = (await rest.get(Routes.user())) as APIUser;
  } catch (err) {
    return [{ label: "Discord : jeton", ok: false, detail: discordProblem(err, "jeton refusé"), fix: `Copiez le jeton du bot (${PORTAL} → votre application → Bot → Reset Token) dans DISCORD_TOKEN.` }];
  }
  const checks: Check[] = [{ label: "Discord : jeton", ok: true, detail: `valide (bot ${bot.username})` }];
  try {
    const app = (await rest.get(Routes.currentApplication())) as APIApplication;
    const members = ((app.flags ?? 0) & (ApplicationFlags.GatewayGuildMembers | ApplicationFlags.GatewayGuildMembersLimited)) !== 0;
    checks.push(members
      ? { label: "Discord : intent Server Members", ok: true, detail: "activé" }
      : { label: "Discord : intent Server Members", ok: false, detail: "désactivé : les arrivées et départs de membres ne sont pas vus", fix: `${PORTAL} → votre application → Bot → Privileged Gateway Intents → activez « Server Members Intent ».` });
  } catch (err) {
    checks.push({ label: "Discord : intent Server Members", ok: false, detail: discordProblem(err, "non vérifiable"), fix: "Relancez le diagnostic ; si cela persiste, vérifiez la connexion à Discord." });
  }
  try {
    await rest.get(Routes.guildMember(config.DISCORD_GUILD_ID!, bot.id));
    checks.push({ label: "Discord : serveur", ok: true, detail: `le bot est sur le serveur ${config.DISCORD_GUILD_ID}` });
  } catch (err) {
    checks.push({ label: "Discord : serveur", ok: false, detail: discordProblem(err, `le bot n'est pas sur le serveur ${config.DISCORD_GUILD_ID}`), fix: `Invitez le bot (${PORTAL} → OAuth2 → URL Generator, portées « bot » et « applications.commands ») ou corrigez DISCORD_GUILD_ID.` });
  }
  return checks;
}

function discordProblem(err: unknown, fallback: string): string {
  if (err instanceof DiscordAPIError) return err.status === 401 ? "jeton refusé par Discord" : `${fallback} (Discord répond ${err.status})`;
  return `${fallback} (Discord injoignable)`;
}

/** The bot token through Slack's own Web API client (auth.test). */
export async function checkSlack(config: Config): Promise<Check[]> {
  const client = new webApi.WebClient(config.SLACK_BOT_TOKEN, { retryConfig: { retries: 0 }, ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL.replace(/\/*$/, "/") } : {}) });
  try {
    const auth = await client.auth.test();
    return [{ label: "Slack : jeton", ok: true, detail: `valide (espace ${auth.team ?? auth.team_id ?? "?"})` }];
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    const detail = code === "invalid_auth" || code === "not_authed" || code === "token_revoked" ? "jeton refusé par Slack" : "Slack injoignable ou en erreur";
    return [{ label: "Slack : jeton", ok: false, detail, fix: "https://api.slack.com/apps → votre application → OAuth & Permissions : copiez le « Bot User OAuth Token » (xoxb-…) dans SLACK_BOT_TOKEN." }];
  }
}
