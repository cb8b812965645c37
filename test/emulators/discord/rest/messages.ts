/** Channel messages: send (with enforce_nonce), list, read, edit, delete, typing, pins and reactions. */
import { errors } from "../http-util.js";
import { ChannelType } from "../permissions.js";
import type { EmuMessage } from "../types.js";
import { MessageFlags } from "../validate.js";
import { noContent, ok, type Ctx, type RestContext, type Result } from "./context.js";

export function registerMessageRoutes(r: RestContext): void {
  const s = () => r.store;

  r.on("GET", "/channels/:channel", "bot", ({ params }) => ok(r.channel(params.channel)));
  r.on("POST", "/channels/:channel/messages", "bot", (ctx) => sendMessage(r, ctx));
  r.on("GET", "/channels/:channel/messages", "bot", ({ params, query }) => {
    const channel = r.channel(params.channel);
    const limit = Math.min(100, Math.max(1, Number(query.get("limit") ?? 50)));
    let list = s().messagesIn(channel.id).map((m) => m.message).filter((m) => !r.isEphemeral(m));
    const before = query.get("before");
    const after = query.get("after");
    if (before) list = list.filter((m) => BigInt(m.id) < BigInt(before));
    if (after) list = list.filter((m) => BigInt(m.id) > BigInt(after));
    return ok(list.reverse().slice(0, limit));
  });
  r.on("GET", "/channels/:channel/messages/:message", "bot", ({ params }) => {
    const channel = r.channel(params.channel);
    return ok(r.storedMessage(channel.id, params.message).message);
  });
  r.on("PATCH", "/channels/:channel/messages/:message", "bot", ({ params, body, files }) => {
    const channel = r.channel(params.channel);
    const stored = r.storedMessage(channel.id, params.message);
    if (stored.message.author.id !== s().botUserId) throw errors.cannotEditOthers();
    const msgBody = r.validateMessage(body ?? {}, files, false);
    const message = s().editMessage(stored, msgBody, files);
    r.emitMessage("MESSAGE_UPDATE", message);
    return ok(message);
  });
  r.on("DELETE", "/channels/:channel/messages/:message", "bot", ({ params }) => {
    const channel = r.channel(params.channel);
    const stored = r.storedMessage(channel.id, params.message);
    stored.deleted = true;
    r.emitDelete(stored.message);
    return noContent();
  });
  r.on("POST", "/channels/:channel/typing", "bot", ({ params }) => {
    r.channel(params.channel);
    return noContent();
  });
  registerPinRoutes(r);
  registerReactionRoutes(r);
}

function sendMessage(r: RestContext, { params, body, files }: Ctx): Result {
  const s = r.store;
  const channel = r.channel(params.channel);
  if (channel.type === ChannelType.DM) {
    const recipient = s.dmRecipient(channel);
    if (!recipient || recipient.dmsClosed || recipient.user.bot) throw errors.cannotDmUser();
  }
  const msgBody = r.validateMessage(body, files, true);
  // enforce_nonce: the same nonce from the same author within a few minutes returns the
  // message it created, and creates nothing (what makes a retried send idempotent).
  const nonce = typeof msgBody.nonce === "string" || typeof msgBody.nonce === "number" ? String(msgBody.nonce) : undefined;
  const enforced = nonce !== undefined && msgBody.enforce_nonce === true;
  const earlier = enforced ? s.messageByNonce(s.botUser.id, nonce) : undefined;
  if (earlier && !earlier.deleted) return ok({ ...earlier.message, nonce });
  const flags = (typeof msgBody.flags === "number" ? msgBody.flags : 0) & (4 | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2);
  const stored = s.createMessage(channel.id, msgBody, files, { author: s.botUser, flags });
  if (enforced) s.rememberNonce(s.botUser.id, nonce, stored.message.id);
  r.emitMessage("MESSAGE_CREATE", stored.message);
  return ok(nonce === undefined ? stored.message : { ...stored.message, nonce });
}

/** Pins: discord.js 14.28 uses /messages/pins/:id; the legacy /pins/:id still exists on Discord. */
function registerPinRoutes(r: RestContext): void {
  const pin = (pinned: boolean) => ({ params }: Ctx): Result => {
    const channel = r.channel(params.channel);
    const stored = r.storedMessage(channel.id, params.message);
    stored.message.pinned = pinned;
    r.deps.dispatch("CHANNEL_PINS_UPDATE", { channel_id: channel.id, ...(channel.guild_id ? { guild_id: channel.guild_id } : {}), last_pin_timestamp: new Date().toISOString() });
    return noContent();
  };
  r.on("PUT", "/channels/:channel/pins/:message", "bot", pin(true));
  r.on("DELETE", "/channels/:channel/pins/:message", "bot", pin(false));
  r.on("PUT", "/channels/:channel/messages/pins/:message", "bot", pin(true));
  r.on("DELETE", "/channels/:channel/messages/pins/:message", "bot", pin(false));
  const pinned = (channelId: string): EmuMessage[] =>
    r.store.messagesIn(channelId).map((m) => m.message).filter((m) => m.pinned).reverse();
  r.on("GET", "/channels/:channel/pins", "bot", ({ params }) => ok(pinned(r.channel(params.channel).id)));
  r.on("GET", "/channels/:channel/messages/pins", "bot", ({ params }) =>
    ok({ items: pinned(r.channel(params.channel).id).map((message) => ({ pinned_at: message.timestamp, message })), has_more: false }),
  );
}

function registerReactionRoutes(r: RestContext): void {
  const react = (add: boolean) => ({ params }: Ctx): Result => {
    const channel = r.channel(params.channel);
    const stored = r.storedMessage(channel.id, params.message);
    const name = decodeURIComponent(params.emoji ?? "");
    const reactions = (stored.message.reactions ??= []);
    const existing = reactions.find((e) => e.emoji.name === name || `${e.emoji.name}:${e.emoji.id}` === name);
    if (add && !existing) reactions.push({ emoji: { id: null, name }, count: 1, me: true });
    else if (add && existing && !existing.me) Object.assign(existing, { count: existing.count + 1, me: true });
    else if (!add && existing?.me) {
      existing.count--;
      existing.me = false;
      if (existing.count === 0) reactions.splice(reactions.indexOf(existing), 1);
    }
    return noContent();
  };
  r.on("PUT", "/channels/:channel/messages/:message/reactions/:emoji/@me", "bot", react(true));
  r.on("DELETE", "/channels/:channel/messages/:message/reactions/:emoji/@me", "bot", react(false));
}
