/** People and conversations: users.*, conversations.* (open a DM, info, members, history). */
import { ApiError, channelOrThrow, userOrThrow, type Handler } from "./args.js";
import { wireChannel, wireMessage, wireUser } from "./wire.js";

export const CONVERSATION_METHODS: Record<string, Handler> = {
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
};
