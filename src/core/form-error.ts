import { FieldsRefused, type FieldProblem } from "./errors.js";

/** The refusal of a form's fields (questions, activity reports): see FieldsRefused. */
export class FormError extends FieldsRefused {
  constructor(problems: FieldProblem[]) {
    super(problems);
    this.name = "FormError";
  }
}
