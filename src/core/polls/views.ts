/** How polls look: the live post, the result, the reminder, and the answers to votes and commands. Neutral replies only. */
import { AUDIENCES, type Audience } from "../audiences.js";
import { formatWhen } from "../dates.js";
import { platformsLabel, postingReport, type Published } from "../publication.js";
import { plural } from "../../shared/plural.js";
import { componentId, type Button, type ComponentRow, type NativePoll, type Reply } from "../reply.js";
import { cut, inRows } from "../text-lists.js";
import type { PollDraft } from "./draft.js";
import type { PollOption, PollWithOptions, VoteOutcome } from "./model.js";
import { tallyFields, winners, type Tally } from "./tally.js";

/** The command every poll button goes back to (commands/sondage.ts). */
export const POLL_COMMAND = "sondage";
/** The component actions of that command; its handlers are keyed on these. */
export const POLL_ACTIONS = { vote: "vote", myVote: "monvote", choose: "choix" } as const;
export type PollAction = (typeof POLL_ACTIONS)[keyof typeof POLL_ACTIONS];
export const POLL_ROUTES = {
  vote: (pollId: number, position: number) => componentId(POLL_COMMAND, POLL_ACTIONS.vote, pollId, position),
  myVote: (pollId: number) => componentId(POLL_COMMAND, POLL_ACTIONS.myVote, pollId),
  /** A native poll's whole answer (the chosen positions as values). */
  choose: (pollId: number) => componentId(POLL_COMMAND, POLL_ACTIONS.choose, pollId),
} as const;

function voteButtons(poll: PollWithOptions): Button[] {
  return poll.options.map((o) => ({ kind: "button", id: POLL_ROUTES.vote(poll.id, o.position), label: cut(`${o.position}. ${o.label}`, 75), style: "primary" }));
}

/** The poll as posted: live bars while open, the final result once closed. */
export function pollMessage(poll: PollWithOptions, tally: Tally, timeZone: string): Reply {
  const open = poll.state === "open";
  const kind = `${poll.multiple ? "Plusieurs choix possibles" : "Un seul choix"} · ${poll.anonymous ? "vote anonyme" : poll.namesVisible ? "vote nominatif, noms visibles de tous" : "vote nominatif"} · pour ${AUDIENCES[poll.audience as Audience]}`;
  const when = open ? `Clôture le ${formatWhen(poll.closesAt, timeZone)} ; vous pouvez changer votre vote jusque-là.` : `Clos le ${formatWhen(poll.closedAt ?? poll.closesAt, timeZone)}.`;
  const components: ComponentRow[] = [];
  if (open) {
    for (const row of inRows(voteButtons(poll), 5)) components.push({ buttons: row });
    components.push({ buttons: [{ kind: "button", id: POLL_ROUTES.myVote(poll.id), label: "Mon vote", style: "secondary" }] });
  }
  return {
    title: cut(`📊 ${open ? "Sondage" : "Sondage clos"} n°${poll.id} — ${poll.question}`, 256),
    text: `${kind}\n${when}\n**${plural(tally.voters, "votant", "votants")}**`,
    fields: tallyFields(tally, { winners: !open }),
    components,
    tone: open ? "info" : "success",
    poll: nativePoll(poll, tally),
  };
}

/**
 * Only a poll that is not anonymous is offered as a platform's own poll: a native answer is an
 * event of the room, readable by every member's client, which an anonymous vote must never be
 * (it keeps the private ballot). Names of a named poll are shown by no client, as the bot does.
 */
function nativePoll(poll: PollWithOptions, tally: Tally): NativePoll | undefined {
  if (poll.anonymous) return undefined;
  return {
    route: POLL_ROUTES.choose(poll.id),
    question: cut(`Sondage n°${poll.id} — ${poll.question}`, 256),
    answers: poll.options.map((o) => ({ id: String(o.position), label: o.label })),
    maxSelections: poll.multiple ? poll.options.length : 1,
    closedResult: poll.state === "open" ? undefined : `${resultHeadline(tally)}\n${plural(tally.voters, "votant", "votants")}, toutes plateformes : ${tally.options.map((o) => `${o.position}. ${o.label} : ${plural(o.count, "voix", "voix")}`).join(" ; ")}.`,
  };
}

function resultHeadline(tally: Tally): string {
  const top = winners(tally);
  if (top.length === 0) return "Personne n'a voté.";
  if (top.length === 1) return `Résultat : **${top[0]!.position}. ${top[0]!.label}** (${plural(top[0]!.count, "voix", "voix")}).`;
  return `Égalité entre ${top.map((o) => `**${o.position}. ${o.label}**`).join(" et ")} (${plural(top[0]!.count, "voix", "voix")} chacune).`;
}

/** The result, posted once at closing. */
export function resultPost(poll: PollWithOptions, tally: Tally, timeZone: string): Reply {
  const closedView = pollMessage(poll, tally, timeZone);
  return { ...closedView, title: cut(`📊 Résultat du sondage n°${poll.id} — ${poll.question}`, 256), text: `${resultHeadline(tally)}\n${closedView.text}`, components: undefined, poll: undefined };
}

/** The private reminder to a member who has not voted, with the vote buttons. */
export function pollReminder(poll: PollWithOptions, timeZone: string): Reply {
  return {
    title: cut(`⏰ Sondage n°${poll.id} — ${poll.question}`, 256),
    text:
      `Le sondage se clôt le ${formatWhen(poll.closesAt, timeZone)} et vous n'avez pas encore répondu. ${poll.multiple ? "Cochez une ou plusieurs options" : "Choisissez une option"} :\n` +
      poll.options.map((o) => `- ${o.position}. ${o.label}`).join("\n"),
    components: inRows(voteButtons(poll), 5).map((row) => ({ buttons: row })),
  };
}

/** /sondage creer: where it was posted, when it closes. */
export function createdReply(published: Published<PollWithOptions>, draft: PollDraft): Reply {
  const { record: poll, refs, failures } = published;
  return {
    text:
      `Sondage n°${poll.id} publié (${platformsLabel(refs)}) : « ${poll.question} ». Clôture ${draft.closingReading}` +
      `${draft.anonymous ? " ; vote anonyme" : ""}.` +
      postingReport(failures),
    private: true,
    tone: failures.length ? "warning" : "success",
  };
}

const optionText = (o: Pick<PollOption, "position" | "label">) => `${o.position}. ${o.label}`;

/** The answer to a vote button: what is recorded now, until when it may change. */
export function voteReply(v: VoteOutcome, timeZone: string): Reply {
  const until = `Vous pouvez changer d'avis jusqu'au ${formatWhen(v.poll.closesAt, timeZone)}.`;
  const label = `**${optionText(v.option)}**`;
  const secret = v.poll.anonymous ? " Ce vote est anonyme : personne d'autre ne peut voir votre choix." : "";
  switch (v.kind) {
    case "same":
      return { text: `Vous aviez déjà choisi ${label}. ${until}`, private: true };
    case "new":
      return { text: `Vote enregistré : ${label}.${secret} ${until}`, private: true, tone: "success" };
    case "changed":
      return { text: `Vote modifié : ${label} (au lieu de ${v.previous ? optionText(v.previous) : "votre choix précédent"}).${secret} ${until}`, private: true, tone: "success" };
    case "added":
    case "removed": {
      const now = v.mine.length ? `Vos choix : ${v.mine.map(optionText).join(", ")}.` : "Vous n'avez plus aucun choix coché.";
      return { text: `${v.kind === "added" ? "Ajouté à" : "Retiré de"} votre vote : ${label}. ${now}${secret} ${until}`, private: true, tone: "success" };
    }
  }
}

/** The answer to a native poll's answer: the member's choices now (an empty answer withdraws the vote). */
export function chooseReply(poll: PollWithOptions, mine: PollOption[], timeZone: string): Reply {
  const until = `Vous pouvez changer d'avis jusqu'au ${formatWhen(poll.closesAt, timeZone)}.`;
  if (mine.length === 0) return { text: `Vote retiré au sondage n°${poll.id}. ${until}`, private: true };
  return { text: `Vote enregistré au sondage n°${poll.id} : ${mine.map((o) => `**${optionText(o)}**`).join(", ")}. ${until}`, private: true, tone: "success" };
}

/** « Mon vote »: what this member chose, shown to them only; null choices: a closed anonymous poll. */
export function myVoteReply(poll: PollWithOptions, mine: PollOption[] | null): Reply {
  if (mine === null) return { text: `Le sondage n°${poll.id} est clos et anonyme : les votes ne sont plus rattachés à personne, pas même au vôtre.`, private: true };
  if (mine.length === 0) return { text: `Vous n'avez pas encore voté au sondage n°${poll.id}.`, private: true };
  return { text: `Votre vote au sondage n°${poll.id} : ${mine.map((o) => `**${optionText(o)}**`).join(", ")}.`, private: true };
}

/** /sondage resultats: the tally, with names where the viewer may see them. */
export function resultsReply(poll: PollWithOptions, tally: Tally, withNames: boolean, timeZone: string): Reply {
  const shown = pollMessage(poll, tally, timeZone);
  const note = poll.anonymous
    ? "\nVote anonyme : seuls les totaux existent."
    : withNames
      ? ""
      : `\nLes noms des votants seront visibles de tous à la clôture (${formatWhen(poll.closesAt, timeZone)}).`;
  return { ...shown, components: undefined, poll: undefined, private: true, text: `${shown.text}${note}` };
}

/** /sondage cloturer. */
export function closedEarlyReply(pollId: number, posted: { refs: Published<unknown>["refs"]; failures: Published<unknown>["failures"] } | null): Reply {
  return { text: `Sondage n°${pollId} clos. ${posted ? `Résultat publié (${platformsLabel(posted.refs)}).${postingReport(posted.failures)}` : ""}`.trim(), private: true, tone: "success" };
}
