import { defineCommand, opt, sub } from "../src/bot/command.js";
import { directoryLinkField, memberFields } from "../src/bot/views/member.js";
import { ValidationError } from "../src/bot/validate.js";
import { PROFILE_EXPECTED, profileFields, type ProfilePatch } from "../src/core/profile.js";
import { parseProfileForm, profileFormFields } from "../src/core/profile-form.js";
import type { Reply } from "../src/core/reply.js";
import type { Member } from "../src/core/roles.js";

function formFor(member: Member): Reply {
  return { modal: { id: "profil:form", title: "Mon profil de Promeneur du Net", fields: profileFormFields(member, "firstName") } };
}

/** Validates every form field and reports all the bad ones at once. */
function patchFromForm(fields: Record<string, string>): ProfilePatch {
  const { patch, problems } = parseProfileForm(fields, "firstName");
  if (problems.length) throw new ValidationError(problems, false);
  return patch;
}

export default defineCommand({
  name: "profil",
  description: "Votre profil de Promeneur du Net",
  subcommands: [
    sub({
      name: "voir",
      formerMembers: "served",
      description: "Voir votre profil tel que le réseau le connaît",
      options: {},
      async run({ member, services, timeZone }) {
        const full = (await services.members.get(member.id)) ?? member;
        const link = directoryLinkField(full, services.siteUrl);
        return { title: `Votre profil — ${member.displayName}`, fields: [...memberFields(full, timeZone), ...(link ? [link] : [])], private: true };
      },
    }),
    sub({
      name: "modifier",
      description: "Modifier votre profil (sans option : un formulaire s'ouvre)",
      options: {
        prenom: opt.text("Votre prénom", profileFields.firstName, PROFILE_EXPECTED.firstName).optional(),
        structure: opt.text("Votre structure", profileFields.structure, PROFILE_EXPECTED.structure).optional(),
        type: opt.choice("Promeneur Jeunesse ou Parentalité", { jeunesse: "Jeunesse", parentalite: "Parentalité" }).optional(),
        commune: opt.text("Votre commune d'intervention", profileFields.commune, PROFILE_EXPECTED.commune).optional(),
        reseaux: opt.text("Réseaux où vous intervenez, séparés par des virgules", profileFields.networks, PROFILE_EXPECTED.networks).optional(),
        contact: opt.text("Comment les jeunes ou les parents peuvent vous joindre", profileFields.contact, PROFILE_EXPECTED.contact).optional(),
        photo: opt.text("Adresse https de votre photo (ou celle de votre structure)", profileFields.photoUrl, PROFILE_EXPECTED.photoUrl).optional(),
      },
      async run({ member, services, options, timeZone }) {
        const patch: ProfilePatch = {};
        if (options.prenom) patch.firstName = options.prenom;
        if (options.structure) patch.structure = options.structure;
        if (options.type) patch.kind = options.type === "jeunesse" ? "JEUNESSE" : "PARENTALITE";
        if (options.commune) patch.commune = options.commune;
        if (options.reseaux !== undefined) patch.networks = options.reseaux;
        if (options.contact) patch.contact = options.contact;
        if (options.photo) patch.photoUrl = options.photo;
        if (Object.keys(patch).length === 0) return formFor(member);
        const updated = await services.members.update(member.id, patch, member.id);
        return { text: "Votre profil est à jour.", fields: memberFields(updated, timeZone), private: true, tone: "success" };
      },
    }),
    sub({
      name: "consentement",
      description: "Apparaître ou non dans l'annuaire départemental",
      options: {
        annuaire: opt.boolean("oui pour apparaître dans l'annuaire, non pour en sortir"),
        nom: opt.boolean("oui pour montrer aussi votre nom de famille (sinon le prénom seul)").optional(),
      },
      async run({ member, services, options }) {
        const patch: ProfilePatch = { directoryConsent: options.annuaire };
        if (options.nom !== undefined) patch.directoryLastName = options.nom;
        const updated = await services.members.update(member.id, patch, member.id);
        const visible = member.status === "ACTIVE";
        const shown = updated.directoryLastName && updated.lastName ? "avec votre prénom et votre nom" : "avec votre prénom seul";
        const text = options.annuaire
          ? visible
            ? `C'est noté : votre profil apparaît dans l'annuaire départemental, ${shown}.`
            : `C'est noté : votre profil apparaîtra dans l'annuaire dès la fin de votre accueil dans le réseau, ${shown}.`
          : "C'est noté : votre profil n'apparaît plus dans l'annuaire départemental.";
        const link = options.annuaire ? directoryLinkField(updated, services.siteUrl) : undefined;
        return { text, fields: link ? [link] : undefined, private: true, tone: "success" };
      },
    }),
  ],
  modals: {
    form: {
      async run({ member, services, fields, timeZone }) {
        const updated = await services.members.update(member.id, patchFromForm(fields), member.id);
        return {
          text: "Votre profil est à jour. Pour ajouter votre type (jeunesse ou parentalité) ou une photo : `/profil modifier type:… photo:…`.",
          fields: memberFields(updated, timeZone),
          private: true,
          tone: "success",
        };
      },
    },
  },
});
