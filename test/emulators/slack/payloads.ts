/**
 * Payloads exactly as Slack sends them to an app, in Socket Mode and HTTP mode alike: slash
 * commands, block_actions (in a message or a view), view_submission and Events API callbacks.
 * Building one registers its interaction (trigger_id, response_url) in the workspace.
 */
import { buildStateValues, findElement, stateValueFor, textOf, type InputValue } from "./blocks.js";
import type { ClickButtonArgs, SlashCommandArgs, SubmitViewArgs } from "./emulator-options.js";
import type { Interaction, Workspace } from "./state.js";
import type { EmulatorChannel, EmulatorUser, JsonObject, SlackMessage, ViewRecord } from "./types.js";
import { wireMessage, wireUser, wireView } from "./web-api/wire.js";

/** The ids and tokens Slack stamps on every payload, and the defaults tests rely on. */
interface PayloadIds {
  verificationToken: string;
  teamId: string;
  teamDomain: string;
  appId: string;
  botUserId: string;
  baseUrl: string;
  defaultUserId: string;
  defaultChannelId: string;
}

type Built = { it: Interaction; payload: JsonObject };

export class PayloadBuilder {
  constructor(
    private readonly ws: Workspace,
    private readonly ids: PayloadIds,
    private readonly channelRef: (ref: string) => EmulatorChannel | undefined,
  ) {}

  private userOrThrow(id: string | undefined): EmulatorUser {
    const u = this.ws.users.get(id ?? this.ids.defaultUserId);
    if (!u) throw new Error(`Slack emulator: unknown user ${id}; add it with emu.addUser() first`);
    return u;
  }

  private channelOrThrow(id: string | undefined): EmulatorChannel {
    const ch = this.channelRef(id ?? this.ids.defaultChannelId);
    if (!ch) throw new Error(`Slack emulator: unknown channel ${id}; add it with emu.addChannel() first`);
    return ch;
  }

  private wireUserRef(u: EmulatorUser): JsonObject {
    return { id: u.id, username: u.name, name: u.name, team_id: u.teamId ?? this.ids.teamId };
  }

  buildCommand(a: SlashCommandArgs): { it: Interaction; payload: Record<string, string> } {
    const user = this.userOrThrow(a.userId);
    const ch = this.channelOrThrow(a.channelId);
    const it = this.ws.newInteraction("command", { userId: user.id, channelId: ch.id, responseUrlBase: `${this.ids.baseUrl}response/` });
    const payload: Record<string, string> = {
      token: this.ids.verificationToken,
      team_id: this.ids.teamId,
      team_domain: this.ids.teamDomain,
      channel_id: ch.id,
      channel_name: ch.isIm ? "directmessage" : ch.isPrivate ? "privategroup" : ch.name,
      user_id: user.id,
      user_name: user.name,
      command: a.command.startsWith("/") ? a.command : `/${a.command}`,
      text: a.text ?? "",
      api_app_id: this.ids.appId,
      is_enterprise_install: "false",
      response_url: it.responseUrl ?? "",
      trigger_id: it.triggerId ?? "",
    };
    return { it, payload };
  }


  private findSourceMessage(a: ClickButtonArgs, user: EmulatorUser): SlackMessage | undefined {
    if (a.message) {
      const ts = a.message.ts;
      const channel = a.message.channel ?? a.channelId;
      const m = this.ws.messages.find((x) => x.ts === ts && (channel === undefined || x.channel === this.channelRef(channel)?.id));
      if (!m) throw new Error(`Slack emulator: message ${ts} not found`);
      return m;
    }
    const channelId = a.channelId ? this.channelOrThrow(a.channelId).id : undefined;
    const candidates = this.ws.messages
      .filter((m) => !m.deleted && (!m.ephemeral || m.visibleTo === user.id) && (!channelId || m.channel === channelId))
      .sort((x, y) => y.seq - x.seq);
    return candidates.find((m) => findElement(m.blocks, a.actionId, a.blockId));
  }

  private resolveView(v: ViewRecord | string | JsonObject | undefined, userId: string): ViewRecord {
    if (v === undefined) {
      const top = this.ws.topView(userId);
      if (!top) throw new Error(`Slack emulator: user ${userId} has no open modal to submit`);
      return top;
    }
    if (typeof v === "string") {
      const rec = this.ws.findView(v, v);
      if (!rec) throw new Error(`Slack emulator: view ${v} not found`);
      return rec;
    }
    if (isViewRecord(v)) {
      const rec = this.ws.findView(v.id);
      if (rec) return rec;
      throw new Error(`Slack emulator: view ${v.id} does not belong to this emulator`);
    }
    // A bare view definition never opened through the emulator (e.g. a unit-built modal).
    const rec: ViewRecord = {
      id: this.ws.newId("V"),
      userId,
      type: v.type === "home" ? "home" : "modal",
      view: v,
      hash: this.ws.newHash(),
      rootViewId: "",
      previousViewId: null,
      open: true,
      openedBy: "views.open",
      history: [],
      submissions: 0,
    };
    rec.rootViewId = rec.id;
    this.ws.views.push(rec);
    this.ws.modalStacks.set(userId, [...(this.ws.modalStacks.get(userId) ?? []), rec.id]);
    return rec;
  }

  buildBlockActions(a: ClickButtonArgs & { selection?: InputValue }): Built {
    const user = this.userOrThrow(a.userId);
    const actionTs = this.ws.nextTs();
    return a.view !== undefined ? this.viewBlockActions(a, a.view, user, actionTs) : this.messageBlockActions(a, user, actionTs);
  }

  /** A click inside a modal or App Home: no channel, no response_url. */
  private viewBlockActions(a: ClickButtonArgs & { selection?: InputValue }, view: ViewRecord | string, user: EmulatorUser, actionTs: string): Built {
    const rec = this.resolveView(view, user.id);
    const found = findElement(rec.view.blocks, a.actionId, a.blockId);
    const it = this.ws.newInteraction("block_actions", { userId: user.id, viewId: rec.id });
    const payload: JsonObject = {
      type: "block_actions",
      user: this.wireUserRef(user),
      api_app_id: this.ids.appId,
      token: this.ids.verificationToken,
      container: { type: "view", view_id: rec.id },
      trigger_id: it.triggerId,
      team: { id: this.ids.teamId, domain: this.ids.teamDomain },
      enterprise: null,
      is_enterprise_install: false,
      view: wireView(this.ws, rec, buildStateValues(rec.view.blocks)),
      actions: [this.action(a, found, actionTs)],
    };
    return { it, payload };
  }

  /** A click in a message: the message (unless ephemeral), its channel and a response_url. */
  private messageBlockActions(a: ClickButtonArgs & { selection?: InputValue }, user: EmulatorUser, actionTs: string): Built {
    const msg = this.findSourceMessage(a, user);
    const ch = msg ? this.ws.channels.get(msg.channel) : this.channelOrThrow(a.channelId);
    if (!ch) throw new Error(`Slack emulator: channel of message ${msg?.ts} vanished`);
    const found = msg ? findElement(msg.blocks, a.actionId, a.blockId) : undefined;
    const it = this.ws.newInteraction("block_actions", {
      userId: user.id,
      channelId: ch.id,
      originalTs: msg?.ts,
      originalEphemeral: msg?.ephemeral,
      responseUrlBase: `${this.ids.baseUrl}response/`,
    });
    const payload: JsonObject = {
      type: "block_actions",
      user: this.wireUserRef(user),
      api_app_id: this.ids.appId,
      token: this.ids.verificationToken,
      container: { type: "message", message_ts: msg?.ts ?? actionTs, channel_id: ch.id, is_ephemeral: msg?.ephemeral ?? false },
      trigger_id: it.triggerId,
      team: { id: this.ids.teamId, domain: this.ids.teamDomain },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: ch.id, name: ch.isIm ? "directmessage" : ch.name },
      // Slack does not include the message for ephemeral ones (the app never had it).
      ...(msg && !msg.ephemeral ? { message: wireMessage(this.ws, msg) } : {}),
      state: { values: msg ? buildStateValues(msg.blocks) : {} },
      response_url: it.responseUrl,
      actions: [this.action(a, found, actionTs)],
    };
    return { it, payload };
  }

  private action(
    a: ClickButtonArgs & { selection?: InputValue },
    found: ReturnType<typeof findElement>,
    actionTs: string,
  ): JsonObject {
    const el = found?.element;
    const type = typeof el?.type === "string" ? el.type : a.selection !== undefined ? "static_select" : "button";
    const base: JsonObject = { action_id: a.actionId, block_id: a.blockId ?? found?.blockId ?? "emu" };
    if (type === "button") {
      return {
        ...base,
        text: { type: "plain_text", text: textOf(el?.text) || a.actionId, emoji: true },
        ...((a.value ?? el?.value) !== undefined ? { value: a.value ?? el?.value } : {}),
        ...(el?.style ? { style: el.style } : {}),
        type: "button",
        action_ts: actionTs,
      };
    }
    const selection = stateValueFor(el ?? { type }, a.selection ?? a.value ?? null);
    return { ...selection, ...base, ...(el?.placeholder ? { placeholder: el.placeholder } : {}), action_ts: actionTs };
  }


  buildViewSubmission(a: SubmitViewArgs): Built {
    const user = this.userOrThrow(a.userId);
    const rec = this.resolveView(a.view, user.id);
    // A typo in a test's block_id/action_id would otherwise submit a value the app never reads.
    for (const [blockId, byAction] of Object.entries(a.values ?? {})) {
      for (const actionId of Object.keys(byAction)) {
        if (!findElement(rec.view.blocks, actionId, blockId))
          throw new Error(`Slack emulator: view ${rec.id} (${String(rec.view.callback_id)}) has no element ${blockId}/${actionId}`);
      }
    }
    rec.submissions += 1;
    const it = this.ws.newInteraction("view_submission", { userId: user.id, viewId: rec.id });
    const payload: JsonObject = {
      type: "view_submission",
      team: { id: this.ids.teamId, domain: this.ids.teamDomain },
      user: this.wireUserRef(user),
      api_app_id: this.ids.appId,
      token: this.ids.verificationToken,
      trigger_id: it.triggerId,
      view: wireView(this.ws, rec, buildStateValues(rec.view.blocks, a.values)),
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    return { it, payload };
  }


  buildEvent(type: string, event: JsonObject): Built {
    const full: JsonObject = { ...event, type, event_ts: typeof event.event_ts === "string" ? event.event_ts : this.ws.nextTs() };
    // team_join carries the full user object; accept a user id for convenience.
    if (type === "team_join" && typeof full.user === "string") {
      const u = this.ws.users.get(full.user);
      if (u) full.user = wireUser(this.ws, u);
    }
    const userId = typeof full.user === "string" ? full.user : ((full.user as JsonObject | undefined)?.id as string | undefined);
    const channelId = typeof full.channel === "string" ? full.channel : undefined;
    const it = this.ws.newInteraction("event", { userId, channelId });
    const payload: JsonObject = {
      token: this.ids.verificationToken,
      team_id: this.ids.teamId,
      context_team_id: this.ids.teamId,
      context_enterprise_id: null,
      api_app_id: this.ids.appId,
      event: full,
      type: "event_callback",
      event_id: `Ev${this.ws.newId("")}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        { enterprise_id: null, team_id: this.ids.teamId, user_id: this.ids.botUserId, is_bot: true, is_enterprise_install: false },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${Buffer.from(`${type}-${this.ids.teamId}`).toString("base64url")}`,
    };
    return { it, payload };
  }
}

function isViewRecord(v: ViewRecord | JsonObject): v is ViewRecord {
  return typeof v.id === "string" && typeof v.hash === "string" && typeof v.view === "object" && typeof v.openedBy === "string";
}
