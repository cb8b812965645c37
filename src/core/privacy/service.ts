// The data-protection rights of a member (RGPD articles 15, 17 and 20): see what the bot holds,
// take it away, erase it. Everything goes through the table list of ./tables.ts, so a table that
// holds member data cannot be left out of one of the three.
import { purgeDeletedRows, type Member, type PrismaClient } from "../../store/index.js";
import { audit } from "../audit.js";
import type { Clock } from "../../shared/clock.js";
import { UserError } from "../errors.js";
import { assertMayManage } from "../member-authority.js";
import { CATEGORIES, TABLES, erasureOrder, type Category, type ErasureContext, type TablePolicy, type Tx } from "./tables.js";

type ErasureRequester = "membre" | "administrateur" | "conservation";

export interface MemberData {
  memberId: number;
  exportedAt: Date;
  categories: Partial<Record<Category, Record<string, unknown>[]>>;
}

/** Tables whose rows belong to the member, grouped by category, in the categories' order. */
function exportingTables(): [string, TablePolicy & { category: Category }][] {
  const order = Object.keys(CATEGORIES);
  return (Object.entries(TABLES) as [string, TablePolicy][])
    .filter((e): e is [string, TablePolicy & { category: Category }] => Boolean(e[1].category && e[1].export))
    .sort((a, b) => order.indexOf(a[1].category) - order.indexOf(b[1].category));
}

export class PrivacyService {
  constructor(
    protected readonly db: PrismaClient,
    protected readonly clock: Clock,
  ) {}

  /** Everything held about the member, table by table, grouped by category. */
  async collect(memberId: number): Promise<MemberData> {
    const categories: MemberData["categories"] = {};
    for (const [, policy] of exportingTables()) {
      const rows = await policy.export!(this.db, memberId);
      if (rows.length === 0) continue;
      (categories[policy.category] ??= []).push(...rows);
    }
    return { memberId, exportedAt: this.clock.now(), categories };
  }

  /**
   * Erases a person: identity and contact emptied, accounts removed, free texts replaced by
   * « effacé », votes made anonymous; counts and past figures unchanged. One transaction, then
   * the store purges its files so the old values are gone from the disk too.
   */
  async erase(memberId: number, actor: { id: number | null; as: ErasureRequester }, options: { purge?: boolean } = {}): Promise<Member> {
    const now = this.clock.now();
    const erased = await this.db.$transaction(async (tx) => {
      const member = await tx.member.findUnique({ where: { id: memberId } });
      if (!member) throw new UserError(`Le membre #${memberId} n'existe pas.`);
      if (member.erasedAt) throw new UserError(`Les données du membre #${memberId} ont déjà été effacées.`);
      // The one role rule of the network (who may erase whom, the last administrator and animator stay).
      // A person erasing their own data exercises a right, not a power: only the « last » rule applies.
      await assertMayManage(tx, actor.id === memberId ? null : actor.id, member, { action: "effacer", leaves: true });
      const ctx: ErasureContext = { tx, memberId, now, removed: new Set() };
      collectIdentity(member, ctx.removed);
      for (const [, policy] of erasureOrder().filter(([, p]) => !p.trace)) await policy.erase?.(ctx);
      const after = await emptyMember(tx, member, now);
      for (const [, policy] of erasureOrder().filter(([, p]) => p.trace)) await policy.erase?.(ctx);
      await audit(tx, { actorId: actor.id === memberId ? null : actor.id, action: "member.erase", targetType: "member", targetId: memberId, details: { demande: actor.as } }, now);
      return after;
    });
    // A caller erasing several people (the retention rule) purges once, after the last one.
    if (options.purge !== false) await checkpoint(this.db);
    return erased;
  }
}


function collectIdentity(m: Member, removed: Set<string>): void {
  // A single common word (a first name alone) would be scrubbed from other people's records too:
  // only values that single the person out are, i.e. several words or an address.
  const distinctive = (v: string | null) => Boolean(v && v.trim().length >= 3 && /[\s@/:.]/.test(v.trim()));
  const full = [m.firstName, m.lastName].filter(Boolean).join(" ");
  for (const v of [full, m.displayName, m.email, m.contact, m.photoUrl]) if (distinctive(v)) removed.add(v!.trim());
}

/** The row stays (kind, dates, status for the figures), emptied of everything that names the person. */
function emptyMember(tx: Tx, m: Member, now: Date): Promise<Member> {
  const stillIn = m.status === "ACTIVE" || m.status === "ONBOARDING" || m.status === "CANDIDATE";
  return tx.member.update({
    where: { id: m.id },
    data: {
      firstName: "Membre",
      lastName: null,
      displayName: `Membre effacé n° ${m.id}`,
      structure: null,
      commune: null,
      email: null,
      contact: null,
      networks: "",
      photoUrl: null,
      directoryConsent: false,
      role: "PROMENEUR",
      status: stillIn ? "INACTIVE" : m.status,
      leftAt: m.leftAt ?? now,
      erasedAt: now,
    },
  });
}

/**
 * Removes the erased values from the database's files too (how depends on the store: the SQLite
 * PRAGMA alone failed on PostgreSQL after the erasure was committed).
 */
export async function checkpoint(db: PrismaClient): Promise<void> {
  await purgeDeletedRows(db, ERASED_TABLES);
}

/** Where an erasure or a retention rule deletes or overwrites values. */
const ERASED_TABLES = erasureOrder()
  .filter(([name, policy]) => policy.erase !== undefined || name === "Member")
  .map(([name]) => name);
