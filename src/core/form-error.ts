import { FieldsRefused } from "./errors.js";

/** The refusal of a form's fields (questions, activity reports): see FieldsRefused. */
export class FormError extends FieldsRefused {
  constructor(problems: { field: string; message: string }[]) {
    super(problems);
    this.name = "FormError";
  }
}
