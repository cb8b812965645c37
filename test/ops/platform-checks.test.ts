/**
 * npm run diagnostic, the platform side: the bot's permissions in each usage channel (computed by
 * discord.js from the real roles and overwrites the emulated Discord serves), Slack's tokens and
 * scopes against the manifest and each usage channel, and the watch sources that keep failing.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runDiagnostic } from "../../src/ops/diagnostic.js";
import { SLACK_BOT_SCOPES } from "../../src/platforms/slack/manifest.js";
import { openStore } from "../../src/store/index.js";
import { DEFAULT_BOT_PERMISSIONS, Perm, startDiscordEmulator, type DiscordEmulator } from "../emulators/discord/index.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { freshStoreUrl } from "../store/fixture.js";
import { discordEnv, slackEnv } from "../helpers/env.js";

let discord: DiscordEmulator | undefined;
let slack: SlackEmulator | undefined;
afterEach(async () => {
  await discord?.close();
  await slack?.close();
  discord = slack = undefined;
});

const now = new Date("2026-03-02T08:00:00Z");

/** Sets usage channels and watch sources through Prisma, as /config canal and the watch write them. */
async function seed(url: string, channels: Record<string, string>, sources: { name: string; failures: number; error: string }[]): Promise<void> {
  const store = await openStore(url);
  try {
    for (const [key, value] of Object.entries(channels)) await store.prisma.setting.create({ data: { key, value, updatedAt: now } });
    for (const [i, s] of sources.entries()) {
      await store.prisma.watchSource.create({
        data: {
          url: `https://exemple.fr/flux-${i}.xml`,
          urlKey: `exemple.fr/flux-${i}.xml`,
          name: s.name,
          category: "autre",
          createdAt: now,
          updatedAt: now,
          failures: s.failures,
          failingSince: s.failures ? new Date("2026-02-27T10:00:00Z") : null,
          lastError: s.failures ? s.error : null,
        },
      });
    }
  } finally {
    await store.close();
  }
}

describe("diagnostic of the platforms", () => {
  it("names each missing permission, missing channel, missing scope and failing source, with a fix for each", async () => {
    discord = await startDiscordEmulator({ botPermissions: DEFAULT_BOT_PERMISSIONS & ~Perm.ManageEvents });
    const everyone = discord.guildId;
    const annonces = discord.addChannel({ name: "annonces", permissionOverwrites: [{ id: discord.botRoleId, type: 0, deny: Perm.SendMessages | Perm.AttachFiles }] });
    const animation = discord.addChannel({ name: "animation", permissionOverwrites: [{ id: everyone, type: 0, deny: Perm.ViewChannel }] });
    // A role overwrite that gives back what @everyone lost: discord.js must apply both.
    const rencontres = discord.addChannel({ name: "rencontres", permissionOverwrites: [{ id: everyone, type: 0, deny: Perm.ViewChannel }, { id: discord.botRoleId, type: 0, allow: Perm.ViewChannel | Perm.ManageEvents }] });
    slack = await startSlackEmulator({ botScopes: SLACK_BOT_SCOPES.filter((s) => s !== "files:write" && s !== "pins:write") });
    const secret = slack.addChannel({ name: "equipe", isPrivate: true, isMember: false });
    const url = await freshStoreUrl();
    await seed(
      url,
      {
        "channel:discord:annonces": annonces.id,
        "channel:discord:animation": animation.id,
        "channel:discord:rencontres": rencontres.id,
        "channel:discord:reseau": "123456789012345678",
        "channel:slack:animation": secret.id,
        "channel:slack:annonces": "C0DELETED1",
        "channel:slack:reseau": slack.defaultChannelId,
      },
      [
        { name: "CNIL", failures: 7, error: "le site répond 404 (page introuvable)" },
        { name: "Légifrance", failures: 2, error: "délai dépassé" },
      ],
    );
    const env = { DATABASE_URL: url, BACKUP_DIR: await mkdtemp(path.join(tmpdir(), "pdn-diag-")), ...discordEnv(discord), ...slackEnv(slack), SLACK_APP_TOKEN: "xapp-1-A0EMULATOR-1-revoked" };

    const checks = await runDiagnostic(env, "", now);
    const failed = Object.fromEntries(checks.filter((c) => !c.ok).map((c) => [c.label, c.detail]));
    expect(failed).toEqual({
      "Discord : salon #annonces (annonces)": "il manque au bot : Envoyer des messages, Joindre des fichiers, Gérer les événements",
      "Discord : salon #animation (animation)": "il manque au bot : Voir le salon, Gérer les événements",
      "Discord : salon des usages reseau": "salon 123456789012345678 introuvable sur le serveur (supprimé ?)",
      "Canaux d'usage (Discord)": "non configurés : rappels, veille",
      "Slack : portées": "manquantes : files:write, pins:write",
      "Slack : jeton d'application (Socket Mode)": "jeton refusé par Slack",
      "Slack : salon #equipe (animation)": "salon privé dont le bot n'est pas membre : il ne peut pas y écrire",
      "Slack : salon des usages annonces": "salon C0DELETED1 introuvable (supprimé, ou privé sans le bot)",
      "Canaux d'usage (Slack)": "non configurés : rencontres, rappels, veille",
      "Sources de veille": "« CNIL » (#1, https://exemple.fr/flux-0.xml) en échec depuis le vendredi 27 février 2026 à 11:00, 7 essais de suite : le site répond 404 (page introuvable)",
      "Dernière sauvegarde": expect.stringContaining("aucune"),
    });
    const byLabel = new Map(checks.map((c) => [c.label, c]));
    expect(byLabel.get("Discord : salon #rencontres (rencontres)")).toMatchObject({ ok: true });
    expect(byLabel.get("Slack : salon #general (reseau)")).toMatchObject({ ok: true });
    expect(byLabel.get("Discord : salon #annonces (annonces)")?.fix).toContain(`rôle « ${discord.member(discord.botUserId)?.user.username}`);
    expect(byLabel.get("Slack : portées")?.fix).toContain("ajoutez files:write, pins:write");
    expect(byLabel.get("Slack : salon #equipe (animation)")?.fix).toContain("/invite @");
    expect(byLabel.get("Sources de veille")?.fix).toContain("/veille source-retirer source:#1");
    expect(checks.filter((c) => !c.ok).every((c) => c.fix && c.fix.length > 10)).toBe(true);
  });

  it("passes when the bot may do everything in its channels and holds every scope", async () => {
    discord = await startDiscordEmulator();
    slack = await startSlackEmulator();
    const url = await freshStoreUrl();
    await seed(url, { "channel:discord:annonces": discord.generalChannelId, "channel:slack:annonces": slack.defaultChannelId }, [{ name: "CNIL", failures: 0, error: "" }]);
    const checks = await runDiagnostic({ DATABASE_URL: url, ...discordEnv(discord), ...slackEnv(slack) }, "", now);
    const platformChecks = checks.filter((c) => /^(Discord|Slack|Sources)/.test(c.label));
    expect(platformChecks.filter((c) => !c.ok)).toEqual([]);
    expect(platformChecks.map((c) => c.label)).toEqual([
      "Discord : jeton",
      "Discord : intent Server Members",
      "Discord : serveur",
      "Discord : salon #général (annonces)",
      "Slack : jeton",
      "Slack : portées",
      "Slack : jeton d'application (Socket Mode)",
      "Slack : salon #general (annonces)",
      "Sources de veille",
    ]);
  });
});
