import type { Member, Prisma, Role } from "../store/index.js";
import { UserError } from "./errors.js";
import { ROLE_LABELS } from "./roles.js";

/**
 * The one rule about who may act on whose membership. Every write that touches a member's role,
 * status, accounts or existence goes through `assertMayManage` inside its transaction, so no
 * command can forget it:
 * - only an administrator may change, link, unlink, retire or erase an administrator or an animator,
 *   or make someone one;
 * - nobody changes their own role or status;
 * - the last administrator and the last animator cannot be demoted, retired or erased.
 * A null actor is the bot itself (BOT_ADMINS at start-up, scripts, retention jobs).
 */
type MemberAction = "modifier" | "role" | "statut" | "lier" | "delier" | "retirer" | "effacer";

/** The roles that only an administrator may touch. */
const GUARDED: readonly Role[] = ["ADMIN", "ANIMATEUR"];
/** The roles the network cannot run without: at least one active holder each. */
const INDISPENSABLE: readonly Role[] = ["ADMIN", "ANIMATEUR"];
/** Statuses in which a member still holds their role in practice. */
const SERVING = ["ACTIVE", "ONBOARDING"] as const;

const VERB: Record<MemberAction, string> = {
  modifier: "modifier la fiche d'",
  role: "changer le rôle d'",
  statut: "changer le statut d'",
  lier: "lier un compte à",
  delier: "délier un compte d'",
  retirer: "retirer du réseau",
  effacer: "effacer",
};

interface Change {
  action: MemberAction;
  /** The role the target will hold afterwards (role changes). */
  newRole?: Role;
  /** Whether the target stops serving afterwards (retired, inactive, excluded, erased). */
  leaves?: boolean;
}

function roleName(role: Role): string {
  return role === "ADMIN" ? "un administrateur" : "un animateur";
}

/** Throws a French UserError when `actor` may not apply `change` to `target`. Reads inside `tx`. */
export async function assertMayManage(tx: Prisma.TransactionClient, actorId: number | null, target: Member, change: Change): Promise<void> {
  const actor = actorId == null ? null : await tx.member.findUnique({ where: { id: actorId } });
  if (actor) assertActorMay(actor, target, change);
  const demoted = change.newRole !== undefined && change.newRole !== target.role;
  if ((demoted || change.leaves) && INDISPENSABLE.includes(target.role) && isServing(target)) {
    const holders = await tx.member.count({ where: { role: target.role, status: { in: [...SERVING] } } });
    if (holders <= 1) {
      const last = target.role === "ADMIN" ? "le dernier administrateur" : "le dernier animateur";
      throw new UserError(`Refusé : ${target.displayName} est ${last} du réseau. Nommez-en d'abord un autre (\`/membre role\`), sinon plus personne ne pourrait administrer le réseau.`);
    }
  }
}

function assertActorMay(actor: Member, target: Member, change: Change): void {
  const self = actor.id === target.id;
  if (self && (change.action === "role" || change.action === "statut" || change.action === "retirer")) {
    throw new UserError("Refusé : personne ne peut changer son propre rôle ni son propre statut. Demandez-le à un administrateur.");
  }
  if (actor.role === "ADMIN" || (self && change.action === "modifier")) return;
  if (GUARDED.includes(target.role)) {
    const verb = VERB[change.action];
    const sep = verb.endsWith("'") ? "" : " ";
    throw new UserError(`Refusé : seul un administrateur peut ${verb}${sep}${roleName(target.role)} (${target.displayName} est ${ROLE_LABELS[target.role]}).`);
  }
  if (change.newRole && GUARDED.includes(change.newRole)) {
    throw new UserError(`Refusé : seul un administrateur peut nommer ${roleName(change.newRole)}.`);
  }
}

function isServing(m: Member): boolean {
  return (SERVING as readonly string[]).includes(m.status);
}
