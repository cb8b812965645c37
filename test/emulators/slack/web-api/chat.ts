/** Messages: chat.* (post, ephemeral, update, delete, permalink), pins and auth.test. */
import { validateBlocks } from "../blocks.js";
import type { JsonObject } from "../types.js";
import { ApiError, channelOrThrow, checkMessageContent, userOrThrow, type Handler } from "./args.js";
import { wireMessage } from "./wire.js";

export const CHAT_METHODS: Record<string, Handler> = {
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

  "pins.add": (a, { ws }) => {
    const ch = channelOrThrow(ws, a.str("channel"));
    const msg = ws.findMessage(ch.id, a.req("timestamp", "no_item_specified"));
    if (!msg || msg.deleted || msg.ephemeral) throw new ApiError("message_not_found");
    if (msg.pinned) throw new ApiError("already_pinned");
    msg.pinned = true;
    msg.seq = ws.touch();
    return {};
  },
};
