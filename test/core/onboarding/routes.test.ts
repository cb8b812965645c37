/** Every button and form of the journey reaches a handler of /accueil, and no handler is orphaned. */
import { describe, expect, it } from "vitest";
import accueil from "../../../commands/accueil.js";
import { parseComponentId } from "../../../src/core/reply.js";
import { ACTIONS, FORMS, ROUTES } from "../../../src/core/onboarding/routes.js";

/** Each route as the views build it, with sample arguments. */
const built = Object.entries(ROUTES).map(([name, route]) => ({ name, id: typeof route === "function" ? (route as (...args: never[]) => string)(...([1, "oui"] as never[])) : route }));

describe("the journey's routes", () => {
  it("lead back to /accueil, each to a button or form handler it declares", () => {
    const buttons = Object.keys(accueil.components ?? {});
    const forms = Object.keys(accueil.modals ?? {});
    for (const { name, id } of built) {
      const [command, action] = parseComponentId(id);
      expect(command, name).toBe("accueil");
      expect(name.endsWith("Modal") ? forms : buttons, name).toContain(action);
    }
  });

  it("leave no handler of /accueil without a route that reaches it", () => {
    expect(Object.keys(accueil.components ?? {}).sort()).toEqual(Object.values(ACTIONS).sort());
    expect(Object.keys(accueil.modals ?? {}).sort()).toEqual(Object.values(FORMS).sort());
    const reached = new Set(built.map(({ id }) => parseComponentId(id)[1]));
    for (const action of [...Object.values(ACTIONS), ...Object.values(FORMS)]) expect(reached, action).toContain(action);
  });
});
