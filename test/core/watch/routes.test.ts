/** The watch's buttons reach a handler of /veille, and /veille has no handler no button reaches. */
import { describe, expect, it } from "vitest";
import veille from "../../../commands/veille.js";
import { parseComponentId } from "../../../src/core/reply.js";
import { ACTIONS, ROUTES } from "../../../src/core/watch/routes.js";

describe("the watch's routes", () => {
  it("lead back to /veille, each to a button handler it declares", () => {
    const [command, action, page] = parseComponentId(ROUTES.weekPage(2));
    expect([command, page]).toEqual(["veille", "2"]);
    expect(Object.keys(veille.components ?? {})).toContain(action);
    expect(Object.keys(veille.components ?? {}).sort()).toEqual(Object.values(ACTIONS).sort());
  });
});
