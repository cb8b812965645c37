// Matrix's native polls (MSC3381, as Element shows them) for the bot's polls that are not
// anonymous: the poll is an m.poll.start, a person's answer an m.poll.response relating to it, and
// the closing an m.poll.end carrying the result counted on every platform. The start event carries
// the route its answers go back to, so an answer given after a restart still finds its poll.
import type { Interaction, PlatformUser } from "../../core/interaction.js";
import type { NativePoll } from "../../core/reply.js";
import { defuseRoomMention, toMatrixPlain } from "./render.js";
import { decryptedEvent } from "./room-events.js";
import { sdk } from "./sdk.js";

/** The bot's own key in its m.poll.start: the component route an answer becomes. */
const POLL_ROUTE_KEY = "fr.promeneurs-du-net.route";

type Content = Record<string, unknown>;
interface StartBody {
  answers?: { id?: unknown }[];
  max_selections?: number;
}

const plain = (text: string) => defuseRoomMention(toMatrixPlain(text));

/** The m.poll.start of a poll; answer ids are the bot's own (positions), not random ones. */
export function pollStartContent(poll: NativePoll): Content {
  const question = plain(poll.question);
  const answers = poll.answers.map((a) => ({ id: a.id, [sdk.M_TEXT.name]: plain(a.label) }));
  return {
    [sdk.M_POLL_START.name]: {
      question: { [sdk.M_TEXT.name]: question },
      // Disclosed: Element shows the Matrix answers' count as they come, as the bot's cards show theirs.
      kind: sdk.M_POLL_KIND_DISCLOSED.name,
      max_selections: poll.maxSelections,
      answers,
    },
    // What clients without polls show.
    [sdk.M_TEXT.name]: `${question}\n${poll.answers.map((a) => `${a.id}. ${plain(a.label)}`).join("\n")}`,
    [POLL_ROUTE_KEY]: poll.route,
    "m.mentions": {},
  };
}

export function pollEndContent(startEventId: string, result: string): Content {
  return {
    "m.relates_to": { rel_type: "m.reference", event_id: startEventId },
    [sdk.M_POLL_END.name]: {},
    [sdk.M_TEXT.name]: plain(result),
    "m.mentions": {},
  };
}

export const isPollResponse = (type: string) => sdk.M_POLL_RESPONSE.matches(type);

/** The answer ids of an m.poll.response (stable or unstable key), or undefined when malformed. */
function answerIds(content: Content): string[] | undefined {
  const body = (content[sdk.M_POLL_RESPONSE.name] ?? content[sdk.M_POLL_RESPONSE.altName!]) as { answers?: unknown } | undefined;
  if (!Array.isArray(body?.answers) || !body.answers.every((a) => typeof a === "string")) return undefined;
  return body.answers as string[];
}

/**
 * An m.poll.response as the interaction of its poll's route: only an answer to a poll the bot
 * started, and only with that poll's answer ids (anything else in the event is dropped).
 */
export async function pollAnswer(client: sdk.MatrixClient, roomId: string, content: Content, user: PlatformUser): Promise<Interaction | undefined> {
  const relation = content["m.relates_to"] as { rel_type?: string; event_id?: string } | undefined;
  const chosen = answerIds(content);
  if (relation?.rel_type !== "m.reference" || !relation.event_id || !chosen) return undefined;
  const start = await decryptedEvent(client, roomId, relation.event_id);
  if (!start || start.getSender() !== client.getUserId() || !sdk.M_POLL_START.matches(start.getType())) return undefined;
  const startContent = start.getContent();
  const route = startContent[POLL_ROUTE_KEY];
  const body = (startContent[sdk.M_POLL_START.name] ?? startContent[sdk.M_POLL_START.altName!]) as StartBody | undefined;
  if (typeof route !== "string" || !body?.answers) return undefined;
  const offered = new Set(body.answers.map((a) => a.id));
  const values = [...new Set(chosen.filter((id) => offered.has(id)))].slice(0, body.max_selections ?? 1);
  return { type: "component", user, channelId: roomId, canOpenModal: false, customId: route, values };
}
