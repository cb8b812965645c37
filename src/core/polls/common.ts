import { FieldsRefused, type FieldProblem } from "../errors.js";
import type { PostingServiceDeps } from "../publication.js";
import type { LiveRenders } from "./live.js";

export type Problem = FieldProblem;

/** The refusal of what was typed for a poll, an availability poll or a survey: see FieldsRefused. */
export class InputRefused extends FieldsRefused {
  constructor(problems: Problem[]) {
    super(problems);
    this.name = "InputRefused";
  }
}

/** What the services of polls, availability polls and training surveys are built from. */
export interface PollDeps extends PostingServiceDeps {
  live: LiveRenders;
}
