import type { CommandDef } from "../../bot/command.js";
import { usage } from "../../bot/command.js";

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Scopes the bot needs: answer commands, post and DM, read who people are, share files, pin. */
export const SLACK_BOT_SCOPES = [
  "commands",
  "chat:write",
  "chat:write.public",
  "im:write",
  "users:read",
  "channels:read",
  "groups:read",
  "files:write",
  "pins:write",
  // Read back before resending a job's message after a crash (the delivery key in its metadata).
  "im:history",
  "channels:history",
  "groups:history",
] as const;

/**
 * The Slack app manifest, derived from the same declarations as Discord's commands.
 * Without `requestUrl` the app uses Socket Mode; with it, signed HTTP requests to that URL.
 */
export function slackManifest(commands: readonly CommandDef[], requestUrl?: string): Record<string, unknown> {
  return {
    display_information: {
      name: "Promeneurs du Net 88",
      description: "Le bot du réseau des Promeneurs du Net des Vosges",
      background_color: "#1d4f91",
      long_description:
        "Outil de l'animateur du réseau départemental des Promeneurs du Net des Vosges : annuaire, rencontres, sondages, accueil des nouveaux, veille et tableau de bord d'activité pour la Caf.",
    },
    features: {
      bot_user: { display_name: "Promeneurs du Net", always_online: true },
      slash_commands: commands.map((c) => {
        const hint = c.subcommands.length === 1 && c.subcommands[0]!.name === ""
          ? usage(c, c.subcommands[0]!).replace(`/${c.name}`, "").trim()
          : c.subcommands.map((s) => s.name).join(" | ");
        return {
          command: `/${c.name}`,
          description: cut(c.description, 100),
          ...(hint ? { usage_hint: cut(hint, 100) } : {}),
          // Mentions and channels arrive as <@U…>/<#C…> so options can name them unambiguously.
          should_escape: true,
          ...(requestUrl ? { url: requestUrl } : {}),
        };
      }),
    },
    oauth_config: { scopes: { bot: [...SLACK_BOT_SCOPES] } },
    settings: {
      // Arrivals start a newcomer's welcome journey; departures stop it.
      event_subscriptions: { ...(requestUrl ? { request_url: requestUrl } : {}), bot_events: ["team_join", "member_joined_channel", "member_left_channel"] },
      interactivity: { is_enabled: true, ...(requestUrl ? { request_url: requestUrl } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !requestUrl,
      token_rotation_enabled: false,
    },
  };
}
