import { z } from "zod";
import { defineCommand, opt, sub } from "../src/bot/command.js";
import { directoryEntry } from "../src/bot/views/member.js";
import type { DirectoryQuery } from "../src/core/directory.js";
import { numberArg, componentId, type Reply } from "../src/core/reply.js";
import { KIND_LABELS, type Member } from "../src/core/roles.js";
import type { Services } from "../src/core/services.js";
import { plural } from "../src/shared/plural.js";

const CONTACTS_AFTER_CHARTER = "Les moyens de contact s'affichent une fois la charte des Promeneurs du Net acceptée (étape de votre accueil).";

const KIND_CODES = { jeunesse: "JEUNESSE", parentalite: "PARENTALITE" } as const;

/** Renders one page; the paging buttons carry the whole query so they work after a restart. */
async function page(services: Services, viewer: Member, query: DirectoryQuery, pageNumber: number): Promise<Reply> {
  const result = await services.directory.search(query, pageNumber);
  const withContacts = await services.directory.mayReadContacts(viewer);
  const criteria = [
    query.text ? `« ${query.text} »` : "",
    query.kind ? KIND_LABELS[query.kind] : "",
    query.commune ? `commune ${query.commune}` : "",
  ].filter(Boolean);
  const scope = criteria.length ? ` pour ${criteria.join(", ")}` : "";
  if (result.total === 0) {
    return { text: `Aucun Promeneur du Net trouvé dans l'annuaire${scope}.`, private: true, update: pageNumber > 1 };
  }
  const kindCode = query.kind === "JEUNESSE" ? "j" : query.kind === "PARENTALITE" ? "p" : "-";
  const route = (n: number) => componentId("annuaire", "page", n, kindCode, query.commune ?? "", query.text ?? "");
  const buttons = [];
  if (result.page > 1) buttons.push({ kind: "button" as const, id: route(result.page - 1), label: "◀ Précédent", style: "secondary" as const });
  if (result.page < result.pages) buttons.push({ kind: "button" as const, id: route(result.page + 1), label: "Suivant ▶", style: "primary" as const });
  return {
    title: "Annuaire des Promeneurs du Net des Vosges",
    text: `${plural(result.total, "Promeneur du Net", "Promeneurs du Net")}${scope} — page ${result.page}/${result.pages}${withContacts ? "" : `\n${CONTACTS_AFTER_CHARTER}`}`,
    fields: result.members.map((m) => directoryEntry(m, withContacts)),
    components: buttons.length ? [{ buttons }] : undefined,
    private: true,
  };
}

export default defineCommand({
  name: "annuaire",
  description: "Chercher un Promeneur du Net dans l'annuaire départemental",
  subcommands: [
    sub({
      name: "",
      description: "Chercher un Promeneur du Net dans l'annuaire départemental",
      options: {
        recherche: opt.text("Prénom, structure, réseau…", z.string().trim().min(2, { message: "2 caractères au moins" }).max(30, { message: "30 caractères au plus" }), "un mot de 2 à 30 caractères").optional(),
        type: opt.choice("Jeunesse ou Parentalité", { jeunesse: "Jeunesse", parentalite: "Parentalité" }).optional(),
        commune: opt.text("Commune d'intervention", z.string().trim().min(2, { message: "2 caractères au moins" }).max(30, { message: "30 caractères au plus" }), "un nom de commune, par exemple « Épinal »").optional(),
      },
      run({ services, options, member }) {
        return page(services, member, { text: options.recherche, kind: options.type ? KIND_CODES[options.type] : undefined, commune: options.commune }, 1);
      },
    }),
  ],
  components: {
    page: {
      async run({ services, args, member }) {
        const [n, kindCode, commune, text] = args;
        const kind = kindCode === "j" ? "JEUNESSE" : kindCode === "p" ? "PARENTALITE" : undefined;
        const reply = await page(services, member, { kind, commune: commune || undefined, text: text || undefined }, numberArg(n) ?? 1);
        return { ...reply, update: true };
      },
    },
  },
});
