import type { CommandDef } from "../src/bot/command.js";
import accueil from "./accueil.js";
import activite from "./activite.js";
import aide from "./aide.js";
import analyse from "./analyse.js";
import annonce from "./annonce.js";
import annuaire from "./annuaire.js";
import bilan from "./bilan.js";
import config from "./config.js";
import formation from "./formation.js";
import membre from "./membre.js";
import messages from "./messages.js";
import mesDonnees from "./mes-donnees.js";
import confidentialite from "./confidentialite.js";
import profil from "./profil.js";
import question from "./question.js";
import rencontre from "./rencontre.js";
import sondage from "./sondage.js";
import tableau from "./tableau.js";
import veille from "./veille.js";

/** Every slash command the bot serves, in the order /aide lists them. */
export const commands: readonly CommandDef[] = [aide, messages, profil, annuaire, membre, rencontre, annonce, sondage, analyse, formation, config, veille, accueil, question, activite, tableau, bilan, mesDonnees, confidentialite];
