import { webApi } from "@slack/bolt";
import {
  ApplicationFlags,
  ChannelType,
  Client,
  DiscordAPIError,
  PermissionFlagsBits,
  REST,
  Routes,
  type APIApplication,
  type APIUser,
  type Guild,
  type GuildBasedChannel,
  type GuildMember,
} from "discord.js";
import type { Config } from "../config.js";
import type { ChannelUsage } from "../core/settings.js";
import { SLACK_BOT_SCOPES } from "../platforms/slack/manifest.js";
import type { SetupCheck as Check } from "../core/setup-check.js";

const PORTAL = "https://discord.com/developers/applications";
const SLACK_APPS = "https://api.slack.com/apps";

/** The channel id set with `/config canal` for each usage of one platform. */
export type UsageChannels = Partial<Record<ChannelUsage, string>>;

/** What the bot does in a usage channel, named as Discord's French interface names the permission. */
const CHANNEL_PERMISSIONS: readonly [bigint, string][] = [
  [PermissionFlagsBits.ViewChannel, "Voir le salon"],
  [PermissionFlagsBits.SendMessages, "Envoyer des messages"],
  [PermissionFlagsBits.EmbedLinks, "Intégrer des liens"],
  [PermissionFlagsBits.AttachFiles, "Joindre des fichiers"],
  [PermissionFlagsBits.ManageEvents, "Gérer les événements"],
];

/** Token, membership of the network's server, the Server Members intent and the bot's permissions in each usage channel. */
export async function checkDiscord(config: Config, channels: UsageChannels = {}): Promise<Check[]> {
  const api = config.DISCORD_API_URL ? { api: config.DISCORD_API_URL.replace(/\/+$/, "") } : {};
  const rest = new REST({ version: "10", retries: 0, timeout: 10_000, ...api }).setToken(config.DISCORD_TOKEN!);
  let bot: APIUser;
  try {
    bot = (await rest.get(Routes.user())) as APIUser;
  } catch (err) {
    return [{ label: "Discord : jeton", ok: false, detail: discordProblem(err, "jeton refusé"), fix: `Copiez le jeton du bot (${PORTAL} → votre application → Bot → Reset Token) dans DISCORD_TOKEN.` }];
  }
  const checks: Check[] = [{ label: "Discord : jeton", ok: true, detail: `valide (bot ${bot.username})` }, await intentCheck(rest)];
  try {
    await rest.get(Routes.guildMember(config.DISCORD_GUILD_ID!, bot.id));
    checks.push({ label: "Discord : serveur", ok: true, detail: `le bot est sur le serveur ${config.DISCORD_GUILD_ID}` });
  } catch (err) {
    checks.push({ label: "Discord : serveur", ok: false, detail: discordProblem(err, `le bot n'est pas sur le serveur ${config.DISCORD_GUILD_ID}`), fix: `Invitez le bot (${PORTAL} → OAuth2 → URL Generator, portées « bot » et « applications.commands ») ou corrigez DISCORD_GUILD_ID.` });
    return checks;
  }
  if (Object.keys(channels).length > 0) checks.push(...(await channelPermissionChecks(config, bot.id, channels, api)));
  return checks;
}

async function intentCheck(rest: REST): Promise<Check> {
  try {
    const app = (await rest.get(Routes.currentApplication())) as APIApplication;
    const members = ((app.flags ?? 0) & (ApplicationFlags.GatewayGuildMembers | ApplicationFlags.GatewayGuildMembersLimited)) !== 0;
    return members
      ? { label: "Discord : intent Server Members", ok: true, detail: "activé" }
      : { label: "Discord : intent Server Members", ok: false, detail: "désactivé : les arrivées et départs de membres ne sont pas vus", fix: `${PORTAL} → votre application → Bot → Privileged Gateway Intents → activez « Server Members Intent ».` };
  } catch (err) {
    return { label: "Discord : intent Server Members", ok: false, detail: discordProblem(err, "non vérifiable"), fix: "Relancez le diagnostic ; si cela persiste, vérifiez la connexion à Discord." };
  }
}

/**
 * discord.js computes the permissions (roles, @everyone, the channel's overwrites, Administrator)
 * exactly as the bot will meet them. The client is filled over REST only: no gateway session, so
 * the diagnostic can run next to the bot without taking its connection.
 */
async function channelPermissionChecks(config: Config, botId: string, channels: UsageChannels, api: { api?: string }): Promise<Check[]> {
  const client = new Client({ intents: [], rest: { retries: 0, timeout: 10_000, ...api } });
  client.rest.setToken(config.DISCORD_TOKEN!);
  try {
    const guild = await client.guilds.fetch({ guild: config.DISCORD_GUILD_ID!, withCounts: false });
    const [me, all] = await Promise.all([guild.members.fetch(botId), guild.channels.fetch()]);
    return byChannel(channels).map(([channelId, usages]) => channelCheck(guild, me, all.get(channelId) ?? undefined, channelId, usages));
  } catch (err) {
    return [{ label: "Discord : permissions", ok: false, detail: discordProblem(err, "non vérifiables"), fix: "Relancez le diagnostic ; si cela persiste, vérifiez la connexion à Discord." }];
  } finally {
    await client.destroy();
  }
}

/** Several usages may share one channel: one line per channel. */
function byChannel(channels: UsageChannels): [string, ChannelUsage[]][] {
  const grouped = new Map<string, ChannelUsage[]>();
  for (const [usage, id] of Object.entries(channels) as [ChannelUsage, string][]) grouped.set(id, [...(grouped.get(id) ?? []), usage]);
  return [...grouped];
}

function channelCheck(guild: Guild, me: GuildMember, channel: GuildBasedChannel | undefined, channelId: string, usages: ChannelUsage[]): Check {
  const what = usages.join(", ");
  if (!channel || !channel.isTextBased() || channel.type === ChannelType.GuildVoice) {
    return {
      label: `Discord : salon des usages ${what}`,
      ok: false,
      detail: channel ? `#${channel.name} n'est pas un salon textuel` : `salon ${channelId} introuvable sur le serveur (supprimé ?)`,
      fix: `Dans Discord, un membre de l'équipe tape /config canal usage:${usages[0]} canal:<salon> avec un salon textuel existant.`,
    };
  }
  const label = `Discord : salon #${channel.name} (${what})`;
  const granted = channel.permissionsFor(me);
  const missing = CHANNEL_PERMISSIONS.filter(([bit]) => !granted.has(bit)).map(([, name]) => name);
  if (missing.length === 0) return { label, ok: true, detail: "le bot peut voir, écrire, intégrer des liens, joindre des fichiers et gérer les événements" };
  const role = guild.roles.botRoleFor(me.user)?.name ?? me.user.username;
  return {
    label,
    ok: false,
    detail: `il manque au bot : ${missing.join(", ")}`,
    fix: `Discord → clic droit sur #${channel.name} → Modifier le salon → Permissions → rôle « ${role} » : autorisez ${missing.join(", ")} (et retirez toute interdiction sur ces permissions pour @everyone ou ce rôle). « Gérer les événements » se donne aussi dans Paramètres du serveur → Rôles → « ${role} ».`,
  };
}

function discordProblem(err: unknown, fallback: string): string {
  if (err instanceof DiscordAPIError) return err.status === 401 ? "jeton refusé par Discord" : `${fallback} (Discord répond ${err.status})`;
  return `${fallback} (Discord injoignable)`;
}

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
