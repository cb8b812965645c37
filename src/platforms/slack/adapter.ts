import { App, LogLevel, SocketModeReceiver, type RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Router } from "../../bot/router.js";
import { parseTextOptions } from "../../bot/text-command.js";
import type { Config } from "../../config.js";
import { internalErrorMessage, newErrorReference, UserError } from "../../core/errors.js";
import type { Interaction, Membership, PlatformUser } from "../../core/interaction.js";
import { DirectMessageUnavailable, type MessageRef, type PlatformNotifier, type SendOptions } from "../../core/notifier.js";
import type { Reply } from "../../core/reply.js";
import type { Logger } from "../../logger.js";
import { within } from "../../core/within.js";
import type { PlatformEvents } from "../../core/events.js";
import type { PlatformAdapter } from "../adapter.js";
import { slackPlatform } from "./descriptor.js";
import { boltLogger } from "./bolt-logger.js";
import { DELIVERY_EVENT, findKeyedMessage } from "./delivery.js";
import { askMembership, loadProfile } from "./people.js";
import { renderBlocks, renderView, viewErrors } from "./render.js";

const PRIVATE_FILES_NOTE = "Fichier joint envoyé dans votre conversation privée avec le bot.";

/** Slack retries a request not acknowledged within 3 s; past this we ack empty and answer later. */
const ACK_WITHIN_MS = 2000;
/** How long Slack's word on someone's membership (guest, other organisation) is trusted. */
const MEMBERSHIP_TTL_MS = 5 * 60_000;

interface SlackAdapterOptions {
  config: Config;
  router: Router;
  log: Logger;
  /** Arrivals in the workspace or a channel, departures from a channel. */
  events?: PlatformEvents;
}

/** Slack errors meaning « this person cannot be reached privately ». */
const DM_REFUSED = new Set(["cannot_dm_bot", "user_not_found", "user_disabled", "user_not_visible", "messages_tab_disabled"]);

function slackError(err: unknown): string | undefined {
  return (err as { data?: { error?: string } }).data?.error;
}

/** Serves the commands on the Slack workspace, in Socket Mode or over signed HTTP requests. */
export class SlackAdapter implements PlatformAdapter, PlatformNotifier {
  readonly name = "slack" as const;
  readonly platform = "slack" as const;
  readonly app: App;
  private readonly httpMode: boolean;
  private readonly receiver?: SocketModeReceiver;
  private teamId = "";
  private botUserId = "";
  private readonly memberships = new Map<string, { verdict: Membership; until: number }>();
  private readonly eventQueues = new Map<string, Promise<void>>();
  /** The port actually listened on in HTTP mode (SLACK_PORT=0 picks a free one). */
  httpPort?: number;
  /** Up once started; in Socket Mode it follows the socket's own connect/disconnect events. */
  private up = false;

  constructor(private readonly options: SlackAdapterOptions) {
    const { config, log } = options;
    this.httpMode = Boolean(config.SLACK_SIGNING_SECRET);
    // Each client gets its own options object: the Socket Mode client writes its retry policy
    // into the object it is given, which would otherwise leak into every API call.
    const clientOptions = () => (config.SLACK_API_URL ? { slackApiUrl: withSlash(config.SLACK_API_URL) } : {});
    const logger = boltLogger(log);
    if (this.httpMode) {
      this.app = new App({ token: config.SLACK_BOT_TOKEN, logger, logLevel: LogLevel.WARN, clientOptions: clientOptions(), signingSecret: config.SLACK_SIGNING_SECRET!, port: config.SLACK_PORT });
    } else {
      this.receiver = new SocketModeReceiver({ appToken: config.SLACK_APP_TOKEN!, logger, logLevel: LogLevel.WARN, installerOptions: { clientOptions: clientOptions() } });
      this.app = new App({ token: config.SLACK_BOT_TOKEN, logger, logLevel: LogLevel.WARN, clientOptions: clientOptions(), receiver: this.receiver });
    }
    this.listen();
  }

  async start(): Promise<void> {
    const auth = await this.app.client.auth.test();
    this.teamId = String(auth.team_id ?? "");
    this.botUserId = String(auth.user_id ?? "");
    if (this.httpMode) {
      const server = (await this.app.start(this.options.config.SLACK_PORT ?? 3000)) as { address?: () => unknown };
      const address = server?.address?.() as { port?: number } | null;
      this.httpPort = address?.port ?? this.options.config.SLACK_PORT;
    } else {
      const socket = this.receiver?.client;
      socket?.on("connected", () => (this.up = true));
      // The socket closes (a `disconnect` from Slack, a cut) a few seconds before Bolt starts
      // reconnecting: health must say Slack is down from the close, not from the retry.
      socket?.on("close", () => (this.up = false));
      socket?.on("reconnecting", () => (this.up = false));
      socket?.on("disconnected", () => (this.up = false));
      await this.app.start();
    }
    this.up = true;
    this.options.log.info({ team: this.teamId, mode: this.httpMode ? "http" : "socket", port: this.httpPort }, "Slack connecté");
  }

  /** Bolt's stop() resolves before the socket is closed; wait for the disconnect (bounded). */
  async stop(): Promise<void> {
    const client = this.receiver?.client;
    const disconnected = client ? new Promise<void>((resolve) => client.once("disconnected", () => resolve())) : undefined;
    this.up = false;
    await this.app.stop();
    if (disconnected) await within(disconnected, 2000);
  }

  connected(): boolean {
    return this.up;
  }

  async dm(externalId: string, reply: Reply, options?: SendOptions): Promise<MessageRef> {
    const client = this.app.client;
    try {
      const open = await client.conversations.open({ users: externalId });
      return await this.post(open.channel!.id!, reply, options);
    } catch (err) {
      if (DM_REFUSED.has(slackError(err) ?? "")) throw new DirectMessageUnavailable(slackError(err));
      throw err;
    }
  }

  async post(channelId: string, reply: Reply, options?: SendOptions): Promise<MessageRef> {
    const client = this.app.client;
    const idempotency = options?.idempotency;
    if (idempotency?.resumedSince) {
      const earlier = await findKeyedMessage(client, channelId, idempotency.key, idempotency.resumedSince);
      if (earlier) return { platform: "slack", channelId, messageId: earlier };
    }
    const metadata = idempotency && { event_type: DELIVERY_EVENT, event_payload: { key: idempotency.key } };
    const sent = await client.chat.postMessage({ channel: channelId, ...renderBlocks(reply), ...(metadata && { metadata }) });
    for (const file of reply.files ?? []) {
      await client.files.uploadV2({ channel_id: channelId, filename: file.name, file: file.data, title: file.description ?? file.name });
    }
    return { platform: "slack", channelId: sent.channel ?? channelId, messageId: sent.ts! };
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    await this.app.client.chat.update({ channel: ref.channelId, ts: ref.messageId, ...renderBlocks(reply) });
  }

  mention(externalId: string): string {
    return slackPlatform.mentionUser(externalId);
  }

  async pin(ref: MessageRef): Promise<void> {
    try {
      await this.app.client.pins.add({ channel: ref.channelId, timestamp: ref.messageId });
    } catch (err) {
      // Pinning twice is not a failure: the message is pinned, which is what was asked.
      if (slackError(err) !== "already_pinned") throw err;
    }
  }

  private user(id: string, fallbackName: string, client: WebClient): PlatformUser {
    return {
      platform: "slack",
      id,
      workspaceId: this.teamId,
      displayName: fallbackName,
      loadProfile: () => loadProfile(client, id),
      membership: () => this.membershipOf(id, client),
    };
  }

  /**
   * Only full members of this workspace are served: guests (restricted, ultra-restricted),
   * Slack Connect people of another organisation and deactivated accounts are not. Slack's
   * answer is kept a few minutes, so a busy member costs one users.info call now and then.
   */
  private async membershipOf(userId: string, client: WebClient): Promise<Membership> {
    const known = this.memberships.get(userId);
    if (known && known.until > Date.now()) return known.verdict;
    const verdict = await askMembership(client, userId, this.teamId);
    this.memberships.set(userId, { verdict, until: Date.now() + MEMBERSHIP_TTL_MS });
    return verdict;
  }

  /** One listener per kind of Slack request; a listener that throws is logged, never fatal. */
  private listen(): void {
    this.listenToCommands();
    this.listenToActions();
    this.listenToForms();
    if (this.options.events) this.listenToMembership(this.options.events);
    this.app.error(async (err) => {
      this.options.log.error({ err }, "Slack : événement en échec");
    });
  }

  /** Slash commands: the text is parsed with the command's declaration before the router sees it. */
  private listenToCommands(): void {
    const { router } = this.options;
    this.app.command(/.*/, async ({ command, ack, respond, client }) => {
      const name = command.command.replace(/^\//, "");
      let interaction: Interaction;
      try {
        const def = router.command(name);
        const parsed = def ? parseTextOptions(def, unescapeSlack(command.text ?? "")) : { options: {} };
        interaction = {
          type: "command",
          user: this.user(command.user_id, command.user_name, client),
          channelId: command.channel_id,
          canOpenModal: true,
          command: name,
          subcommand: parsed.subcommand,
          options: parsed.options,
        };
      } catch (err) {
        if (err instanceof UserError) return void (await ack({ response_type: "ephemeral", ...renderBlocks({ text: err.message }) }));
        throw err;
      }
      await this.answerWithAck(interaction, ack, respond, client, command.trigger_id, command.channel_id);
    });
  }

  /** Buttons and selects (a link button only opens its page: nothing to answer). */
  private listenToActions(): void {
    this.app.action(/.*/, async ({ body, action, ack, respond, client }) => {
      await ack();
      if (body.type !== "block_actions") return;
      const a = action as { action_id: string; value?: string; selected_option?: { value: string }; selected_options?: { value: string }[]; type: string };
      if (a.type === "button" && a.action_id.startsWith("link:")) return;
      const values = a.selected_options?.map((o) => o.value) ?? (a.selected_option ? [a.selected_option.value] : []);
      const channelId = body.channel?.id ?? body.container?.channel_id ?? "";
      const reply = await this.handle({
        type: "component",
        user: this.user(body.user.id, body.user.name ?? body.user.id, client),
        channelId,
        canOpenModal: true,
        customId: a.action_id,
        values,
      });
      await this.deliver(reply, respond, client, channelId, body.user.id, body.trigger_id);
    });
  }

  /** Submitted forms (views). */
  private listenToForms(): void {
    this.app.view(/.*/, async ({ body, view, ack, client }) => {
      const fields: Record<string, string> = {};
      for (const [blockId, actions] of Object.entries(view.state.values)) {
        const input = Object.values(actions)[0] as { value?: string | null; selected_option?: { value: string } | null } | undefined;
        fields[blockId] = input?.value ?? input?.selected_option?.value ?? "";
      }
      const channelId = view.private_metadata || "";
      const pending = this.handle({
        type: "modal",
        user: this.user(body.user.id, body.user.name ?? body.user.id, client),
        channelId,
        canOpenModal: false,
        customId: view.callback_id,
        fields,
      });
      // A refusal known within the ack window keeps the view open, as typed, with each error
      // under its field; later (or one no field can carry), the refusal comes as a message.
      const early = await within(pending, ACK_WITHIN_MS);
      const errors = early?.retryForm ? viewErrors(early.retryForm) : null;
      if (errors) return void (await ack({ response_action: "errors", errors }));
      await ack();
      await this.deliver(early ?? (await pending), undefined, client, channelId, body.user.id, undefined);
    });
  }

  /** Arrivals in the workspace or a channel, departures from a channel, for the onboarding. */
  private listenToMembership(events: PlatformEvents): void {
    const { app } = this;
    app.event("team_join", async ({ event, client }) => {
      const user = event.user as { id: string; name?: string; is_bot?: boolean; deleted?: boolean; is_restricted?: boolean; is_ultra_restricted?: boolean };
      if (user.is_bot || user.deleted || user.is_restricted || user.is_ultra_restricted) return;
      await this.inOrder(user.id, () => events.emit({ type: "joined", user: this.user(user.id, user.name ?? user.id, client) }));
    });
    app.event("member_joined_channel", async ({ event, client }) => {
      if (event.user === this.botUserId) return;
      await this.inOrder(event.user, async () => {
        if ((await this.membershipOf(event.user, client)) !== "member") return;
        await events.emit({ type: "joined", user: this.user(event.user, event.user, client), channelId: event.channel });
      });
    });
    app.event("member_left_channel", async ({ event, client }) => {
      await this.inOrder(event.user, () => events.emit({ type: "left", user: this.user(event.user, event.user, client), channelId: event.channel }));
    });
  }

  /**
   * One person's arrivals and departures reach the core in the order Slack sent them, even when
   * checking an arrival needs a call to Slack (a leave must not overtake the join before it).
   */
  private inOrder(userId: string, emit: () => Promise<void>): Promise<void> {
    const previous = this.eventQueues.get(userId) ?? Promise.resolve();
    const next = previous.then(emit, emit);
    const settled = next.catch(() => undefined);
    this.eventQueues.set(userId, settled);
    void settled.then(() => {
      if (this.eventQueues.get(userId) === settled) this.eventQueues.delete(userId);
    });
    return next;
  }

  /** Runs the router; a crash here is already turned into a French reply by the router. */
  private async handle(interaction: Interaction): Promise<Reply> {
    return this.options.router.handle(interaction);
  }

  /**
   * Slash commands: when the answer is ready within the ack window it travels in the ack
   * itself (one round trip); otherwise ack empty and answer through response_url.
   */
  private async answerWithAck(
    interaction: Interaction,
    ack: (body?: Record<string, unknown>) => Promise<void>,
    respond: RespondFn,
    client: WebClient,
    triggerId: string,
    channelId: string,
  ): Promise<void> {
    const pending = this.handle(interaction);
    const early = await within(pending, ACK_WITHIN_MS);
    if (early && !early.modal && !early.files?.length) {
      return void (await ack(this.messageBody(early)));
    }
    await ack();
    const reply = early ?? (await pending);
    await this.deliver(reply, respond, client, channelId, interaction.user.id, early ? triggerId : undefined);
  }

  private messageBody(reply: Reply): Record<string, unknown> {
    return { response_type: reply.private ? "ephemeral" : "in_channel", ...renderBlocks(reply) };
  }

  private async deliver(reply: Reply, respond: RespondFn | undefined, client: WebClient, channelId: string, userId: string, triggerId: string | undefined): Promise<void> {
    try {
      if (reply.modal) {
        if (!triggerId) throw new UserError("Le formulaire n'a pas pu s'ouvrir : relancez la commande.");
        await client.views.open({ trigger_id: triggerId, view: renderView(reply.modal, channelId) });
        return;
      }
      // Slack has no ephemeral files: a private reply's files go to the person's conversation
      // with the bot, and the private message says so.
      const privateFiles = Boolean(reply.private && reply.files?.length);
      const shown = privateFiles ? { ...reply, text: `${reply.text ?? ""}\n_${PRIVATE_FILES_NOTE}_`.trim() } : reply;
      const body = renderBlocks(shown);
      if (respond) {
        await respond(reply.update ? { replace_original: true, ...body } : { response_type: reply.private ? "ephemeral" : "in_channel", replace_original: false, ...body });
      } else if (reply.private || !channelId) {
        await this.postPrivately(client, channelId, userId, body);
      } else {
        await client.chat.postMessage({ channel: channelId, ...body });
      }
      const fileChannel = privateFiles ? await this.directChannel(client, userId) : channelId;
      for (const file of reply.files ?? []) {
        await client.files.uploadV2({ channel_id: fileChannel, filename: file.name, file: file.data, title: file.description ?? file.name });
      }
    } catch (err) {
      if (err instanceof UserError) {
        await this.postPrivately(client, channelId, userId, renderBlocks({ text: err.message })).catch(() => undefined);
        return;
      }
      const ref = newErrorReference();
      this.options.log.error({ err, ref }, "Slack : réponse en échec");
      await this.postPrivately(client, channelId, userId, renderBlocks({ text: internalErrorMessage(ref) })).catch(() => undefined);
    }
  }

  private async directChannel(client: WebClient, userId: string): Promise<string> {
    const dm = await client.conversations.open({ users: userId });
    return dm.channel!.id!;
  }

  /** An ephemeral message in the channel when there is one, a DM otherwise. */
  private async postPrivately(client: WebClient, channelId: string, userId: string, body: ReturnType<typeof renderBlocks>): Promise<void> {
    if (channelId) {
      await client.chat.postEphemeral({ channel: channelId, user: userId, ...body });
      return;
    }
    await client.chat.postMessage({ channel: await this.directChannel(client, userId), ...body });
  }
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/** Slack sends typed `&`, `<`, `>` as entities in a command's text; options hold what was typed. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
