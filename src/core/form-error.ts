import { UserError } from "./errors.js";

/**
 * A refusal of several fields at once, in French, built in the core so that every entry point
 * (command options, forms, scripts) refuses the same way; nothing is written when it is thrown.
 */
export class FormError extends UserError {
  constructor(readonly problems: { field: string; message: string }[]) {
    const head = problems.length > 1 ? "Ces valeurs ne conviennent pas :" : "Cette valeur ne convient pas :";
    super(`${head}\n${problems.map((p) => `• **${p.field}** : ${p.message}`).join("\n")}\nRien n'a été enregistré.`);
    this.name = "FormError";
  }
}
