/** A poll as stored with its options, and what a vote did: the vocabulary shared by the service and the views. */
import type { Prisma } from "../../store/index.js";

export type PollWithOptions = Prisma.PollGetPayload<{ include: { options: true } }>;
export type PollOption = PollWithOptions["options"][number];

/** What a vote did: single choice (new, changed, same) or multiple choice (added, removed, with the member's choices now). */
export type VoteOutcome = { poll: PollWithOptions; option: PollOption } & (
  | { kind: "same" }
  | { kind: "new" }
  | { kind: "changed"; previous?: PollOption }
  | { kind: "added" | "removed"; mine: PollOption[] }
);
