/**
 * What Slack does with an app's answers to an interaction: the ack payload (socket or HTTP body)
 * and the posts to the interaction's response_url.
 */
import { validateBlocks, validateView } from "./blocks.js";
import type { Interaction, Workspace } from "./state.js";
import type { JsonObject, ResponseUrlPost } from "./types.js";
import { closeViews, createViewRecord, replaceViewDefinition } from "./web-api/views.js";
import { reportBotOutput } from "../../helpers/bot-output.js";

const isObj = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): JsonObject[] | undefined => (Array.isArray(v) ? (v as JsonObject[]) : undefined);

function hasContent(p: JsonObject): boolean {
  return (typeof p.text === "string" && p.text !== "") || Array.isArray(p.blocks) || Array.isArray(p.attachments);
}

/** Applies an ack payload the way Slack interprets it for this kind of interaction. */
export function applyAck(ws: Workspace, it: Interaction, payload: JsonObject): void {
  if (it.kind === "command") applyCommandAck(ws, it, payload);
  else if (it.kind === "view_submission" && it.userId && it.viewId) applySubmissionAck(ws, it, it.userId, it.viewId, payload);
  // block_actions / events: Slack ignores the ack payload.
}

/** A slash command's ack with content is its reply: ephemeral unless `response_type: in_channel`. */
function applyCommandAck(ws: Workspace, it: Interaction, payload: JsonObject): void {
  if (!hasContent(payload) || !it.channelId) return;
  const errors = validateBlocks(payload.blocks, "message");
  if (errors.length > 0) {
    ws.problem(`slash command ack refused by Slack (invalid_blocks): ${errors.join("; ")}`);
    return;
  }
  const inChannel = payload.response_type === "in_channel";
  const msg = ws.createMessage({
    channel: it.channelId,
    text: typeof payload.text === "string" ? payload.text : "",
    blocks: list(payload.blocks),
    attachments: list(payload.attachments),
    ephemeral: !inChannel,
    visibleTo: inChannel ? undefined : it.userId,
    source: "ack",
    responseType: inChannel ? "in_channel" : "ephemeral",
  });
  it.lastResponseTs = msg.ts;
}

/** A view_submission's ack: errors on fields, update or push a view, clear the stack, or close the view. */
function applySubmissionAck(ws: Workspace, it: Interaction, userId: string, viewId: string, payload: JsonObject): void {
  const rec = ws.findView(viewId);
  if (!rec) return;
  const action = payload.response_action;
  if (action === "errors") {
    rec.errors = isObj(payload.errors) ? (payload.errors as Record<string, string>) : {};
    reportBotOutput("Slack, formulaire (erreurs)", Object.values(rec.errors).join("\n"));
    for (const blockId of Object.keys(rec.errors)) {
      const known = (rec.view.blocks as unknown[] | undefined)?.some((b) => isObj(b) && b.block_id === blockId);
      if (!known) ws.problem(`response_action errors: block_id "${blockId}" is not an input block of view ${rec.id}`);
    }
    ws.touch();
  } else if (action === "update" || action === "push") {
    const errors = validateView(payload.view);
    if (errors.length > 0 || !isObj(payload.view)) {
      ws.problem(`response_action ${action} refused by Slack: ${errors.join("; ")}`);
      return;
    }
    if (action === "update") replaceViewDefinition(ws, rec, payload.view);
    else {
      const stack = ws.modalStacks.get(userId) ?? [];
      const pushed = createViewRecord(ws, { userId, view: payload.view, openedBy: "response_action", triggerId: it.triggerId, previous: rec });
      stack.push(pushed.id);
      ws.modalStacks.set(userId, stack);
    }
  } else if (action === "clear") {
    closeViews(ws, userId, "all");
  } else {
    // A plain ack closes the submitted view (and only that one, for stacked modals).
    rec.errors = undefined;
    closeViews(ws, userId, "top");
  }
}

/** Handles a POST to an interaction's response_url. Returns the HTTP status and body to send. */
export function applyResponseUrlPost(ws: Workspace, it: Interaction, body: JsonObject): { status: number; body: JsonObject } {
  const seq = ws.touch();
  const post: ResponseUrlPost = { at: Date.now(), seq, body, effect: "new" };
  it.responses.push(post);
  if (it.responses.length > 5) ws.problem(`response_url of ${it.kind} ${it.id} used ${it.responses.length} times (Slack allows 5)`);
  const channel = it.channelId;
  if (!channel) {
    post.effect = "rejected";
    return { status: 404, body: { ok: false, error: "no_channel" } };
  }
  const errors = validateBlocks(body.blocks, "message");
  if (errors.length > 0) {
    post.effect = "rejected";
    ws.problem(`response_url post refused by Slack (invalid_blocks): ${errors.join("; ")}`);
    return { status: 400, body: { ok: false, error: "invalid_blocks", response_metadata: { messages: errors } } };
  }
  const originalTs = it.originalTs ?? it.lastResponseTs;
  const original = originalTs ? ws.findMessage(channel, originalTs) : undefined;
  const truthy = (v: unknown) => v === true || v === "true";

  if (truthy(body.delete_original)) {
    if (!original || original.deleted) {
      post.effect = "rejected";
      return { status: 404, body: { ok: false, error: "message_not_found" } };
    }
    ws.deleteMessage(original);
    post.effect = "deleted";
    post.messageTs = original.ts;
    return { status: 200, body: { ok: true } };
  }
  if (!hasContent(body)) {
    post.effect = "rejected";
    return { status: 400, body: { ok: false, error: "no_text" } };
  }
  if (truthy(body.replace_original) && original && !original.deleted) {
    ws.updateMessage(original, {
      text: typeof body.text === "string" ? body.text : "",
      blocks: list(body.blocks) ?? [],
      attachments: list(body.attachments),
    });
    post.effect = "replaced";
    post.messageTs = original.ts;
    return { status: 200, body: { ok: true } };
  }
  const inChannel = body.response_type === "in_channel";
  const msg = ws.createMessage({
    channel,
    text: typeof body.text === "string" ? body.text : "",
    blocks: list(body.blocks),
    attachments: list(body.attachments),
    threadTs: typeof body.thread_ts === "string" ? body.thread_ts : undefined,
    ephemeral: !inChannel,
    visibleTo: inChannel ? undefined : it.userId,
    source: "response_url",
    responseType: inChannel ? "in_channel" : "ephemeral",
  });
  it.lastResponseTs = msg.ts;
  post.messageTs = msg.ts;
  return { status: 200, body: { ok: true } };
}
