import type { CommandDef } from "../src/bot/command.js";
import aide from "./aide.js";
import annuaire from "./annuaire.js";
import config from "./config.js";
import membre from "./membre.js";
import profil from "./profil.js";

/** Every slash command the bot serves, in the order /aide lists them. */
export const commands: readonly CommandDef[] = [aide, profil, annuaire, membre, config];
