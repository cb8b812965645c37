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
import type { Config } from "../../config.js";
import type { ChannelUsage } from "../../core/settings.js";
import { byChannel, type SetupCheck as Check, type UsageChannels } from "../../core/setup-check.js";

// The diagnostic's Discord checks (npm run diagnostic, /config verifier), through discord.js's REST
// client as the bot itself talks to Discord.
const PORTAL = "https://discord.com/developers/applications";

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
