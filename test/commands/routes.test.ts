/** Every button, menu and form of /rencontre, /annonce, /sondage, /analyse and /formation reaches a handler of its command, and no handler is orphaned. */
import { describe, expect, it } from "vitest";
import analyse from "../../commands/analyse.js";
import annonce from "../../commands/annonce.js";
import rencontre from "../../commands/rencontre.js";
import formation from "../../commands/formation.js";
import sondage from "../../commands/sondage.js";
import { parseComponentId } from "../../src/core/reply.js";
import { ANNOUNCEMENT_ACTIONS, ANNOUNCEMENT_ROUTES } from "../../src/core/announcements/views.js";
import { MEETING_ACTIONS, MEETING_ROUTES } from "../../src/core/meetings/views.js";
import { POLL_ACTIONS, POLL_ROUTES } from "../../src/core/polls/views.js";
import { AVAILABILITY_ACTIONS, AVAILABILITY_ROUTES } from "../../src/core/polls/availability-views.js";
import { TRAINING_ACTIONS, TRAINING_FORMS, TRAINING_ROUTES } from "../../src/core/polls/training-views.js";

type Route = string | ((...args: never[]) => string);

/** Each route as the views build it, with sample arguments. */
const built = (routes: Record<string, Route>) => Object.entries(routes).map(([name, route]) => ({ name, id: typeof route === "function" ? route(...([3, 2, 1] as never[])) : route }));

const features: { command: typeof analyse; routes: Record<string, Route>; actions: Record<string, string>; forms: Record<string, string> }[] = [
  { command: rencontre, routes: MEETING_ROUTES, actions: MEETING_ACTIONS, forms: {} },
  { command: annonce, routes: ANNOUNCEMENT_ROUTES, actions: {}, forms: ANNOUNCEMENT_ACTIONS },
  { command: sondage, routes: POLL_ROUTES, actions: POLL_ACTIONS, forms: {} },
  { command: analyse, routes: AVAILABILITY_ROUTES, actions: AVAILABILITY_ACTIONS, forms: {} },
  { command: formation, routes: TRAINING_ROUTES, actions: TRAINING_ACTIONS, forms: TRAINING_FORMS },
];

describe.each(features)("the routes of /$command.name", ({ command, routes, actions, forms }) => {
  it("lead back to the command, each to a button or form handler it declares", () => {
    const buttons = Object.keys(command.components ?? {});
    const modals = Object.keys(command.modals ?? {});
    for (const { name, id } of built(routes)) {
      const [target, action] = parseComponentId(id);
      expect(target, name).toBe(command.name);
      expect(Object.values(forms).includes(action!) ? modals : buttons, name).toContain(action);
    }
  });

  it("leave no handler without a route that reaches it", () => {
    expect(Object.keys(command.components ?? {}).sort()).toEqual(Object.values(actions).sort());
    expect(Object.keys(command.modals ?? {}).sort()).toEqual(Object.values(forms).sort());
    const reached = new Set(built(routes).map(({ id }) => parseComponentId(id)[1]));
    for (const action of [...Object.values(actions), ...Object.values(forms)]) expect(reached, action).toContain(action);
  });
});
