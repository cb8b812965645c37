/** Gateway discovery, users, DMs and the application object. */
import { errors } from "../http-util.js";
import { asObj, ok, type Json, type RestContext } from "./context.js";

export function registerApplicationRoutes(r: RestContext): void {
  const s = () => r.store;

  // Gateway discovery: the only request discord.js makes before opening the socket.
  r.on("GET", "/gateway", "none", () => ok({ url: r.deps.gatewayUrl() }));
  r.on("GET", "/gateway/bot", "bot", () =>
    ok({ url: r.deps.gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } }),
  );

  r.on("GET", "/users/@me", "bot", () => ok({ ...s().botUser, verified: true, mfa_enabled: false, flags: 0, email: null, locale: "fr" }));
  r.on("GET", "/users/:user", "bot", ({ params }) => {
    if (!s().users.has(params.user!)) throw errors.unknownUser();
    return ok(s().user(params.user!));
  });
  r.on("POST", "/users/@me/channels", "bot", ({ body }) => {
    const recipient = asObj(body).recipient_id;
    if (typeof recipient !== "string" || !s().users.has(recipient)) throw errors.unknownUser();
    return ok(s().dmChannel(recipient));
  });
  r.on("GET", "/applications/@me", "bot", () => ok(application(r)));
  r.on("PATCH", "/applications/@me", "bot", () => ok(application(r)));
}

function application(r: RestContext): Json {
  const s = r.store;
  return {
    id: s.applicationId,
    name: s.botUser.username,
    icon: null,
    description: "",
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: "0".repeat(64),
    flags: r.deps.applicationFlags(),
    owner: s.users.get(s.ownerId())?.user ?? s.botUser,
    team: null,
    bot: s.botUser,
    approximate_guild_count: 1,
    install_params: { scopes: ["bot", "applications.commands"], permissions: "0" },
    integration_types_config: { "0": {} },
  };
}
