/** Modals and App Home: views.open / push / update / publish, and the view stack they keep per user. */
import type { Workspace } from "../state.js";
import type { JsonObject, ViewRecord } from "../types.js";
import { reportBotOutput } from "../../../helpers/bot-output.js";
import { ApiError, triggerOrThrow, userOrThrow, viewArg, type Handler } from "./args.js";
import { wireView } from "./wire.js";

export const VIEW_METHODS: Record<string, Handler> = {
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
};

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
