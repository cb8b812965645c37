import { isUniqueViolation, type Member, type PlatformAccount, type Prisma, type PrismaClient, type Role, type Platform } from "../store/index.js";
import { platformLabel } from "../platforms/catalog.js";
import { ACCOUNT_ID_EXPECTED, isAccountId } from "./account-ids.js";
import { assertMayManage } from "./member-authority.js";
import { mergeMemberInto } from "./member-merge.js";
import type { Clock } from "../shared/clock.js";
import type { PlatformName, PlatformUser } from "./interaction.js";
import type { StoreChanges } from "../store/changes.js";
import { audit } from "./audit.js";
import { CachedMap } from "./cache.js";
import { UserError } from "./errors.js";
import type { ProfilePatch } from "./profile.js";

export type MemberWithAccounts = Member & { accounts: PlatformAccount[] };

export const toStorePlatform = (p: PlatformName): Platform => p.toUpperCase() as Platform;
export const fromStorePlatform = (p: Platform): PlatformName => p.toLowerCase() as PlatformName;

/** Lower-cases and strips accents so « epinal » finds « Épinal ». */
export function fold(s: string | null | undefined): string {
  return (s ?? "").normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase().trim();
}

export class MemberService {
  /** Account → member, read on every interaction; reloaded after any member/account write. */
  private readonly byAccount: CachedMap<string, Member>;

  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    changes: StoreChanges,
  ) {
    this.byAccount = new CachedMap(changes, ["Member", "PlatformAccount"]);
  }

  /**
   * The member behind a platform account; someone never seen before is registered on first
   * contact as an onboarding Promeneur, named from the platform profile.
   */
  async resolveOrRegister(user: PlatformUser): Promise<Member> {
    const platform = toStorePlatform(user.platform);
    const known = await this.byAccount.get(`${platform}:${user.id}`, async () => {
      const account = await this.db.platformAccount.findUnique({
        where: { platform_externalId: { platform, externalId: user.id } },
        include: { member: true },
      });
      return account?.member ?? null;
    });
    if (known) return known;
    if (user.loadProfile) {
      const profile = await user.loadProfile().catch(() => ({}));
      user = { ...user, ...profile };
    }
    const now = this.clock.now();
    const firstName = (user.firstName ?? user.displayName.split(/\s+/)[0] ?? user.displayName).slice(0, 50) || "Inconnu";
    try {
      return await this.db.member.create({
        data: {
          firstName,
          displayName: user.displayName.slice(0, 80) || firstName,
          joinedAt: now,
          createdAt: now,
          accounts: { create: { platform, externalId: user.id, workspaceId: user.workspaceId, displayName: user.displayName, linkedAt: now } },
        },
      });
    } catch (err) {
      // Two first interactions raced: the other one registered the account; use it.
      if (!isUniqueViolation(err)) throw err;
      const account = await this.db.platformAccount.findUniqueOrThrow({
        where: { platform_externalId: { platform, externalId: user.id } },
        include: { member: true },
      });
      return account.member;
    }
  }

  /** Makes every `platform:id` of BOT_ADMINS an active administrator, creating it if needed. */
  async bootstrapAdmins(entries: readonly string[]): Promise<Member[]> {
    const admins: Member[] = [];
    for (const entry of entries) admins.push(await this.ensureAdmin(entry));
    return admins;
  }

  /**
   * One BOT_ADMINS entry. Instances started together on one PostgreSQL database all run this at
   * once: the one whose create loses the race (unique violation) reads the winner's row instead
   * of stopping its start-up.
   */
  private async ensureAdmin(entry: string): Promise<Member> {
    // At the first colon only: a Matrix id has its own (« matrix:@nom:serveur »).
    const colon = entry.indexOf(":");
    const platformName = entry.slice(0, colon) as PlatformName;
    const externalId = entry.slice(colon + 1);
    const platform = toStorePlatform(platformName);
    for (let round = 0; ; round++) {
      const account = await this.db.platformAccount.findUnique({
        where: { platform_externalId: { platform, externalId } },
        include: { member: true },
      });
      if (account) {
        const m = account.member;
        if (m.role === "ADMIN" && m.status === "ACTIVE") return m;
        return this.db.member.update({ where: { id: m.id }, data: { role: "ADMIN", status: "ACTIVE" } });
      }
      const now = this.clock.now();
      try {
        return await this.db.member.create({
          data: {
            firstName: "Administrateur",
            displayName: `Administrateur (${platformName})`,
            role: "ADMIN",
            status: "ACTIVE",
            joinedAt: now,
            createdAt: now,
            accounts: { create: { platform, externalId, linkedAt: now } },
          },
        });
      } catch (err) {
        // Created by another instance since our read: its row is found on the next round.
        if (!isUniqueViolation(err) || round > 0) throw err;
      }
    }
  }

  /** The console's default user is the network's animator until real ones are named. */
  async ensureLocalAnimator(memberId: number): Promise<void> {
    await this.db.member.update({ where: { id: memberId }, data: { role: "ANIMATEUR", status: "ACTIVE" } });
  }

  /** The console id acting as a member (the console is a local tool: no audit for this link). */
  async consoleAccountFor(memberId: number): Promise<string> {
    const existing = await this.db.platformAccount.findFirst({ where: { memberId, platform: "CONSOLE" } });
    if (existing) return existing.externalId;
    const externalId = `membre-${memberId}`;
    await this.db.platformAccount.create({ data: { platform: "CONSOLE", externalId, memberId, linkedAt: this.clock.now() } });
    return externalId;
  }

  async get(id: number): Promise<MemberWithAccounts | null> {
    return this.db.member.findUnique({ where: { id }, include: { accounts: true } });
  }

  async all(): Promise<MemberWithAccounts[]> {
    return this.db.member.findMany({ include: { accounts: true }, orderBy: { id: "asc" } });
  }

  /**
   * Finds one member from what a user typed: `#12` or `12`, a mention or platform id on the
   * current platform, or a name (accents and case aside). Ambiguity is an error that lists
   * the candidates rather than a guess.
   */
  async findByRef(ref: string, platform: PlatformName): Promise<MemberWithAccounts> {
    const value = ref.trim();
    const idMatch = /^#?(\d{1,9})$/.exec(value);
    if (idMatch) {
      const byId = await this.get(Number(idMatch[1]));
      if (byId) return byId;
    }
    const mention = /^<@!?([A-Z0-9]+)(\|[^>]*)?>$/i.exec(value);
    const externalId = mention ? mention[1]! : value;
    const account = await this.db.platformAccount.findUnique({
      where: { platform_externalId: { platform: toStorePlatform(platform), externalId } },
      include: { member: { include: { accounts: true } } },
    });
    if (account) return account.member;
    if (mention || idMatch) throw new UserError(`Aucun membre ne correspond à « ${value} ».`);
    const wanted = fold(value);
    const everyone = await this.all();
    const matches = everyone.filter((m) => {
      const full = fold(`${m.firstName} ${m.lastName ?? ""}`);
      return fold(m.displayName) === wanted || full === wanted || fold(m.firstName) === wanted;
    });
    const loose = matches.length ? matches : everyone.filter((m) => fold(`${m.displayName} ${m.firstName} ${m.lastName ?? ""}`).includes(wanted));
    if (loose.length === 1) return loose[0]!;
    if (loose.length === 0) throw new UserError(`Aucun membre ne correspond à « ${value} ». Indiquez son numéro (#12), une mention ou son nom.`);
    const list = loose.slice(0, 8).map((m) => `${m.displayName} (#${m.id})`).join(", ");
    throw new UserError(`Plusieurs membres correspondent à « ${value} » : ${list}. Précisez avec le numéro, par exemple #${loose[0]!.id}.`);
  }

  /** Members whose first and last names match these (accents and case aside). */
  async withSameName(firstName: string, lastName: string | undefined): Promise<Member[]> {
    const candidates = await this.db.member.findMany({ orderBy: { id: "asc" } });
    return candidates.filter((m) => fold(m.firstName) === fold(firstName) && fold(m.lastName) === fold(lastName));
  }

  async create(input: ProfilePatch & { firstName: string; role?: Role }, actorId: number | null): Promise<Member> {
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      if (input.email) {
        const taken = await tx.member.findUnique({ where: { email: input.email } });
        if (taken) throw new UserError(`L'adresse ${input.email} est déjà celle de ${taken.displayName} (#${taken.id}).`);
      }
      const displayName = input.displayName ?? [input.firstName, input.lastName].filter(Boolean).join(" ");
      const member = await tx.member.create({
        data: { ...input, displayName, status: "ACTIVE", joinedAt: now, createdAt: now },
      });
      await audit(tx, { actorId, action: "member.create", targetType: "member", targetId: member.id, details: { ...input } }, now);
      return member;
    });
  }

  /** Applies a profile change; `actorId` differs from the member when the animator edits. */
  async update(memberId: number, patch: ProfilePatch, actorId: number | null): Promise<Member> {
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const before = await existing(tx, memberId);
      await assertMayManage(tx, actorId, before, { action: "modifier" });
      if (patch.email) {
        const taken = await tx.member.findUnique({ where: { email: patch.email } });
        if (taken && taken.id !== memberId) throw new UserError(`L'adresse ${patch.email} est déjà celle de ${taken.displayName} (#${taken.id}).`);
      }
      const after = await tx.member.update({ where: { id: memberId }, data: patch });
      const changed: Record<string, { avant: unknown; après: unknown }> = {};
      for (const key of Object.keys(patch) as (keyof ProfilePatch)[]) {
        if (before[key] !== after[key]) changed[key] = { avant: before[key], après: after[key] };
      }
      if (Object.keys(changed).length > 0) {
        await audit(tx, { actorId, action: actorId === memberId ? "profile.update" : "member.update", targetType: "member", targetId: memberId, details: changed }, now);
      }
      return after;
    });
  }

  async setRole(memberId: number, role: Role, actorId: number | null): Promise<Member> {
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const before = await existing(tx, memberId);
      await assertMayManage(tx, actorId, before, { action: "role", newRole: role });
      const after = await tx.member.update({ where: { id: memberId }, data: { role } });
      await audit(tx, { actorId, action: "member.role", targetType: "member", targetId: memberId, details: { avant: before.role, après: role } }, now);
      return after;
    });
  }

  /** Leaves the network: kept for history (attendance, evaluation), hidden from the directory. */
  async remove(memberId: number, reason: "INACTIVE" | "EXCLUDED", actorId: number | null): Promise<Member> {
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const before = await existing(tx, memberId);
      await assertMayManage(tx, actorId, before, { action: "retirer", leaves: true });
      if (before.status === reason) throw new UserError(`${before.displayName} a déjà ce statut (${reason === "EXCLUDED" ? "exclusion du dispositif" : "départ du réseau"}).`);
      const after = await tx.member.update({ where: { id: memberId }, data: { status: reason, leftAt: now } });
      await audit(tx, { actorId, action: "member.remove", targetType: "member", targetId: memberId, details: { avant: before.status, après: reason } }, now);
      return after;
    });
  }

  async setStatus(memberId: number, status: Member["status"], actorId: number | null): Promise<Member> {
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const before = await existing(tx, memberId);
      await assertMayManage(tx, actorId, before, { action: "statut", leaves: status !== "ACTIVE" && status !== "ONBOARDING" });
      const after = await tx.member.update({ where: { id: memberId }, data: { status, leftAt: status === "ACTIVE" ? null : before.leftAt } });
      await audit(tx, { actorId, action: "member.status", targetType: "member", targetId: memberId, details: { avant: before.status, après: status } }, now);
      return after;
    });
  }

  /**
   * Links a platform account to a member. An account that already has a record is an
   * administrator's decision: a record created on first contact is merged into the member,
   * everything it owned included (see member-merge.ts), in this one transaction.
   */
  async link(memberId: number, account: AccountInput, actorId: number | null): Promise<{ member: Member; mergedStub: Member | null }> {
    const now = this.clock.now();
    const platform = toStorePlatform(account.platform);
    assertAccountId(account);
    return this.db.$transaction(async (tx) => {
      const member = await existing(tx, memberId);
      await assertMayManage(tx, actorId, member, { action: "lier" });
      const owner = await tx.platformAccount.findUnique({
        where: { platform_externalId: { platform, externalId: account.externalId } },
        include: { member: { include: { accounts: true } } },
      });
      let mergedStub: Member | null = null;
      if (owner) {
        mergedStub = await this.mergeOwner(tx, owner.member, member, account, actorId);
      } else {
        await tx.platformAccount.create({
          data: { platform, externalId: account.externalId, workspaceId: account.workspaceId ?? "", displayName: account.displayName, memberId, linkedAt: now },
        });
      }
      const details = { plateforme: account.platform, compte: account.externalId, fusionné: mergedStub ? mergedStub.id : null };
      await audit(tx, { actorId, action: "member.link", targetType: "member", targetId: memberId, details }, now);
      return { member, mergedStub };
    });
  }

  private async mergeOwner(tx: Tx, other: MemberWithAccounts, member: Member, account: AccountInput, actorId: number | null): Promise<Member> {
    if (other.id === member.id) throw new UserError(`Ce compte est déjà lié à ${member.displayName}.`);
    const actor = actorId == null ? null : await tx.member.findUnique({ where: { id: actorId } });
    if (actor && actor.role !== "ADMIN") {
      throw new UserError(`Refusé : ce compte a déjà une fiche, ${other.displayName} (#${other.id}). Seul un administrateur peut lier un compte qui a déjà une fiche (les deux fiches sont alors fusionnées).`);
    }
    await assertMayManage(tx, actorId, other, { action: "lier", leaves: true });
    const isStub = other.accounts.length === 1 && !other.email && !other.structure && other.role === "PROMENEUR";
    if (!isStub) {
      const ref = `${account.platform}:${account.externalId}`;
      throw new UserError(
        `Ce compte est déjà lié à ${other.displayName} (#${other.id}), qui a un profil rempli. Déliez-le d'abord avec \`/membre delier membre:#${other.id} compte:${ref}\`, puis relancez \`/membre lier membre:#${member.id} compte:${ref}\`.`,
      );
    }
    await mergeMemberInto(tx, other.id, member.id);
    return other;
  }

  /** Removes an account from a member: the person is a stranger again on that platform. */
  async unlink(memberId: number, account: AccountInput, actorId: number | null): Promise<Member> {
    const now = this.clock.now();
    const platform = toStorePlatform(account.platform);
    assertAccountId(account);
    return this.db.$transaction(async (tx) => {
      const member = await existing(tx, memberId);
      await assertMayManage(tx, actorId, member, { action: "delier" });
      const linked = await tx.platformAccount.findUnique({ where: { platform_externalId: { platform, externalId: account.externalId } } });
      if (!linked || linked.memberId !== memberId) {
        throw new UserError(`Le compte ${account.platform}:${account.externalId} n'est pas lié à ${member.displayName} (#${member.id}). Voyez ses comptes avec \`/membre voir membre:#${member.id}\`.`);
      }
      await tx.platformAccount.delete({ where: { id: linked.id } });
      await audit(tx, { actorId, action: "member.unlink", targetType: "member", targetId: memberId, details: { plateforme: account.platform, compte: account.externalId } }, now);
      return member;
    });
  }
}

type Tx = Prisma.TransactionClient;

interface AccountInput {
  platform: PlatformName;
  externalId: string;
  workspaceId?: string;
  displayName?: string;
}

function assertAccountId(account: AccountInput): void {
  if (!isAccountId(account.platform, account.externalId)) {
    throw new UserError(`« ${account.externalId} » n'est pas un compte ${platformLabel(account.platform)} valable. Forme attendue : ${ACCOUNT_ID_EXPECTED}.`);
  }
}

async function existing(tx: Tx, memberId: number): Promise<Member> {
  const member = await tx.member.findUnique({ where: { id: memberId } });
  if (!member) throw new UserError(`Le membre #${memberId} n'existe pas.`);
  return member;
}
