import type { WebClient } from "@slack/web-api";
import type { Membership, PlatformUser } from "../../core/interaction.js";

/** The person's names, asked from Slack only when the core needs them (first contact). */
export async function loadProfile(client: WebClient, id: string): Promise<Partial<PlatformUser>> {
  const info = await client.users.info({ user: id });
  const profile = info.user?.profile;
  return {
    displayName: profile?.display_name || profile?.real_name || info.user?.real_name || info.user?.name || id,
    firstName: profile?.first_name || undefined,
  };
}

/** Slack's word on one person: a full member of the workspace, a guest, someone of another organisation, or gone. */
export async function askMembership(client: WebClient, userId: string, teamId: string): Promise<Membership> {
  try {
    const { user } = await client.users.info({ user: userId });
    const u = user as { deleted?: boolean; is_restricted?: boolean; is_ultra_restricted?: boolean; is_stranger?: boolean; team_id?: string } | undefined;
    if (!u || u.deleted) return "departed";
    if (u.is_restricted || u.is_ultra_restricted) return "guest";
    if (u.is_stranger || (teamId && u.team_id && u.team_id !== teamId)) return "outsider";
    return "member";
  } catch (err) {
    if ((err as { data?: { error?: string } }).data?.error !== "user_not_found") throw err;
    return "outsider";
  }
}
