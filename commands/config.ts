import { defineCommand, opt, sub } from "../src/bot/command.js";
import { CHANNEL_USAGES, type ChannelUsage } from "../src/core/settings.js";
import { platformDescriptor, platformLabelAfterOn, type PlatformName } from "../src/platforms/catalog.js";
import { STAFF } from "../src/core/roles.js";
import { duration, RETENTION, type RetentionKey } from "../src/core/privacy/index.js";
import { plural } from "../src/shared/plural.js";

const RULE_CHOICES = Object.fromEntries(Object.entries(RETENTION).map(([k, v]) => [k, v.label.replace(/ après$/, "").slice(0, 100)])) as Record<RetentionKey, string>;

/** How a channel id is shown so each platform turns it into a link. */
const mention = (platform: PlatformName, channelId: string): string => platformDescriptor(platform).mentionChannel(channelId);

export default defineCommand({
  name: "config",
  description: "Réglages du bot (animateur)",
  roles: STAFF,
  subcommands: [
    sub({
      name: "voir",
      description: "Voir quel salon sert à quoi sur cette plateforme",
      options: {},
      async run({ services, platform }) {
        const channels = await services.settings.channels(platform);
        const fields = (Object.keys(CHANNEL_USAGES) as ChannelUsage[]).map((usage) => ({
          name: `${usage} — ${CHANNEL_USAGES[usage]}`,
          value: channels[usage] ? mention(platform, channels[usage]) : "non défini",
        }));
        return {
          title: `Salons du bot sur ${platformLabelAfterOn(platform)}`,
          text: "Pour changer : `/config canal usage:<usage> canal:<salon>`",
          fields,
          private: true,
        };
      },
    }),
    sub({
      name: "verifier",
      description: "Vérifier l'installation (base, sauvegarde, plateformes, salons, disque)",
      options: {},
      async run({ services }) {
        if (!services.setupCheck) return { text: "La vérification n'est pas disponible ici : lancez npm run diagnostic sur le serveur.", private: true };
        const checks = await services.setupCheck();
        const failures = checks.filter((c) => !c.ok).length;
        return {
          title: "Vérification de l'installation",
          text: failures === 0 ? "Tout va bien." : `${plural(failures, "problème", "problèmes")} à corriger :`,
          fields: checks.map((c) => ({ name: `${c.ok ? "✅" : "❌"} ${c.label}`, value: c.ok || !c.fix ? c.detail : `${c.detail}\n→ ${c.fix}` })),
          private: true,
        };
      },
    }),
    sub({
      name: "canal",
      description: "Choisir le salon qui sert à un usage sur cette plateforme",
      options: {
        usage: opt.choice("À quoi sert ce salon", Object.fromEntries(Object.entries(CHANNEL_USAGES).map(([k, v]) => [k, v])) as Record<ChannelUsage, string>),
        canal: opt.channel("Le salon"),
      },
      async run({ services, platform, options, member }) {
        const before = await services.settings.setChannel(platform, options.usage, options.canal, member.id);
        const was = before && before !== options.canal ? ` (à la place de ${mention(platform, before)})` : "";
        return {
          text: `C'est noté : sur ${platformLabelAfterOn(platform)}, le salon ${mention(platform, options.canal)} sert désormais à l'usage « ${options.usage} » (${CHANNEL_USAGES[options.usage]})${was}.`,
          private: true,
          tone: "success",
        };
      },
    }),
      sub({
      name: "conservation",
      description: "Changer une durée de conservation des données (administrateur)",
      roles: ["ADMIN"],
      options: {
        regle: opt.choice("Quelle durée", RULE_CHOICES),
        mois: opt.integer("La nouvelle durée, en mois (1 à 240)"),
      },
      async run({ features, member, options }) {
        const before = await features.privacy.setRetention(options.regle, options.mois, member.id);
        return { text: `${RETENTION[options.regle].label} ${duration(options.mois)} (avant : ${duration(before)}). La tâche de chaque nuit applique la nouvelle durée ; \`/confidentialite\` la montre.`, private: true, tone: "success" };
      },
    }),
    sub({
      name: "dpo",
      description: "Le contact du délégué à la protection des données (administrateur)",
      roles: ["ADMIN"],
      options: { contact: opt.text("Adresse e-mail ou postale du DPO") },
      async run({ features, member, options }) {
        await features.privacy.setDpoContact(options.contact, member.id);
        return { text: "Le contact du délégué à la protection des données est à jour ; `/confidentialite` le montre.", private: true, tone: "success" };
      },
    }),
  ],
});
