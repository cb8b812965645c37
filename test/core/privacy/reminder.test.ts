/** Every free-text field where a Promeneur could write about a young person carries the same reminder. */
import { describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.js";
import { PRIVACY_HINT } from "../../../src/core/privacy/reminder.js";
import { needForm } from "../../../src/core/polls/training-views.js";

const optionOf = (command: string, sub: string, option: string) => {
  const c = commands.find((x) => x.name === command)!;
  return c.subcommands.find((s) => s.name === sub)!.options[option]!;
};

describe("the privacy reminder on free-text fields", () => {
  it.each([
    ["activite", "declarer", "actions"],
    ["activite", "declarer", "autres-themes"],
    ["veille", "ajouter", "commentaire"],
  ])("/%s %s %s", (command, sub, option) => {
    expect(optionOf(command, sub, option).description.toLowerCase()).toContain(PRIVACY_HINT.toLowerCase());
  });

  it("the question form and the training-need form", async () => {
    const question = commands.find((c) => c.name === "question")!.subcommands.find((s) => s.name === "poser")!;
    const form = (await question.run({ options: {} } as never)).modal!;
    expect(form.fields.find((f) => f.id === "question")!.placeholder).toContain(PRIVACY_HINT);
    const need = needForm(1).modal!;
    expect(need.fields[0]!.placeholder).toContain(PRIVACY_HINT);
  });
});
