/** Interaction callbacks and the interaction webhook (follow-ups, @original edits and deletes). */
import { ApiError, errors, throwIfInvalid } from "../http-util.js";
import { CallbackType, type InteractionHandle, type ModalData } from "../interaction-handle.js";
import { findInTree } from "../component-tree.js";
import type { StoredMessage } from "../store.js";
import type { CapturedFile, EmuMessage } from "../types.js";
import { numberComponents } from "../message-content.js";
import { MessageFlags, validateModal } from "../validate.js";
import { reportBotOutput } from "../../../helpers/bot-output.js";
import { asObj, isObj, noContent, ok, SENDABLE_FLAGS, type Ctx, type Json, type RestContext, type Result } from "./context.js";

/** One callback being answered: what the handler for its type needs. */
interface Callback {
  r: RestContext;
  h: InteractionHandle;
  type: number;
  data: Json | undefined;
  files: CapturedFile[];
}

/** Each callback type applies its effect and returns the message it created or updated, if any. */
type CallbackEffect = (cb: Callback) => EmuMessage | undefined;

const invalidType = (type: number): never => {
  throw errors.invalidFormBody({ type: { _errors: [{ code: "INTERACTION_RESPONSE_TYPE_INVALID", message: `Interaction response type ${type} is not valid for this interaction` }] } });
};

const fromMessage = (cb: Callback): void => {
  if (cb.h.sourceMessageId === undefined) invalidType(cb.type);
};

const CALLBACK_EFFECTS: Record<number, CallbackEffect> = {
  [CallbackType.ChannelMessageWithSource]: ({ r, h, data, files }) => {
    const msgBody = r.validateMessage(data, files, true, ["data"]);
    const flags = (typeof msgBody.flags === "number" ? msgBody.flags : 0) & SENDABLE_FLAGS;
    const stored = createInteractionMessage(r, h, msgBody, files, flags);
    h.originalId = stored.message.id;
    r.emitMessage("MESSAGE_CREATE", stored.message);
    return stored.message;
  },
  [CallbackType.DeferredChannelMessageWithSource]: ({ r, h, data }) => {
    const flags = ((typeof data?.flags === "number" ? data.flags : 0) & MessageFlags.Ephemeral) | MessageFlags.Loading;
    const stored = createInteractionMessage(r, h, {}, [], flags);
    h.originalId = stored.message.id;
    r.emitMessage("MESSAGE_CREATE", stored.message);
    return stored.message;
  },
  [CallbackType.DeferredMessageUpdate]: (cb) => {
    fromMessage(cb);
    cb.h.originalId = cb.h.sourceMessageId;
    return undefined;
  },
  [CallbackType.UpdateMessage]: (cb) => {
    fromMessage(cb);
    const { r, h, data, files } = cb;
    const msgBody = r.validateMessage(data ?? {}, files, false, ["data"]);
    const stored = r.store.messages.get(h.sourceMessageId!);
    if (!stored || stored.deleted) throw errors.unknownMessage();
    h.originalId = h.sourceMessageId;
    r.store.editMessage(stored, msgBody, files);
    r.emitMessage("MESSAGE_UPDATE", stored.message);
    return stored.message;
  },
  [CallbackType.ApplicationCommandAutocompleteResult]: ({ h, type, data }) => {
    if (h.payload.type !== 4) invalidType(type);
    h.autocompleteChoices = Array.isArray(data?.choices) ? data.choices : [];
    return undefined;
  },
  [CallbackType.Modal]: ({ r, h, type, data }) => {
    // A modal cannot answer a modal submission.
    if (h.kind === "modal") invalidType(type);
    throwIfInvalid(validateModal(data));
    // Discord numbers modal components too; the submission echoes those ids.
    h.modal = { ...(data as unknown as ModalData), components: numberComponents(data?.components) };
    reportBotOutput("Discord, formulaire", modalText(h.modal));
    return undefined;
  },
};

export function registerInteractionRoutes(r: RestContext): void {
  r.on("POST", "/interactions/:id/:token/callback", "none", (ctx) => answerCallback(r, ctx));
  registerWebhookRoutes(r);
}

function answerCallback(r: RestContext, { params, body, files, query, arrivedAt }: Ctx): Result {
  const h = r.deps.interactionById(params.id!);
  if (!h || h.token !== params.token) throw errors.unknownInteraction();
  const payload = asObj(body);
  const type = typeof payload.type === "number" ? payload.type : -1;
  const data = isObj(payload.data) ? payload.data : undefined;
  let resourceMessage: EmuMessage | undefined;
  try {
    if (h.acknowledged) throw errors.alreadyAcknowledged();
    // Discord forgets interactions not acknowledged within 3 seconds.
    if (h.sentAt === undefined || arrivedAt - h.sentAt > r.deps.interactionDeadlineMs) throw errors.unknownInteraction();
    const effect = CALLBACK_EFFECTS[type] ?? (() => invalidType(type));
    resourceMessage = effect({ r, h, type, data, files });
  } catch (err) {
    if (err instanceof ApiError) {
      h.rejectedCallbacks.push({ type, data, files, status: err.status, errorCode: err.code, at: arrivedAt });
      h.touch();
    }
    throw err;
  }
  const withResponse = query.get("with_response") === "true";
  h.callbacks.push({ type, data, files, status: withResponse ? 200 : 204, at: arrivedAt });
  h.touch(files);
  if (!withResponse) return noContent();
  const msg = h.message;
  return ok({
    interaction: {
      id: h.id,
      type: h.payload.type,
      response_message_id: msg?.id,
      response_message_loading: msg ? (msg.flags & MessageFlags.Loading) !== 0 : undefined,
      response_message_ephemeral: msg ? (msg.flags & MessageFlags.Ephemeral) !== 0 : undefined,
    },
    resource: { type, ...(resourceMessage ? { message: resourceMessage } : {}) },
  });
}

function registerWebhookRoutes(r: RestContext): void {
  r.on("POST", "/webhooks/:app/:token", "none", (ctx) => followUp(r, ctx));
  r.on("GET", "/webhooks/:app/:token/messages/:message", "none", ({ params }) => {
    const h = webhookInteraction(r, params.app, params.token);
    return ok(webhookMessage(r, h, params.message).message);
  });
  r.on("PATCH", "/webhooks/:app/:token/messages/:message", "none", ({ params, body, files }) => {
    const h = webhookInteraction(r, params.app, params.token);
    h.touch(files);
    const stored = webhookMessage(r, h, params.message);
    const msgBody = r.validateMessage(body ?? {}, files, false);
    const message = r.store.editMessage(stored, msgBody, files, { clearLoading: true });
    r.emitMessage("MESSAGE_UPDATE", message);
    h.touch();
    return ok(message);
  });
  r.on("DELETE", "/webhooks/:app/:token/messages/:message", "none", ({ params }) => {
    const h = webhookInteraction(r, params.app, params.token);
    const stored = webhookMessage(r, h, params.message);
    stored.deleted = true;
    r.emitDelete(stored.message);
    h.touch();
    return noContent();
  });
}

function followUp(r: RestContext, { params, body, files, query }: Ctx): Result {
  const h = webhookInteraction(r, params.app, params.token);
  // Follow-ups only exist once the interaction has been acknowledged.
  if (!h.acknowledged) throw errors.unknownWebhook();
  const msgBody = r.validateMessage(body, files, true);
  h.touch(files);
  const original = h.originalId ? r.store.messages.get(h.originalId) : undefined;
  let message: EmuMessage;
  if (original && !original.deleted && (original.message.flags & MessageFlags.Loading) !== 0) {
    // After a deferred reply, Discord turns the first follow-up into the reply itself.
    message = r.store.editMessage(original, msgBody, files, { clearLoading: true });
    r.emitMessage("MESSAGE_UPDATE", message);
  } else {
    const flags = (typeof msgBody.flags === "number" ? msgBody.flags : 0) & SENDABLE_FLAGS;
    const stored = createInteractionMessage(r, h, msgBody, files, flags);
    h.followUpIds.push(stored.message.id);
    message = stored.message;
    r.emitMessage("MESSAGE_CREATE", message);
  }
  h.touch();
  return query.get("wait") === "true" ? ok(message) : noContent();
}

function interactionMetadata(h: InteractionHandle): Json {
  const user = asObj(h.payload.user ?? asObj(h.payload.member).user);
  const data = asObj(h.payload.data);
  return {
    id: h.id,
    type: h.payload.type,
    user,
    authorizing_integration_owners: h.payload.authorizing_integration_owners ?? {},
    ...(h.kind === "command" ? { name: data.name, command_type: 1 } : {}),
    ...(h.sourceMessageId ? { interacted_message_id: h.sourceMessageId } : {}),
  };
}

function createInteractionMessage(r: RestContext, h: InteractionHandle, body: Json, files: CapturedFile[], flags: number): StoredMessage {
  return r.store.createMessage(h.channelId, body, files, {
    author: r.store.botUser,
    type: h.kind === "command" ? 20 : 0,
    webhookId: r.store.applicationId,
    interactionId: h.id,
    interactionMetadata: interactionMetadata(h),
    flags,
  });
}

function webhookInteraction(r: RestContext, app: string | undefined, token: string | undefined): InteractionHandle {
  const h = token ? r.deps.interactionByToken(token) : undefined;
  if (!h || app !== r.store.applicationId) throw errors.unknownWebhook();
  return h;
}

/** Messages a webhook token may touch: @original and its follow-ups. */
function webhookMessage(r: RestContext, h: InteractionHandle, messageId: string | undefined): StoredMessage {
  const id = messageId === "@original" ? h.originalId : messageId;
  const allowed = id !== undefined && (id === h.originalId || h.followUpIds.includes(id));
  const stored = allowed ? r.store.messages.get(id) : undefined;
  if (!stored || stored.deleted) throw errors.unknownMessage();
  return stored;
}

/** What a form shows: its title, labels, placeholders and prefilled values (for the style check). */
function modalText(modal: ModalData): string {
  const texts = [modal.title];
  findInTree(modal.components, (c) => {
    for (const key of ["label", "placeholder", "value"] as const) {
      const v = (c as Record<string, unknown>)[key];
      if (typeof v === "string") texts.push(v);
    }
    return false;
  });
  return texts.join("\n");
}
