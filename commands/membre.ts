import { z } from "zod";
import { defineCommand, opt, sub } from "../src/bot/command.js";
import { memberFields } from "../src/bot/views/member.js";
import { UserError } from "../src/core/errors.js";
import { parseAccountRef } from "../src/core/account-ids.js";
import type { MemberService } from "../src/core/members.js";
import { PROFILE_EXPECTED, profileFields, type ProfilePatch } from "../src/core/profile.js";
import { ROLE_LABELS, STAFF, type Role } from "../src/core/roles.js";
import { numberArg, componentId } from "../src/core/reply.js";
import { ERASURE_EXPLAINED } from "./mes-donnees.js";

const memberRef = () =>
  opt.text("Le membre : @mention, numéro (#12) ou nom", z.string().trim().min(1).max(100), "une mention, un numéro (#12) ou un nom");

const accountOption = () => opt.user("Le compte (@mention sur cette plateforme, ou discord:<id> / slack:<id>)");

const KIND = { jeunesse: "JEUNESSE", parentalite: "PARENTALITE" } as const;
const ROLE_CHOICES: Record<string, string> = {
  promeneur: ROLE_LABELS.PROMENEUR,
  animateur: ROLE_LABELS.ANIMATEUR,
  referent_caf: ROLE_LABELS.REFERENT_CAF,
  admin: ROLE_LABELS.ADMIN,
};
const roleOf = (choice: string) => choice.toUpperCase() as Role;

/** The editable fields, shared by `ajouter` and `modifier`. */
const profileOptions = {
  nom: opt.text("Nom de famille", profileFields.lastName, PROFILE_EXPECTED.lastName).optional(),
  structure: opt.text("Structure", profileFields.structure, PROFILE_EXPECTED.structure).optional(),
  type: opt.choice("Jeunesse ou Parentalité", { jeunesse: "Jeunesse", parentalite: "Parentalité" }).optional(),
  commune: opt.text("Commune d'intervention", profileFields.commune, PROFILE_EXPECTED.commune).optional(),
  email: opt.text("Adresse e-mail professionnelle", profileFields.email, PROFILE_EXPECTED.email).optional(),
};

type ProfileOptions = {
  prenom?: string;
  nom?: string;
  structure?: string;
  type?: keyof typeof KIND;
  commune?: string;
  email?: string;
};

function patchOf(o: ProfileOptions): ProfilePatch {
  const patch: ProfilePatch = {};
  if (o.prenom) patch.firstName = o.prenom;
  if (o.nom) patch.lastName = o.nom;
  if (o.structure) patch.structure = o.structure;
  if (o.type) patch.kind = KIND[o.type];
  if (o.commune) patch.commune = o.commune;
  if (o.email) patch.email = o.email.toLowerCase();
  return patch;
}

/** A second record for the same person splits their history: the animator confirms with doublon:oui. */
async function refuseHomonym(members: MemberService, firstName: string, lastName: string | undefined): Promise<void> {
  const same = await members.withSameName(firstName, lastName);
  if (same.length === 0) return;
  const list = same.map((m) => `${m.displayName} (#${m.id}${m.structure ? `, ${m.structure}` : ""})`).join(", ");
  const again = [`prenom:"${firstName}"`, lastName ? `nom:"${lastName}"` : ""].filter(Boolean).join(" ");
  throw new UserError(
    `Un membre porte déjà ce nom : ${list}. Rien n'a été créé. Pour compléter sa fiche : \`/membre modifier membre:#${same[0]!.id}\`. S'il s'agit bien d'une autre personne : \`/membre ajouter ${again} doublon:oui\`.`,
  );
}

export default defineCommand({
  name: "membre",
  description: "Gérer les membres du réseau (animateur)",
  roles: STAFF,
  subcommands: [
    sub({
      name: "voir",
      description: "Voir la fiche complète d'un membre",
      options: { membre: memberRef() },
      async run({ services, options, platform, timeZone }) {
        const m = await services.members.findByRef(options.membre, platform);
        return { title: `${m.displayName} (#${m.id})`, fields: memberFields(m, timeZone), private: true };
      },
    }),
    sub({
      name: "ajouter",
      description: "Ajouter un membre au réseau (par exemple un Promeneur sans compte ici)",
      options: {
        prenom: opt.text("Prénom", profileFields.firstName, PROFILE_EXPECTED.firstName),
        ...profileOptions,
        role: opt.choice("Rôle dans le réseau (Promeneur par défaut)", ROLE_CHOICES).optional(),
        doublon: opt.choice("Créer même si un membre porte déjà ce nom", { oui: "Oui, c'est une autre personne" }).optional(),
      },
      async run({ services, options, member, timeZone }) {
        if (!options.doublon) await refuseHomonym(services.members, options.prenom, options.nom);
        const created = await services.members.create({ ...patchOf(options), firstName: options.prenom, role: options.role ? roleOf(options.role) : "PROMENEUR" }, member.id);
        return { text: `${created.displayName} fait maintenant partie du réseau, sous le numéro #${created.id}.`, fields: memberFields(created, timeZone), private: true, tone: "success" };
      },
    }),
    sub({
      name: "modifier",
      description: "Corriger ou compléter la fiche d'un membre",
      options: {
        membre: memberRef(),
        prenom: opt.text("Prénom", profileFields.firstName, PROFILE_EXPECTED.firstName).optional(),
        ...profileOptions,
        statut: opt.choice("Statut dans le réseau", { candidat: "Candidat", accueil: "En cours d'accueil", actif: "Actif", inactif: "Inactif" }).optional(),
      },
      async run({ services, options, member, platform, timeZone }) {
        const target = await services.members.findByRef(options.membre, platform);
        const patch = patchOf(options);
        if (Object.keys(patch).length === 0 && !options.statut) throw new UserError("Indiquez au moins un champ à modifier, par exemple `structure:\"MJC d'Épinal\"`.");
        let updated = Object.keys(patch).length ? await services.members.update(target.id, patch, member.id) : target;
        if (options.statut) {
          const status = ({ candidat: "CANDIDATE", accueil: "ONBOARDING", actif: "ACTIVE", inactif: "INACTIVE" } as const)[options.statut];
          if (status !== updated.status) updated = await services.members.setStatus(target.id, status, member.id);
        }
        return { text: `La fiche de ${updated.displayName} (#${updated.id}) est à jour.`, fields: memberFields(updated, timeZone), private: true, tone: "success" };
      },
    }),
    sub({
      name: "role",
      description: "Changer le rôle d'un membre",
      options: { membre: memberRef(), role: opt.choice("Nouveau rôle", ROLE_CHOICES) },
      async run({ services, options, member, platform }) {
        const target = await services.members.findByRef(options.membre, platform);
        const role = roleOf(options.role);
        if (target.role === role) return { text: `${target.displayName} a déjà le rôle ${ROLE_LABELS[role]}.`, private: true };
        await services.members.setRole(target.id, role, member.id);
        return { text: `${target.displayName} (#${target.id}) a maintenant le rôle ${ROLE_LABELS[role]} (avant : ${ROLE_LABELS[target.role]}).`, private: true, tone: "success" };
      },
    }),
    sub({
      name: "retirer",
      description: "Retirer un membre du réseau (sa fiche est gardée pour l'historique)",
      options: {
        membre: memberRef(),
        motif: opt.choice("Départ ou exclusion décidée par le comité de pilotage", { depart: "Départ du réseau", exclusion: "Exclusion (comité de pilotage)" }).optional(),
      },
      async run({ services, options, member, platform }) {
        const target = await services.members.findByRef(options.membre, platform);
        const status = options.motif === "exclusion" ? "EXCLUDED" : "INACTIVE";
        await services.members.remove(target.id, status, member.id);
        const what = status === "EXCLUDED" ? "ne fait plus partie du dispositif (exclusion)" : "ne fait plus partie du réseau (départ)";
        return { text: `${target.displayName} (#${target.id}) ${what}. Sa fiche est gardée pour l'historique et n'apparaît plus dans l'annuaire.`, private: true, tone: "success" };
      },
    }),
    sub({
      name: "lier",
      description: "Lier un compte Discord ou Slack à la fiche d'un membre",
      options: { membre: memberRef(), compte: accountOption() },
      async run({ services, options, member, platform }) {
        const target = await services.members.findByRef(options.membre, platform);
        const account = parseAccountRef(options.compte, platform);
        const { mergedStub } = await services.members.link(target.id, account, member.id);
        const merged = mergedStub ? ` La fiche créée automatiquement pour ce compte (#${mergedStub.id}) a été fusionnée avec tout ce qu'elle contenait.` : "";
        return { text: `Le compte ${account.platform} ${account.externalId} est lié à ${target.displayName} (#${target.id}).${merged}`, private: true, tone: "success" };
      },
    }),
    sub({
      name: "delier",
      description: "Délier un compte Discord ou Slack de la fiche d'un membre (administrateur)",
      roles: ["ADMIN"],
      options: { membre: memberRef(), compte: accountOption() },
      async run({ services, options, member, platform }) {
        const target = await services.members.findByRef(options.membre, platform);
        const account = parseAccountRef(options.compte, platform);
        await services.members.unlink(target.id, account, member.id);
        return { text: `Le compte ${account.platform} ${account.externalId} n'est plus lié à ${target.displayName} (#${target.id}).`, private: true, tone: "success" };
      },
    }),
    sub({
      name: "effacer",
      description: "Effacer les données d'un membre (demande reçue par courrier ou e-mail ; administrateur)",
      options: { membre: memberRef() },
      roles: ["ADMIN"],
      async run({ services, options, platform }) {
        const target = await services.members.findByRef(options.membre, platform);
        if (target.erasedAt) throw new UserError(`Les données de ${target.displayName} (#${target.id}) ont déjà été effacées.`);
        return {
          title: `Effacer les données de ${target.displayName} (#${target.id}) ?`,
          text: ERASURE_EXPLAINED,
          components: [
            {
              buttons: [
                { kind: "button", id: componentId("membre", "effacer", target.id), label: "Oui, effacer ses données", style: "danger" },
                { kind: "button", id: "membre:effacer-annuler", label: "Annuler", style: "secondary" },
              ],
            },
          ],
          private: true,
          tone: "warning",
        };
      },
    }),
  ],
  components: {
    effacer: {
      roles: ["ADMIN"],
      async run({ features, member, args }) {
        const id = numberArg(args[0]);
        if (id === undefined) throw new UserError("Ce bouton ne désigne aucun membre.");
        await features.privacy.erase(id, { id: member.id, as: "administrateur" });
        return { text: `Les données du membre #${id} sont effacées ; le journal garde l'action.`, private: true, update: true, tone: "success" };
      },
    },
    "effacer-annuler": {
      roles: ["ADMIN"],
      run() {
        return { text: "Rien n'a été effacé.", private: true, update: true };
      },
    },
  },
});
