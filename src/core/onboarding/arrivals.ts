// Joins and departures seen on the platforms. A journey starts (or resumes) for a newcomer who
// arrives, and stops when they leave; members already active, inactive or excluded are left alone.
import type { Logger } from "../../logger.js";
import type { PrismaClient } from "../../store/index.js";
import type { PlatformEvent } from "../events.js";
import { toStorePlatform } from "../members.js";
import type { Services } from "../services.js";
import type { Onboarding } from "./service.js";

export class Arrivals {
  constructor(
    private readonly onboarding: Onboarding,
    private readonly db: PrismaClient,
    private readonly services: Services,
    private readonly log: Logger,
  ) {}

  /**
   * Someone joined the Discord server, the Slack workspace, or a Slack channel: of the channels,
   * only the network's one counts.
   */
  async onJoined(event: Extract<PlatformEvent, { type: "joined" }>): Promise<void> {
    const settings = await this.onboarding.settings();
    if (!settings.autoStart) return;
    const platform = event.user.platform;
    if (event.channelId && event.channelId !== (await this.services.settings.channel(platform, "reseau"))) return;
    const account = await this.db.platformAccount.findUnique({
      where: { platform_externalId: { platform: toStorePlatform(platform), externalId: event.user.id } },
      include: { member: true },
    });
    if (account && !["ONBOARDING", "CANDIDATE"].includes(account.member.status)) return;
    const member = account?.member ?? (await this.services.members.resolveOrRegister(event.user));
    const { outcome } = await this.onboarding.start(member, { actorId: null, origin: platform === "console" ? "membre" : platform, channelId: event.channelId });
    this.log.info({ member: member.id, platform, outcome }, "parcours d'accueil à l'arrivée");
  }

  /**
   * Someone left the Discord server, or a Slack channel: leaving stops the journey; of the
   * channels, only the network's one and the one whose join started the journey count.
   */
  async onLeft(event: Extract<PlatformEvent, { type: "left" }>): Promise<void> {
    const platform = event.user.platform;
    const account = await this.db.platformAccount.findUnique({
      where: { platform_externalId: { platform: toStorePlatform(platform), externalId: event.user.id } },
    });
    if (!account) return;
    const journey = await this.db.onboardingJourney.findUnique({ where: { memberId: account.memberId } });
    if (!journey || journey.state !== "active") return;
    if (event.channelId) {
      const network = await this.services.settings.channel(platform, "reseau");
      if (event.channelId !== journey.originChannelId && event.channelId !== network) return;
    }
    if (await this.onboarding.stop(account.memberId, platform)) this.log.info({ member: account.memberId, platform }, "parcours d'accueil arrêté : départ");
  }
}
