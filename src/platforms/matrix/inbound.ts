// What people do in Matrix, as the router's neutral interactions: a `!` message is a command
// (parsed by the same text parser as Slack and the console), a reaction or a number in a thread
// answers a numbered choice, an answer in the direct room fills a form in progress.
import { decode } from "html-entities";
import type { Router } from "../../bot/router.js";
import { parseTextOptions } from "../../bot/text-command.js";
import type { Interaction, PlatformUser } from "../../core/interaction.js";
import type { ChoiceBook } from "./choices.js";

export interface MessageFacts {
  roomId: string;
  eventId: string;
  sender: string;
  text: string;
  /** The thread the message was sent in (its root), or undefined in the room's main timeline. */
  threadRoot?: string;
  /** The message it replies to, if any. */
  inReplyTo?: string;
}

type Content = Record<string, unknown>;

/** The text a person typed: pills written as the user id they point to (« @nora:serveur »). */
export function typedText(content: Content): string {
  const html = typeof content.formatted_body === "string" ? content.formatted_body : undefined;
  if (!html || content.format !== "org.matrix.custom.html") return String(content.body ?? "");
  const withIds = html
    .replace(/<mx-reply>[\s\S]*?<\/mx-reply>/g, "")
    .replace(/<a\s+href="https:\/\/matrix\.to\/#\/((?:@|%40)[^"]+)"[^>]*>[\s\S]*?<\/a>/g, (_, id: string) => decodeURIComponent(id))
    .replace(/<br\s*\/?>/g, "\n")
    .replace(/<[^>]+>/g, "");
  return decode(withIds);
}

export function messageFacts(roomId: string, eventId: string, sender: string, content: Content): MessageFacts {
  const relation = content["m.relates_to"] as { rel_type?: string; event_id?: string; "m.in_reply_to"?: { event_id?: string } } | undefined;
  return {
    roomId,
    eventId,
    sender,
    text: typedText(content).trim(),
    threadRoot: relation?.rel_type === "m.thread" ? relation.event_id : undefined,
    inReplyTo: relation?.["m.in_reply_to"]?.event_id,
  };
}

/** « !rencontre creer titre:"…" » as a command interaction; undefined when it is not a `!` command. */
export function commandFrom(router: Router, facts: MessageFacts, user: PlatformUser): Interaction | undefined {
  const match = /^!([\p{L}\d_-]+)(?:\s+([\s\S]*))?$/u.exec(facts.text);
  if (!match) return undefined;
  const name = match[1]!.toLowerCase();
  const def = router.command(name);
  const parsed = def ? parseTextOptions(def, (match[2] ?? "").trim()) : { options: {} };
  return { type: "command", user, channelId: facts.roomId, canOpenModal: false, command: name, subcommand: parsed.subcommand, options: parsed.options };
}

/** « 2 » in the thread of (or in reply to) a message with choices. */
export function numberAnswer(choices: ChoiceBook, facts: MessageFacts, user: PlatformUser): { interaction: Interaction; messageId: string } | undefined {
  const anchor = facts.inReplyTo && choices.has(facts.inReplyTo) ? facts.inReplyTo : facts.threadRoot;
  if (!anchor) return undefined;
  const found = choices.byNumber(anchor, facts.text);
  if (!found) return undefined;
  return { interaction: { type: "component", user, channelId: facts.roomId, canOpenModal: false, customId: found.choice.customId, values: found.choice.values }, messageId: found.eventId };
}

export function reactionAnswer(choices: ChoiceBook, roomId: string, content: Content, user: PlatformUser): { interaction: Interaction; messageId: string } | undefined {
  const relation = content["m.relates_to"] as { rel_type?: string; event_id?: string; key?: string } | undefined;
  if (relation?.rel_type !== "m.annotation" || !relation.event_id || !relation.key) return undefined;
  const found = choices.byReaction(relation.event_id, relation.key);
  if (!found) return undefined;
  return { interaction: { type: "component", user, channelId: roomId, canOpenModal: false, customId: found.choice.customId, values: found.choice.values }, messageId: found.eventId };
}
