/** The guild itself, its channels, roles and members (listing needs the GUILD_MEMBERS intent). */
import { errors, throwIfInvalid } from "../http-util.js";
import { asObj, noContent, ok, type Ctx, type RestContext, type Result } from "./context.js";

export function registerGuildRoutes(r: RestContext): void {
  const s = () => r.store;

  r.on("GET", "/guilds/:guild", "bot", ({ params, query }) => {
    r.guild(params.guild);
    const counts = query.get("with_counts") === "true" ? { approximate_member_count: s().members.size, approximate_presence_count: 0 } : {};
    return ok({ ...s().guildObject(), ...counts });
  });
  r.on("GET", "/guilds/:guild/channels", "bot", ({ params }) => {
    r.guild(params.guild);
    return ok(s().guildChannels());
  });
  r.on("POST", "/guilds/:guild/channels", "bot", ({ params, body }) => {
    r.guild(params.guild);
    const b = asObj(body);
    if (typeof b.name !== "string" || b.name.length === 0) throwIfInvalid([{ path: ["name"], code: "BASE_TYPE_REQUIRED", message: "This field is required" }]);
    const channel = s().addChannel({ name: b.name as string, ...(typeof b.type === "number" ? { type: b.type } : {}), parentId: (b.parent_id as string | undefined) ?? null, topic: (b.topic as string | undefined) ?? null });
    r.deps.dispatch("CHANNEL_CREATE", channel);
    return { status: 201, body: channel };
  });
  r.on("GET", "/guilds/:guild/roles", "bot", ({ params }) => {
    r.guild(params.guild);
    return ok([...s().roles.values()]);
  });
  registerMemberRoutes(r);
}

function registerMemberRoutes(r: RestContext): void {
  const s = () => r.store;
  // Listing members needs the privileged GUILD_MEMBERS intent enabled in the developer portal.
  r.on("GET", "/guilds/:guild/members", "bot", ({ params, query }) => {
    r.guild(params.guild);
    if ((r.deps.privilegedIntents & (1 << 1)) === 0) throw errors.missingAccess();
    const limit = Math.min(1000, Math.max(1, Number(query.get("limit") ?? 1)));
    const after = BigInt(query.get("after") ?? "0");
    const ids = [...s().members.keys()].filter((id) => BigInt(id) > after).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    return ok(ids.slice(0, limit).map((id) => s().member(id)));
  });
  r.on("GET", "/guilds/:guild/members/search", "bot", ({ params, query }) => {
    r.guild(params.guild);
    const q = (query.get("query") ?? "").toLowerCase();
    const limit = Math.min(1000, Math.max(1, Number(query.get("limit") ?? 1)));
    const found = [...s().members.keys()]
      .map((id) => s().member(id)!)
      .filter((m) => [m.user.username, m.user.global_name ?? "", m.nick ?? ""].some((n) => n.toLowerCase().startsWith(q)));
    return ok(found.slice(0, limit));
  });
  r.on("GET", "/guilds/:guild/members/:user", "bot", ({ params }) => {
    r.guild(params.guild);
    const id = params.user === "@me" ? s().botUserId : params.user!;
    // Discord distinguishes a user that does not exist from one that is not in the guild.
    if (!s().users.has(id)) throw errors.unknownUser();
    const member = s().member(id);
    if (!member) throw errors.unknownMember();
    return ok(member);
  });
  r.on("PATCH", "/guilds/:guild/members/:user", "bot", ({ params, body }) => {
    r.guild(params.guild);
    const id = params.user === "@me" ? s().botUserId : params.user!;
    const rec = s().members.get(id);
    if (!rec) throw errors.unknownMember();
    const b = asObj(body);
    if ("nick" in b) rec.nick = typeof b.nick === "string" && b.nick.length > 0 ? b.nick : null;
    if (Array.isArray(b.roles)) rec.roles = b.roles.map(String);
    const member = s().member(id)!;
    r.deps.dispatch("GUILD_MEMBER_UPDATE", { guild_id: s().guildId, ...member });
    return ok(member);
  });
  const memberRole = (add: boolean) => ({ params }: Ctx): Result => {
    r.guild(params.guild);
    const rec = s().members.get(params.user!);
    if (!rec) throw errors.unknownMember();
    if (!s().roles.has(params.role!)) throw errors.unknownRole();
    rec.roles = add ? [...new Set([...rec.roles, params.role!])] : rec.roles.filter((role) => role !== params.role);
    r.deps.dispatch("GUILD_MEMBER_UPDATE", { guild_id: s().guildId, ...s().member(params.user!)! });
    return noContent();
  };
  r.on("PUT", "/guilds/:guild/members/:user/roles/:role", "bot", memberRole(true));
  r.on("DELETE", "/guilds/:guild/members/:user/roles/:role", "bot", memberRole(false));
}
