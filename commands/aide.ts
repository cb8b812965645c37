import { defineCommand, rolesOf, sub, usage } from "../src/bot/command.js";
import { ACCESS_ENDED, hasLeft, roleAllows, ROLE_LABELS } from "../src/core/roles.js";

/** Lists what the asking member may use, one line each, so nobody is shown a door they cannot open. */
export default defineCommand({
  name: "aide",
  formerMembers: "served",
  description: "Les commandes du bot que vous pouvez utiliser",
  subcommands: [
    sub({
      name: "",
      description: "Les commandes du bot que vous pouvez utiliser",
      options: {},
      run({ member, commands }) {
        const lines: string[] = [];
        for (const command of commands) {
          const usable = command.subcommands.filter((s) => roleAllows(member.role, rolesOf(command, s)) && (!hasLeft(member) || (s.formerMembers ?? command.formerMembers) === "served"));
          for (const s of usable) lines.push(`• \`${usage(command, s)}\` — ${s.description}`);
        }
        return {
          title: "Aide — Promeneurs du Net des Vosges",
          text: `${hasLeft(member) ? `${ACCESS_ENDED}\n` : ""}Bonjour ${member.firstName} ! Voici les commandes ouvertes à votre rôle (${ROLE_LABELS[member.role]}) :\n${lines.join("\n")}`,
          private: true,
        };
      },
    }),
  ],
});
