/**
 * Web API method implementations. Each handler returns the JSON Slack would answer (ok: true)
 * or throws ApiError, turned into `{ ok: false, error }` with HTTP 200 as Slack does.
 */
import { performance } from "node:perf_hooks";
import { validateBlocks, validateView } from "./blocks.js";
import { StoredFile, type Workspace } from "./state.js";
import type { EmulatorChannel, EmulatorUser, JsonObject, SlackMessage, ViewRecord } from "./types.js";
import { reportBotOutput } from "../../helpers/bot-output.js";

export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: JsonObject = {},
  ) {
    super(code);
  }
}

export interface ApiContext {
  ws: Workspace;
  /** `http://127.0.0.1:PORT/` */
  baseUrl: string;
  /** Issues a one-shot Socket Mode URL. */
  newSocketUrl(): string;
  triggerTtlMs: number;
}

type Handler = (a: Args, ctx: ApiContext) => JsonObject;

/** Typed accessors over loosely typed (form strings or JSON) arguments. */
export class Args {
  constructor(readonly raw: JsonObject) {}
  str(k: string): string | undefined {
    const v = this.raw[k];
    if (v === undefined || v === null) return undefined;
    return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v);
  }
  req(k: string, code = "invalid_arguments"): string {
    const v = this.str(k);
    if (v === undefined || v === "") throw new ApiError(code);
    return v;
  }
  bool(k: string): boolean {
    const v = this.raw[k];
    return v === true || v === "true" || v === "1" || v === 1;
  }
  num(k: string): number | undefined {
    const v = this.raw[k];
    if (v === undefined || v === null || v === "") return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  json(k: string): unknown {
    const v = this.raw[k];
    if (typeof v === "string") {
      try {
        return JSON.parse(v);
      } catch {
        throw new ApiError("invalid_arguments", { response_metadata: { messages: [`[ERROR] ${k} must be valid JSON`] } });
      }
    }
    return v;
  }
  objList(k: string): JsonObject[] | undefined {
    const v = this.json(k);
    if (v === undefined || v === null || v === "") return undefined;
    if (!Array.isArray(v)) throw new ApiError(k === "blocks" ? "invalid_blocks_format" : "invalid_arguments");
    return v as JsonObject[];
  }
}

// -- wire formats --------------------------------------------------------------------------------

export function wireUser(ws: Workspace, u: EmulatorUser): JsonObject {
  return {
    id: u.id,
    team_id: u.teamId ?? ws.id.teamId,
    name: u.name,
    deleted: u.deleted,
    color: "9f69e7",
    real_name: u.realName,
    tz: u.tz,
    tz_label: "Central European Time",
    tz_offset: 3600,
    profile: {
      title: "",
      phone: "",
      skype: "",
      real_name: u.realName,
      real_name_normalized: u.realName.normalize("NFD").replace(/[\u0300-\u036f]/g, ""),
      display_name: u.displayName,
      display_name_normalized: u.displayName.normalize("NFD").replace(/[\u0300-\u036f]/g, ""),
      first_name: u.firstName,
      last_name: u.lastName,
      ...(u.email !== undefined ? { email: u.email } : {}),
      status_text: "",
      status_emoji: "",
      image_24: u.image192.replace("_192", "_24"),
      image_48: u.image192.replace("_192", "_48"),
      image_72: u.image192.replace("_192", "_72"),
      image_192: u.image192,
      image_512: u.image192.replace("_192", "_512"),
      team: u.teamId ?? ws.id.teamId,
    },
    is_admin: u.isAdmin,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: u.isRestricted,
    is_ultra_restricted: u.isUltraRestricted,
    ...(u.teamId ? { is_stranger: true } : {}),
    is_bot: u.isBot,
    is_app_user: false,
    updated: Math.floor(Date.now() / 1000),
    is_email_confirmed: true,
  };
}

export function wireChannel(ws: Workspace, ch: EmulatorChannel): JsonObject {
  if (ch.isIm) {
    return {
      id: ch.id,
      created: ch.created,
      is_im: true,
      is_org_shared: false,
      user: ch.user,
      is_user_deleted: ws.users.get(ch.user ?? "")?.deleted ?? false,
      priority: 0,
    };
  }
  return {
    id: ch.id,
    name: ch.name,
    is_channel: !ch.isPrivate,
    is_group: ch.isPrivate,
    is_im: false,
    is_mpim: ch.isMpim,
    is_private: ch.isPrivate,
    created: ch.created,
    is_archived: false,
    is_general: ch.isGeneral,
    unlinked: 0,
    name_normalized: ch.name,
    is_shared: false,
    is_org_shared: false,
    is_member: ch.isMember,
    creator: "",
    topic: { value: ch.topic, creator: "", last_set: 0 },
    purpose: { value: ch.purpose, creator: "", last_set: 0 },
    num_members: ch.members.length,
  };
}

export function wireMessage(ws: Workspace, m: SlackMessage): JsonObject {
  return {
    type: "message",
    subtype: m.files.length > 0 ? "file_share" : undefined,
    user: m.user,
    bot_id: m.botId,
    app_id: ws.id.appId,
    ts: m.ts,
    text: m.text,
    team: ws.id.teamId,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(m.metadata ? { metadata: m.metadata } : {}),
    ...(m.edited ? { edited: { user: m.user, ts: m.ts } } : {}),
    ...(m.files.length > 0 ? { files: m.files.map((id) => ({ id })) } : {}),
    bot_profile: {
      id: ws.id.botId,
      app_id: ws.id.appId,
      name: ws.id.botName,
      icons: { image_36: "", image_48: "", image_72: "" },
      deleted: false,
      updated: 0,
      team_id: ws.id.teamId,
    },
  };
}

export function wireView(ws: Workspace, v: ViewRecord, stateValues: JsonObject = {}): JsonObject {
  const d = v.view;
  return {
    id: v.id,
    team_id: ws.id.teamId,
    type: v.type,
    blocks: d.blocks ?? [],
    private_metadata: d.private_metadata ?? "",
    callback_id: d.callback_id ?? "",
    state: { values: stateValues },
    hash: v.hash,
    title: d.title ?? null,
    clear_on_close: d.clear_on_close ?? false,
    notify_on_close: d.notify_on_close ?? false,
    close: d.close ?? null,
    submit: d.submit ?? null,
    previous_view_id: v.previousViewId,
    root_view_id: v.rootViewId,
    app_id: ws.id.appId,
    external_id: v.externalId ?? "",
    app_installed_team_id: ws.id.teamId,
    bot_id: ws.id.botId,
  };
}

function wireFile(ws: Workspace, fileId: string): JsonObject {
  const f = ws.files.get(fileId);
  if (!f) return { id: fileId };
  return {
    id: f.id,
    created: Math.floor(Date.now() / 1000),
    timestamp: Math.floor(Date.now() / 1000),
    name: f.filename,
    title: f.title ?? f.filename,
    mimetype: guessMime(f.filename),
    filetype: f.filename.split(".").pop() ?? "",
    user: ws.id.botUserId,
    size: f.bytes.length,
    is_public: true,
    url_private: `https://files.slack.emulator/files-pri/${ws.id.teamId}-${f.id}/${encodeURIComponent(f.filename)}`,
    permalink: `https://${ws.id.teamDomain}.slack.com/files/${ws.id.botUserId}/${f.id}/${encodeURIComponent(f.filename)}`,
    ...(f.altText ? { alt_txt: f.altText } : {}),
  };
}

function guessMime(name: string): string {
  const ext = name.split(".").pop()?.toLowerCase();
  return (
    { csv: "text/csv", txt: "text/plain", json: "application/json", png: "image/png", pdf: "application/pdf" } as Record<string, string>
  )[ext ?? ""] ?? "application/octet-stream";
}

// -- helpers -------------------------------------------------------------------------------------

function channelOrThrow(ws: Workspace, ref: string | undefined): EmulatorChannel {
  if (!ref) throw new ApiError("channel_not_found");
  const { channel, error } = ws.resolveChannel(ref);
  if (!channel) throw new ApiError(error ?? "channel_not_found");
  return channel;
}

function checkMessageContent(a: Args, max = 40_000): { text?: string; blocks?: JsonObject[]; attachments?: JsonObject[] } {
  const text = a.str("text");
  const blocks = a.objList("blocks");
  const attachments = a.objList("attachments");
  if ((text === undefined || text === "") && !blocks?.length && !attachments?.length) throw new ApiError("no_text");
  if (text !== undefined && text.length > max) throw new ApiError("msg_too_long");
  const errors = validateBlocks(blocks, "message");
  if (errors.length > 0) throw new ApiError("invalid_blocks", { errors, response_metadata: { messages: errors } });
  return { text, blocks, attachments };
}

function userOrThrow(ws: Workspace, id: string | undefined): EmulatorUser {
  const u = id ? ws.users.get(id) : undefined;
  if (!u) throw new ApiError("user_not_found");
  return u;
}

function triggerOrThrow(ctx: ApiContext, triggerId: string | undefined): { userId: string; interactionId: string } {
  if (!triggerId) throw new ApiError("invalid_arguments");
  const t = ctx.ws.triggers.get(triggerId);
  if (!t) throw new ApiError("invalid_trigger_id");
  // Slack only honours trigger_ids for 3 seconds.
  if (performance.now() - t.createdAt > ctx.triggerTtlMs) throw new ApiError("expired_trigger_id");
  return t;
}

function viewArg(a: Args): JsonObject {
  const view = a.json("view");
  if (typeof view !== "object" || view === null) throw new ApiError("invalid_arguments");
  const errors = validateView(view);
  if (errors.length > 0) throw new ApiError("invalid_arguments", { response_metadata: { messages: errors } });
  return view as JsonObject;
}

export function createViewRecord(
  ws: Workspace,
  o: { userId: string; view: JsonObject; openedBy: ViewRecord["openedBy"]; triggerId?: string; previous?: ViewRecord },
): ViewRecord {
  const id = ws.newId("V");
  const rec: ViewRecord = {
    id,
    userId: o.userId,
    type: o.view.type === "home" ? "home" : "modal",
    triggerId: o.triggerId,
    externalId: typeof o.view.external_id === "string" && o.view.external_id !== "" ? o.view.external_id : undefined,
    view: o.view,
    hash: ws.newHash(),
    rootViewId: o.previous?.rootViewId ?? id,
    previousViewId: o.previous?.id ?? null,
    open: true,
    openedBy: o.openedBy,
    history: [],
    submissions: 0,
  };
  ws.views.push(rec);
  ws.touch();
  reportBotOutput("Slack, formulaire", viewText(o.view));
  return rec;
}

/** What a form shows: its title, labels, hints and prefilled values (for the style check). */
function viewText(view: JsonObject): string {
  const texts: string[] = [];
  const walk = (v: unknown, key = ""): void => {
    if (typeof v === "string") {
      if (key === "text" || key === "initial_value") texts.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) if (k !== "private_metadata") walk(x, k);
  };
  walk(view);
  return texts.join("\n");
}

export function replaceViewDefinition(ws: Workspace, rec: ViewRecord, view: JsonObject): void {
  rec.history.push(rec.view);
  rec.view = view;
  rec.hash = ws.newHash();
  if (typeof view.external_id === "string" && view.external_id !== "") rec.externalId = view.external_id;
  rec.errors = undefined;
  ws.touch();
  reportBotOutput("Slack, formulaire", viewText(view));
}

export function closeViews(ws: Workspace, userId: string, which: "top" | "all"): void {
  const stack = ws.modalStacks.get(userId) ?? [];
  const toClose = which === "all" ? stack.splice(0) : stack.splice(-1);
  for (const id of toClose) {
    const v = ws.findView(id);
    if (v) v.open = false;
  }
  ws.touch();
}

// -- methods ---------------------------------------------------------------------------------------

export const BOT_METHODS: Record<string, Handler> = {
  "auth.test": (_a, { ws }) => ({
    url: `https://${ws.id.teamDomain}.slack.com/`,
    team: ws.id.teamName,
    user: ws.id.botName,
    team_id: ws.id.teamId,
    user_id: ws.id.botUserId,
    bot_id: ws.id.botId,
    is_enterprise_install: false,
  }),

  "chat.postMessage": (a, { ws }) => {
    const ch = channelOrThrow(ws, a.str("channel"));
    if (!ch.isIm && !ch.isMember) throw new ApiError("not_in_channel");
    const content = checkMessageContent(a);
    const threadTs = a.str("thread_ts");
    if (threadTs !== undefined && !ws.findMessage(ch.id, threadTs) && !/^\d+\.\d+$/.test(threadTs))
      throw new ApiError("invalid_thread_ts");
    const msg = ws.createMessage({
      channel: ch.id,
      ...content,
      threadTs,
      metadata: a.json("metadata") as JsonObject | undefined,
      source: "chat.postMessage",
    });
    return { channel: ch.id, ts: msg.ts, message: wireMessage(ws, msg) };
  },

  "chat.postEphemeral": (a, { ws }) => {
    const ch = channelOrThrow(ws, a.str("channel"));
    const user = userOrThrow(ws, a.str("user"));
    if (ch.isIm ? ch.user !== user.id : ch.members.length > 0 && !ch.members.includes(user.id))
      throw new ApiError("user_not_in_channel");
    const content = checkMessageContent(a);
    const msg = ws.createMessage({
      channel: ch.id,
      ...content,
      threadTs: a.str("thread_ts"),
      ephemeral: true,
      visibleTo: user.id,
      source: "chat.postEphemeral",
    });
    return { message_ts: msg.ts };
  },

  "chat.update": (a, { ws }) => {
    const ch = channelOrThrow(ws, a.str("channel"));
    const msg = ws.findMessage(ch.id, a.req("ts", "message_not_found"));
    if (!msg || msg.deleted || msg.ephemeral) throw new ApiError("message_not_found");
    if (msg.user !== ws.id.botUserId) throw new ApiError("cant_update_message");
    const text = a.str("text");
    const blocks = a.objList("blocks");
    const attachments = a.objList("attachments");
    const errors = validateBlocks(blocks, "message");
    if (errors.length > 0) throw new ApiError("invalid_blocks", { errors, response_metadata: { messages: errors } });
    ws.updateMessage(msg, { text, blocks, attachments });
    return { channel: ch.id, ts: msg.ts, text: msg.text, message: wireMessage(ws, msg) };
  },

  "chat.delete": (a, { ws }) => {
    const ch = channelOrThrow(ws, a.str("channel"));
    const msg = ws.findMessage(ch.id, a.req("ts", "message_not_found"));
    if (!msg || msg.deleted || msg.ephemeral) throw new ApiError("message_not_found");
    if (msg.user !== ws.id.botUserId) throw new ApiError("cant_delete_message");
    ws.deleteMessage(msg);
    return { channel: ch.id, ts: msg.ts };
  },

  "chat.getPermalink": (a, { ws }) => {
    const ch = channelOrThrow(ws, a.str("channel"));
    const ts = a.req("message_ts", "message_not_found");
    const msg = ws.findMessage(ch.id, ts);
    if (!msg || msg.deleted) throw new ApiError("message_not_found");
    const thread = msg.threadTs ? `?thread_ts=${msg.threadTs}&cid=${ch.id}` : "";
    return {
      channel: ch.id,
      permalink: `https://${ws.id.teamDomain}.slack.com/archives/${ch.id}/p${ts.replace(".", "")}${thread}`,
    };
  },

  "views.open": (a, ctx) => {
    const t = triggerOrThrow(ctx, a.str("trigger_id"));
    const view = viewArg(a);
    const { ws } = ctx;
    // A new modal replaces whatever stack the user had.
    closeViews(ws, t.userId, "all");
    const rec = createViewRecord(ws, { userId: t.userId, view, openedBy: "views.open", triggerId: a.str("trigger_id") });
    ws.modalStacks.set(t.userId, [rec.id]);
    return { view: wireView(ws, rec) };
  },

  "views.push": (a, ctx) => {
    const t = triggerOrThrow(ctx, a.str("trigger_id"));
    const view = viewArg(a);
    const { ws } = ctx;
    const stack = ws.modalStacks.get(t.userId) ?? [];
    if (stack.length >= 3) throw new ApiError("push_limit_reached");
    const rec = createViewRecord(ws, {
      userId: t.userId,
      view,
      openedBy: "views.push",
      triggerId: a.str("trigger_id"),
      previous: ws.topView(t.userId),
    });
    stack.push(rec.id);
    ws.modalStacks.set(t.userId, stack);
    return { view: wireView(ws, rec) };
  },

  "views.update": (a, { ws }) => {
    const viewId = a.str("view_id");
    const externalId = a.str("external_id");
    if (!viewId && !externalId) throw new ApiError("invalid_arguments");
    const rec = ws.findView(viewId, externalId);
    if (!rec || !rec.open) throw new ApiError("not_found");
    const hash = a.str("hash");
    if (hash !== undefined && hash !== "" && hash !== rec.hash) throw new ApiError("hash_conflict");
    replaceViewDefinition(ws, rec, viewArg(a));
    return { view: wireView(ws, rec) };
  },

  "views.publish": (a, { ws }) => {
    const user = userOrThrow(ws, a.str("user_id"));
    const view = viewArg(a);
    if (view.type !== "home") throw new ApiError("invalid_arguments", { response_metadata: { messages: ["[ERROR] must be home"] } });
    let rec = ws.views.find((v) => v.type === "home" && v.userId === user.id);
    if (rec) replaceViewDefinition(ws, rec, view);
    else rec = createViewRecord(ws, { userId: user.id, view, openedBy: "views.publish" });
    return { view: wireView(ws, rec) };
  },

  "users.info": (a, { ws }) => ({ user: wireUser(ws, userOrThrow(ws, a.str("user"))) }),

  "users.list": (_a, { ws }) => ({
    members: [...ws.users.values()].map((u) => wireUser(ws, u)),
    cache_ts: Math.floor(Date.now() / 1000),
    response_metadata: { next_cursor: "" },
  }),

  "users.lookupByEmail": (a, { ws }) => {
    const email = a.req("email", "users_not_found").toLowerCase();
    const u = [...ws.users.values()].find((x) => x.email?.toLowerCase() === email);
    if (!u) throw new ApiError("users_not_found");
    return { user: wireUser(ws, u) };
  },

  "conversations.open": (a, { ws }) => {
    const existing = a.str("channel");
    if (existing) {
      const ch = channelOrThrow(ws, existing);
      return { channel: a.bool("return_im") ? wireChannel(ws, ch) : { id: ch.id } };
    }
    const ids = (a.str("users") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (ids.length === 0) throw new ApiError("users_list_not_supplied");
    if (ids.length > 1) throw new ApiError("not_supported", { detail: "the emulator only opens 1:1 DMs" });
    const user = userOrThrow(ws, ids[0]);
    if (user.deleted) throw new ApiError("user_disabled");
    if (user.dmsClosed) throw new ApiError(user.dmsClosed);
    if (user.isBot || user.id === ws.id.botUserId) throw new ApiError("cannot_dm_bot");
    const ch = ws.imWith(user.id);
    ws.touch();
    return {
      no_op: false,
      already_open: false,
      channel: a.bool("return_im") ? wireChannel(ws, ch) : { id: ch.id },
    };
  },

  "conversations.info": (a, { ws }) => {
    const ref = a.str("channel");
    const ch = ref ? ws.channels.get(ref) : undefined;
    if (!ch) throw new ApiError("channel_not_found");
    return { channel: wireChannel(ws, ch) };
  },

  "conversations.members": (a, { ws }) => {
    const ref = a.str("channel");
    const ch = ref ? ws.channels.get(ref) : undefined;
    if (!ch) throw new ApiError("channel_not_found");
    return { members: ch.members, response_metadata: { next_cursor: "" } };
  },

  "conversations.history": (a, { ws }) => {
    const ref = a.str("channel");
    const ch = ref ? ws.channels.get(ref) : undefined;
    if (!ch) throw new ApiError("channel_not_found");
    // Reading a conversation takes the history scope of its kind (an app installed without it gets missing_scope).
    const needed = ch.isIm ? "im:history" : ch.isPrivate ? "groups:history" : "channels:history";
    if (!ws.id.botScopes.includes(needed)) throw new ApiError("missing_scope", { needed, provided: ws.id.botScopes.join(",") });
    const limit = Math.min(a.num("limit") ?? 100, 999);
    // Slack: `oldest` / `latest` bound the ts range (exclusive unless `inclusive`), newest first,
    // paged by an opaque cursor; message metadata is only returned with include_all_metadata.
    const inclusive = a.bool("inclusive");
    const oldest = Number(a.str("oldest") ?? 0);
    const latest = a.str("latest") === undefined ? Number.POSITIVE_INFINITY : Number(a.str("latest"));
    const inRange = (ts: number) => (inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest);
    const msgs = ws.messages.filter((m) => m.channel === ch.id && !m.deleted && !m.ephemeral && !m.threadTs && inRange(Number(m.ts))).reverse();
    const start = Number(Buffer.from(a.str("cursor") ?? "", "base64").toString() || 0);
    const page = msgs.slice(start, start + limit);
    const more = msgs.length > start + limit;
    const withMetadata = a.bool("include_all_metadata");
    return {
      messages: page.map((m) => {
        const { metadata: _m, ...wire } = wireMessage(ws, m);
        return withMetadata ? wireMessage(ws, m) : wire;
      }),
      has_more: more,
      response_metadata: { next_cursor: more ? Buffer.from(String(start + limit)).toString("base64") : "" },
    };
  },

  "pins.add": (a, { ws }) => {
    const ch = channelOrThrow(ws, a.str("channel"));
    const msg = ws.findMessage(ch.id, a.req("timestamp", "no_item_specified"));
    if (!msg || msg.deleted || msg.ephemeral) throw new ApiError("message_not_found");
    if (msg.pinned) throw new ApiError("already_pinned");
    msg.pinned = true;
    msg.seq = ws.touch();
    return {};
  },

  "files.getUploadURLExternal": (a, ctx) => {
    const filename = a.req("filename");
    const length = a.num("length");
    if (length === undefined || length < 0) throw new ApiError("invalid_arguments");
    const id = ctx.ws.newId("F");
    ctx.ws.files.set(id, new StoredFile(id, filename, length, a.str("alt_text")));
    ctx.ws.touch();
    return { upload_url: `${ctx.baseUrl}upload/${id}`, file_id: id };
  },

  "files.completeUploadExternal": (a, { ws }) => {
    const files = a.json("files");
    if (!Array.isArray(files) || files.length === 0) throw new ApiError("invalid_arguments");
    const stored = files.map((f: unknown) => {
      const id = typeof f === "object" && f !== null ? (f as JsonObject).id : undefined;
      const file = typeof id === "string" ? ws.files.get(id) : undefined;
      if (!file) throw new ApiError("file_not_found");
      const title = (f as JsonObject).title;
      if (typeof title === "string") file.title = title;
      return file;
    });
    const channelRef = a.str("channel_id") ?? a.str("channels")?.split(",")[0];
    let channel: EmulatorChannel | undefined;
    if (channelRef) {
      channel = channelOrThrow(ws, channelRef);
      if (!channel.isIm && !channel.isMember) throw new ApiError("not_in_channel");
    }
    for (const f of stored) {
      if (!f.uploaded) ws.problem(`files.completeUploadExternal: ${f.id} (${f.filename}) was never uploaded to its upload_url`);
      f.completed = true;
      f.channelId = channel?.id;
      f.initialComment = a.str("initial_comment");
      f.threadTs = a.str("thread_ts");
    }
    if (channel) {
      ws.createMessage({
        channel: channel.id,
        text: a.str("initial_comment") ?? "",
        threadTs: a.str("thread_ts"),
        files: stored.map((f) => f.id),
        source: "files.completeUploadExternal",
      });
    }
    ws.touch();
    return { files: stored.map((f) => wireFile(ws, f.id)) };
  },
};

export const APP_METHODS: Record<string, Handler> = {
  "apps.connections.open": (_a, ctx) => ({ url: ctx.newSocketUrl() }),
};

export interface ApiAnswer {
  status: number;
  body: JsonObject | string;
  headers: Record<string, string>;
  injected?: boolean;
  unknown?: boolean;
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

/** Runs one Web API call: failure injection, auth, dispatch. */
export function runApiMethod(ctx: ApiContext, method: string, args: JsonObject, token: string | undefined): ApiAnswer {
  const { ws } = ctx;
  const failure = ws.takeFailure(method);
  if (failure) {
    if ("error" in failure) return { status: 200, body: { ok: false, error: failure.error }, headers: JSON_HEADERS, injected: true };
    if (failure.status === 429) {
      const retryAfter = "retryAfter" in failure && failure.retryAfter !== undefined ? failure.retryAfter : 1;
      return {
        status: 429,
        body: { ok: false, error: "ratelimited" },
        headers: { ...JSON_HEADERS, "retry-after": String(retryAfter) },
        injected: true,
      };
    }
    const body = "body" in failure && failure.body !== undefined ? failure.body : "Internal Server Error";
    return { status: failure.status, body, headers: { "content-type": "text/plain" }, injected: true };
  }

  const appMethod = APP_METHODS[method];
  const botMethod = BOT_METHODS[method];
  if (!appMethod && !botMethod) return { status: 200, body: { ok: false, error: "unknown_method" }, headers: JSON_HEADERS, unknown: true };
  // Slack: no token at all is `not_authed`; a token that is not valid for this method is `invalid_auth`.
  if (!token) return { status: 200, body: { ok: false, error: "not_authed" }, headers: JSON_HEADERS };
  const expected = appMethod ? ws.id.appToken : ws.id.botToken;
  if (token !== expected) return { status: 200, body: { ok: false, error: "invalid_auth" }, headers: JSON_HEADERS };
  // Slack tells every authenticated caller what its token may do (bot tokens; app-level tokens too, with their own scopes).
  const headers = appMethod ? JSON_HEADERS : { ...JSON_HEADERS, "x-oauth-scopes": ws.id.botScopes.join(",") };

  try {
    const result = (appMethod ?? botMethod)!(new Args(args), ctx);
    return {
      status: 200,
      body: { ok: true, ...result },
      headers,
    };
  } catch (e) {
    if (e instanceof ApiError) return { status: 200, body: { ok: false, error: e.code, ...e.extra }, headers };
    throw e;
  }
}
