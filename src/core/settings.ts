import type { PrismaClient } from "../store/index.js";
import type { Clock } from "../shared/clock.js";
import type { PlatformName } from "./interaction.js";
import { audit } from "./audit.js";

/** What a channel is used for; later features post "to the meetings channel" by usage. */
export const CHANNEL_USAGES = {
  annonces: "Annonces du réseau",
  rencontres: "Rencontres et inscriptions",
  rappels: "Rappels (quand un message privé échoue)",
  veille: "Veille réglementaire et réseaux sociaux",
  reseau: "Échanges du réseau, présentations des nouveaux",
  animation: "Espace de l'animateur (questions, alertes)",
} as const;

export type ChannelUsage = keyof typeof CHANNEL_USAGES;

const channelKey = (platform: PlatformName, usage: ChannelUsage) => `channel:${platform}:${usage}`;

export class SettingsService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
  ) {}

  async channel(platform: PlatformName, usage: ChannelUsage): Promise<string | null> {
    const row = await this.db.setting.findUnique({ where: { key: channelKey(platform, usage) } });
    return row?.value ?? null;
  }

  async channels(platform: PlatformName): Promise<Partial<Record<ChannelUsage, string>>> {
    const rows = await this.db.setting.findMany({ where: { key: { startsWith: `channel:${platform}:` } } });
    const out: Partial<Record<ChannelUsage, string>> = {};
    for (const row of rows) out[row.key.split(":")[2] as ChannelUsage] = row.value;
    return out;
  }

  async setChannel(platform: PlatformName, usage: ChannelUsage, channelId: string, actorId: number): Promise<string | null> {
    const key = channelKey(platform, usage);
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const before = await tx.setting.findUnique({ where: { key } });
      await tx.setting.upsert({
        where: { key },
        create: { key, value: channelId, updatedBy: actorId, updatedAt: now },
        update: { value: channelId, updatedBy: actorId, updatedAt: now },
      });
      await audit(tx, { actorId, action: "config.channel", targetType: "setting", targetId: key, details: { avant: before?.value ?? null, après: channelId } }, now);
      return before?.value ?? null;
    });
  }

  async get(key: string): Promise<string | null> {
    return (await this.db.setting.findUnique({ where: { key } }))?.value ?? null;
  }
}
