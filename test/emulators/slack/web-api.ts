/**
 * Web API: failure injection, authentication and dispatch; the methods live by resource under web-api/.
 * Each handler returns the JSON Slack would answer (ok: true) or throws ApiError, turned into
 * `{ ok: false, error }` with HTTP 200 as Slack does.
 */
import type { JsonObject } from "./types.js";
import { ApiError, Args, type ApiContext, type Handler } from "./web-api/args.js";
import { CHAT_METHODS } from "./web-api/chat.js";
import { CONVERSATION_METHODS } from "./web-api/conversations.js";
import { FILE_METHODS } from "./web-api/files.js";
import { VIEW_METHODS } from "./web-api/views.js";


const BOT_METHODS: Record<string, Handler> = { ...CHAT_METHODS, ...VIEW_METHODS, ...CONVERSATION_METHODS, ...FILE_METHODS };

const APP_METHODS: Record<string, Handler> = {
  "apps.connections.open": (_a, ctx) => ({ url: ctx.newSocketUrl() }),
};

interface ApiAnswer {
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
