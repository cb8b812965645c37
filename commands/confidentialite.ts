import { defineCommand, sub } from "../src/bot/command.js";

export default defineCommand({
  name: "confidentialite",
  description: "Comment le bot traite vos données personnelles (RGPD)",
  formerMembers: "served",
  subcommands: [
    sub({
      name: "",
      description: "La notice : responsable, finalités, données, durées de conservation, vos droits",
      options: {},
      run: (ctx) => ctx.features.privacy.notice(),
    }),
  ],
});
