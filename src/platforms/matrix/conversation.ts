// One Matrix room event at a time per room, turned into the router's interactions and answered:
// commands in a thread under the command, private answers in the person's direct room, forms as
// questions there, choices by reaction or number. Membership changes in served rooms become the
// platform events that start and stop onboarding.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Router } from "../../bot/router.js";
import { internalErrorMessage, newErrorReference, UserError } from "../../core/errors.js";
import type { PlatformEvents } from "../../core/events.js";
import type { Interaction, PlatformUser } from "../../core/interaction.js";
import type { Modal, Reply } from "../../core/reply.js";
import type { Logger } from "../../logger.js";
import { BALLOT_ID } from "./choices.js";
import type { DirectRooms } from "./direct-rooms.js";
import { answer, cancelled, introduction, question, type FormInProgress } from "./forms.js";
import { commandFrom, messageFacts, numberAnswer, reactionAnswer, type MessageFacts } from "./inbound.js";
import type { MatrixOutbound } from "./outbound.js";
import { isPollResponse, pollAnswer } from "./polls.js";
import type { sdk } from "./sdk.js";

interface ConversationOptions {
  client: sdk.MatrixClient;
  router: Router;
  log: Logger;
  outbound: MatrixOutbound;
  directRooms: DirectRooms;
  events?: PlatformEvents;
  served: (roomId: string) => boolean;
  user: (id: string, roomId?: string) => PlatformUser;
  /** Where the time of the last command handled per room is kept (see `receive`). */
  cursorFile: string;
}

/** Where an answer goes: the room, the thread, the message answered, the message whose choice was used. */
interface Origin {
  roomId: string;
  eventId: string;
  threadRoot?: string;
  sender: string;
  /** The bot message carrying the choice that was answered. */
  choiceMessage?: string;
  /** An answer to a native poll: the private reply is not announced with 📩 on the answer. */
  pollAnswer?: boolean;
}

const PRIVATE_ELSEWHERE = "📩";

export class MatrixConversation {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly forms = new Map<string, FormInProgress>();
  private live = false;
  private readonly cursor: Record<string, number>;

  constructor(private readonly o: ConversationOptions) {
    this.cursor = existsSync(o.cursorFile) ? (JSON.parse(readFileSync(o.cursorFile, "utf8")) as Record<string, number>) : {};
  }

  /** From now on events are new; before, only commands newer than the last handled one of their room count. */
  goLive(): void {
    this.live = true;
  }

  async idle(): Promise<void> {
    await Promise.all([...this.queues.values()]);
  }

  /** Queues an event behind the earlier ones of its room. */
  receive(event: sdk.MatrixEvent, roomId: string): void {
    const previous = this.queues.get(roomId) ?? Promise.resolve();
    const next = previous.then(() => this.handle(event, roomId)).catch((err: unknown) => this.o.log.error({ err, roomId }, "Matrix : événement en échec"));
    this.queues.set(roomId, next);
    void next.then(() => {
      if (this.queues.get(roomId) === next) this.queues.delete(roomId);
    });
  }

  private async handle(event: sdk.MatrixEvent, roomId: string): Promise<void> {
    const me = this.o.client.getUserId();
    const sender = event.getSender();
    if (!sender || sender === me) return;
    if (event.getType() === "m.room.member") return this.membership(event, roomId);
    await this.o.client.decryptEventIfNeeded(event);
    const type = event.getType();
    const content = event.getContent();
    const direct = this.o.directRooms.personOf(roomId) === sender;
    if (!direct && !this.o.served(roomId)) return;
    if (!this.isNew(event, roomId)) return;
    if (type === "m.reaction") {
      await this.o.outbound.recall(roomId, (content["m.relates_to"] as { event_id?: string } | undefined)?.event_id);
      const found = reactionAnswer(this.o.outbound.choices, roomId, content, this.o.user(sender, roomId));
      if (found) await this.run(found.interaction, { roomId, eventId: found.messageId, sender, choiceMessage: found.messageId });
      return;
    }
    if (isPollResponse(type)) {
      const interaction = await pollAnswer(this.o.client, roomId, content, this.o.user(sender, roomId));
      if (interaction) await this.run(interaction, { roomId, eventId: event.getId()!, sender, pollAnswer: true });
      return;
    }
    if (type !== "m.room.message" || content.msgtype !== "m.text" || (content["m.relates_to"] as { rel_type?: string } | undefined)?.rel_type === "m.replace") return;
    await this.message(messageFacts(roomId, event.getId()!, sender, content), direct);
  }

  /**
   * Events of the first sync after a restart are old unless newer than the last command handled in
   * their room (kept on disk before handling it: a command is answered at most once).
   */
  private isNew(event: sdk.MatrixEvent, roomId: string): boolean {
    const ts = event.getTs();
    const last = this.cursor[roomId];
    if (!this.live && (last === undefined || ts <= last)) return false;
    if (last !== undefined && ts < last) return false;
    this.cursor[roomId] = ts;
    writeFileSync(`${this.o.cursorFile}.tmp`, JSON.stringify(this.cursor));
    renameSync(`${this.o.cursorFile}.tmp`, this.o.cursorFile);
    return true;
  }

  private async membership(event: sdk.MatrixEvent, roomId: string): Promise<void> {
    const events = this.o.events;
    const userId = event.getStateKey();
    if (!events || !this.live || !userId || !this.o.served(roomId) || userId === this.o.client.getUserId()) return;
    const now = event.getContent().membership;
    const before = event.getPrevContent().membership;
    const user = this.o.user(userId, roomId);
    if (now === "join" && before !== "join") await events.emit({ type: "joined", user, channelId: roomId });
    else if ((now === "leave" || now === "ban") && before === "join") await events.emit({ type: "left", user, channelId: roomId });
  }

  private async message(facts: MessageFacts, direct: boolean): Promise<void> {
    const user = this.o.user(facts.sender, facts.roomId);
    const origin: Origin = { roomId: facts.roomId, eventId: facts.eventId, threadRoot: facts.threadRoot, sender: facts.sender };
    const form = this.forms.get(facts.sender);
    if (form && direct && form.roomId === facts.roomId && (!facts.text.startsWith("!") || facts.text.toLowerCase() === "!annuler")) return this.formAnswer(form, facts, user);
    try {
      const command = commandFrom(this.o.router, facts, user);
      if (command) {
        if (form) this.forms.delete(facts.sender);
        return await this.run(command, origin);
      }
    } catch (err) {
      if (err instanceof UserError) return void (await this.o.outbound.send(facts.roomId, { text: err.message }, { threadRoot: facts.threadRoot ?? facts.eventId, replyTo: facts.eventId }));
      throw err;
    }
    if (/^\s*\d{1,2}\s*$/.test(facts.text)) {
      // In a thread, Element's reply points at the thread's latest event: the root may be the card.
      await this.o.outbound.recall(facts.roomId, facts.inReplyTo);
      await this.o.outbound.recall(facts.roomId, facts.threadRoot);
    }
    const choice = numberAnswer(this.o.outbound.choices, facts, user);
    if (choice) await this.run(choice.interaction, { ...origin, choiceMessage: choice.messageId });
  }

  private async run(interaction: Interaction, origin: Origin): Promise<void> {
    if (interaction.type === "component" && interaction.customId === BALLOT_ID) return this.sendBallot(origin);
    const reply = await this.o.router.handle(interaction);
    await this.deliver(reply, origin, interaction.channelId);
  }

  private async deliver(reply: Reply, origin: Origin, channelId: string): Promise<void> {
    const { outbound } = this.o;
    try {
      if (reply.modal) return await this.openForm(reply.modal, origin, channelId);
      if (reply.retryForm) {
        await this.sendPrivately({ ...reply, components: undefined, retryForm: undefined }, origin);
        return await this.openForm(reply.retryForm, origin, channelId);
      }
      if (reply.update && origin.choiceMessage) return await outbound.edit(origin.roomId, origin.choiceMessage, reply);
      if (reply.private && this.o.directRooms.personOf(origin.roomId) !== origin.sender) {
        await this.sendPrivately(reply, origin);
        if (!origin.pollAnswer) await outbound.react(origin.roomId, origin.eventId, PRIVATE_ELSEWHERE).catch(() => undefined);
        return;
      }
      const threadRoot = origin.choiceMessage ? (origin.threadRoot ?? origin.choiceMessage) : (origin.threadRoot ?? origin.eventId);
      await outbound.send(origin.roomId, reply, { threadRoot, replyTo: origin.eventId });
    } catch (err) {
      if (err instanceof UserError) return void (await this.sendPrivately({ text: err.message }, origin).catch(() => undefined));
      const ref = newErrorReference();
      this.o.log.error({ err, ref }, "Matrix : réponse en échec");
      await this.sendPrivately({ text: internalErrorMessage(ref) }, origin).catch(() => undefined);
    }
  }

  /** The poll again, in the person's direct room, where their answer is theirs alone. */
  private async sendBallot(origin: Origin): Promise<void> {
    const card = origin.choiceMessage && this.o.outbound.choices.replyOf(origin.choiceMessage);
    if (!card) return;
    const roomId = await this.o.directRooms.roomFor(origin.sender);
    await this.o.outbound.send(roomId, { ...card, ping: undefined });
  }

  private async sendPrivately(reply: Reply, origin: Origin): Promise<void> {
    const roomId = await this.o.directRooms.roomFor(origin.sender);
    await this.o.outbound.send(roomId, reply);
  }

  private async openForm(modal: Modal, origin: Origin, channelId: string): Promise<void> {
    const roomId = await this.o.directRooms.roomFor(origin.sender);
    const form: FormInProgress = { modal, channelId, roomId, answers: {}, next: 0 };
    this.forms.set(origin.sender, form);
    await this.o.outbound.send(roomId, { text: `${introduction(modal)}\n\n${question(form)}` });
    if (roomId !== origin.roomId) await this.o.outbound.react(origin.roomId, origin.eventId, PRIVATE_ELSEWHERE).catch(() => undefined);
  }

  private async formAnswer(form: FormInProgress, facts: MessageFacts, user: PlatformUser): Promise<void> {
    const step = answer(form, facts.text);
    if (step.kind === "ask") return void (await this.o.outbound.send(form.roomId, { text: step.text }));
    this.forms.delete(facts.sender);
    if (step.kind === "cancelled") return void (await this.o.outbound.send(form.roomId, { text: cancelled(form.modal) }));
    const interaction: Interaction = { type: "modal", user, channelId: form.channelId, canOpenModal: false, customId: form.modal.id, fields: step.fields };
    await this.run(interaction, { roomId: form.roomId, eventId: facts.eventId, sender: facts.sender });
  }
}
