// The watch's buttons. The views build their ids from ROUTES, and commands/veille.ts keys its
// handlers on ACTIONS: renaming one, or leaving one without its handler, fails at compile time.
import { componentId } from "../reply.js";

/** The command every route of the watch goes back to (commands/veille.ts). */
const COMMAND = "veille";

/** The second part of each button's id (`veille:<action>:…`). */
export const ACTIONS = {
  weekPage: "semaine",
} as const;

export type Action = (typeof ACTIONS)[keyof typeof ACTIONS];

export const ROUTES = {
  weekPage: (page: number) => componentId(COMMAND, ACTIONS.weekPage, page),
} as const;
