import type { Member, Role, MemberStatus, MemberKind } from "../store/index.js";

// Commands name members and roles through the core, never through the store.
export type { Member, Role };

export const ROLE_LABELS: Record<Role, string> = {
  PROMENEUR: "Promeneur du Net",
  ANIMATEUR: "Animateur du réseau",
  REFERENT_CAF: "Référent Caf",
  ADMIN: "Administrateur",
};

export const STATUS_LABELS: Record<MemberStatus, string> = {
  CANDIDATE: "candidat",
  ONBOARDING: "en cours d'accueil",
  ACTIVE: "actif",
  INACTIVE: "inactif",
  EXCLUDED: "exclu",
};

export const KIND_LABELS: Record<MemberKind, string> = {
  JEUNESSE: "Jeunesse",
  PARENTALITE: "Parentalité",
};

/** The roles that run the network: they manage members and settings. */
export const STAFF: readonly Role[] = ["ANIMATEUR", "ADMIN"];

/**
 * Whether a member with `role` may use something restricted to `allowed`.
 * ADMIN may do everything; `undefined` means every member.
 */
export function roleAllows(role: Role, allowed: readonly Role[] | undefined): boolean {
  if (!allowed || allowed.length === 0) return true;
  return role === "ADMIN" || allowed.includes(role);
}

export function describeRoles(allowed: readonly Role[]): string {
  const withAdmin = allowed.includes("ADMIN") ? allowed : [...allowed, "ADMIN" as Role];
  return withAdmin.map((r) => ROLE_LABELS[r]).join(", ");
}

/** Inactive or retired: the member's access to the network has ended. */
export function hasLeft(member: Pick<Member, "status">): boolean {
  return member.status === "INACTIVE" || member.status === "EXCLUDED";
}

export const ACCESS_ENDED = "Votre accès au réseau a pris fin ; contactez l'animateur.";
