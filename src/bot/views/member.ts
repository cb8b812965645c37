import { formatDate } from "../../core/dates.js";
import { directorySlug } from "../../core/directory.js";
import { fromStorePlatform } from "../../core/members.js";
import { platformLabel } from "../../platforms/catalog.js";
import { KIND_LABELS, ROLE_LABELS, STATUS_LABELS } from "../../core/roles.js";
import type { ReplyField } from "../../core/reply.js";
import type { Member, PlatformAccount } from "../../store/index.js";

/** « Discord », « Console »: at the start of a line of the card. */
const accountLabel = (platform: PlatformAccount["platform"]): string => {
  const label = platformLabel(fromStorePlatform(platform));
  return label.charAt(0).toUpperCase() + label.slice(1);
};

/** The full card of a member, as the member or the animator sees it. */
export function memberFields(member: Member & { accounts?: PlatformAccount[] }, timeZone: string): ReplyField[] {
  const fields: ReplyField[] = [
    { name: "Prénom", value: member.firstName, inline: true },
    { name: "Nom", value: member.lastName ?? "—", inline: true },
    { name: "Structure", value: member.structure ?? "à renseigner", inline: true },
    { name: "Type", value: member.kind ? KIND_LABELS[member.kind] : "à renseigner", inline: true },
    { name: "Commune", value: member.commune ?? "à renseigner", inline: true },
    { name: "Réseaux", value: member.networks || "à renseigner", inline: true },
    { name: "Pour me joindre", value: member.contact ?? "à renseigner" },
    { name: "Photo", value: member.photoUrl ?? "—", inline: true },
    { name: "Annuaire", value: member.directoryConsent ? (member.directoryLastName ? "visible, avec votre nom" : "visible (prénom seul)") : "non visible", inline: true },
    { name: "Rôle", value: ROLE_LABELS[member.role], inline: true },
    { name: "Statut", value: STATUS_LABELS[member.status], inline: true },
    { name: "Membre depuis", value: formatDate(member.joinedAt, timeZone), inline: true },
  ];
  if (member.email) fields.push({ name: "E-mail", value: member.email, inline: true });
  if (member.accounts?.length) {
    fields.push({
      name: "Comptes liés",
      value: member.accounts.map((a) => `${accountLabel(a.platform)} : ${a.displayName ?? a.externalId}`).join("\n"),
    });
  }
  return fields;
}

/**
 * The member's own page of the public directory, the link the charter asks every Promeneur to
 * show on their profiles; or how to get one.
 */
export function directoryLinkField(member: Member, siteUrl: string | undefined): ReplyField | undefined {
  if (!siteUrl) return undefined;
  const link = `${siteUrl}/annuaire/${directorySlug(member)}`;
  if (!member.directoryConsent) {
    return { name: "Lien vers l'annuaire", value: "Vous n'apparaissez pas dans l'annuaire public. Pour y figurer : /profil consentement annuaire:oui" };
  }
  if (member.status !== "ACTIVE") return { name: "Lien vers l'annuaire", value: `${link} (actif dès la fin de votre accueil dans le réseau)` };
  return { name: "Lien vers l'annuaire", value: `${link} — à mettre sur vos profils, comme le demande la charte` };
}

/** One directory entry: what the charter asks a Promeneur to show, nothing more. */
export function directoryEntry(member: Member, withContact = true): ReplyField {
  const kind = member.kind ? KIND_LABELS[member.kind] : "";
  const lines = [
    [member.structure, member.commune].filter(Boolean).join(" — "),
    kind ? `Promeneur du Net ${kind}` : "",
    member.networks ? `Réseaux : ${member.networks}` : "",
    member.contact && withContact ? `Contact : ${member.contact}` : "",
  ].filter(Boolean);
  return { name: member.displayName, value: lines.join("\n") || "—" };
}
