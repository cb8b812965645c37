// The journey's buttons and forms. The views build their ids from ROUTES, and commands/accueil.ts
// keys its handlers on ACTIONS and FORMS: renaming one, or leaving one without its handler, fails
// at compile time instead of leaving a button that silently stops working.
import { componentId } from "../reply.js";

/** The command every route of the journey goes back to (commands/accueil.ts). */
const COMMAND = "accueil";

/** The second part of each button's id (`accueil:<action>:…`). */
export const ACTIONS = {
  start: "go",
  readCharter: "lire",
  charterPage: "page",
  adhere: "adhere",
  profileForm: "profil",
  kind: "type",
  consent: "annuaire",
  tick: "coche",
  publishForm: "publier",
  published: "publiee",
  rsvp: "rsvp",
} as const;

/** The second part of each form's id (`accueil:<form>`). */
export const FORMS = {
  profile: "profil",
  presentation: "presentation",
} as const;

export type Action = (typeof ACTIONS)[keyof typeof ACTIONS];
export type Form = (typeof FORMS)[keyof typeof FORMS];

export const ROUTES = {
  start: componentId(COMMAND, ACTIONS.start),
  readCharter: (page: number) => componentId(COMMAND, ACTIONS.readCharter, page),
  charterPage: (page: number) => componentId(COMMAND, ACTIONS.charterPage, page),
  adhere: componentId(COMMAND, ACTIONS.adhere),
  profileForm: componentId(COMMAND, ACTIONS.profileForm),
  kind: (kind: "jeunesse" | "parentalite") => componentId(COMMAND, ACTIONS.kind, kind),
  consent: (answer: "oui" | "non") => componentId(COMMAND, ACTIONS.consent, answer),
  tick: (item: string) => componentId(COMMAND, ACTIONS.tick, item),
  publishForm: componentId(COMMAND, ACTIONS.publishForm),
  published: componentId(COMMAND, ACTIONS.published),
  rsvp: (meetingId: number, choice: string) => componentId(COMMAND, ACTIONS.rsvp, meetingId, choice),
  profileModal: componentId(COMMAND, FORMS.profile),
  presentationModal: componentId(COMMAND, FORMS.presentation),
} as const;
