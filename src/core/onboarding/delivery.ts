// Where the journey's messages go: the member privately, the network channel, the animator.
// Each throws when nothing could be delivered, so the job that sends it is retried.
import type { Logger } from "../../logger.js";
import type { PrismaClient } from "../../store/index.js";
import type { MemberWithAccounts } from "../members.js";
import type { MemberDelivery, Notifications } from "../notifier.js";
import type { Reply } from "../reply.js";

export class JourneyDelivery {
  constructor(
    private readonly deps: { db: PrismaClient; notifications: Notifications; log: Logger },
  ) {}

  /** Privately, with the « rappels » channel as the fallback; what happened, for the caller to report. */
  toMember(member: MemberWithAccounts, reply: Reply): Promise<MemberDelivery> {
    return this.deps.notifications.toMember(member, reply);
  }

  /** Privately, with the « rappels » channel as the fallback; throws when nothing could be delivered. */
  async sendToMember(member: MemberWithAccounts, reply: Reply | Promise<Reply>): Promise<void> {
    const result = await this.deps.notifications.toMember(member, await reply);
    // Kept in the inbox (closed DMs): the member reads it with /messages, sending again changes nothing.
    if (result.refs.length > 0 || result.inbox) return;
    if (result.failures.length > 0) throw new Error(result.failures.map((f) => `${f.platform} : ${f.error}`).join(" ; "));
    this.deps.log.warn({ member: member.id }, "membre sans compte sur une plateforme connectée : message d'accueil non envoyé");
  }

  /** Posts in the network channel of every platform that has one. */
  async postToNetwork(reply: Reply): Promise<string[]> {
    const { refs, failures } = await this.deps.notifications.toChannel("reseau", reply);
    const broken = failures.filter((f) => !f.error.startsWith("aucun salon"));
    if (refs.length === 0 && broken.length > 0) throw new Error(broken.map((f) => `${f.platform} : ${f.error}`).join(" ; "));
    if (refs.length === 0) this.deps.log.warn("aucun salon « reseau » configuré : message de bienvenue non publié");
    return refs.map((r) => r.platform);
  }

  /**
   * The animator's space (« animation » channel); where no platform has one, a private message
   * to each active animator (or administrator, when the network has no animator yet).
   */
  async tellAnimator(reply: Reply): Promise<void> {
    const { notifications } = this.deps;
    const posted = await notifications.toChannel("animation", reply);
    if (posted.refs.length > 0) return;
    const staff = await this.deps.db.member.findMany({ where: { role: { in: ["ANIMATEUR", "ADMIN"] }, status: "ACTIVE" }, include: { accounts: true }, orderBy: { id: "asc" } });
    const animators = staff.filter((m) => m.role === "ANIMATEUR");
    const targets = animators.length > 0 ? animators : staff;
    if (targets.length === 0) return this.deps.log.warn("ni salon « animation » ni animateur actif : message à l'animateur non envoyé");
    let delivered = 0;
    for (const target of targets) delivered += (await notifications.toMember(target, reply)).refs.length;
    if (delivered === 0) throw new Error("message à l'animateur non remis (salon « animation » absent, messages privés en échec)");
  }
}
