/** Guild scheduled events, validated the way Discord validates them. */
import { errors, snowflake, throwIfInvalid, type FieldError } from "../http-util.js";
import type { EmuScheduledEvent } from "../types.js";
import { asObj, isObj, noContent, ok, type Json, type RestContext } from "./context.js";

const required = (path: string[]): FieldError => ({ path, code: "BASE_TYPE_REQUIRED", message: "This field is required" });
const tooLong = (path: string[], max: number): FieldError => ({ path, code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${max} or fewer in length.` });

export function registerScheduledEventRoutes(r: RestContext): void {
  const s = () => r.store;
  const event = (params: Record<string, string>): EmuScheduledEvent => {
    r.guild(params.guild);
    const found = s().scheduledEvents.get(params.event!);
    if (!found) throw errors.unknownScheduledEvent();
    return found;
  };
  const withCount = (e: EmuScheduledEvent, query: URLSearchParams): Json => {
    if (query.get("with_user_count") === "true") return e;
    const { user_count: _count, ...rest } = e;
    return rest;
  };
  r.on("GET", "/guilds/:guild/scheduled-events", "bot", ({ params, query }) => {
    r.guild(params.guild);
    return ok([...s().scheduledEvents.values()].map((e) => withCount(e, query)));
  });
  r.on("POST", "/guilds/:guild/scheduled-events", "bot", ({ params, body }) => {
    r.guild(params.guild);
    const created = scheduledEventFrom(r, asObj(body), undefined);
    s().scheduledEvents.set(created.id, created);
    r.deps.dispatch("GUILD_SCHEDULED_EVENT_CREATE", created);
    return ok(created);
  });
  r.on("GET", "/guilds/:guild/scheduled-events/:event", "bot", ({ params, query }) => ok(withCount(event(params), query)));
  r.on("PATCH", "/guilds/:guild/scheduled-events/:event", "bot", ({ params, body }) => {
    const existing = event(params);
    const updated = scheduledEventFrom(r, asObj(body), existing);
    s().scheduledEvents.set(updated.id, updated);
    r.deps.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", updated);
    return ok(updated);
  });
  r.on("DELETE", "/guilds/:guild/scheduled-events/:event", "bot", ({ params }) => {
    const existing = event(params);
    s().scheduledEvents.delete(existing.id);
    r.deps.dispatch("GUILD_SCHEDULED_EVENT_DELETE", existing);
    return noContent();
  });
  r.on("GET", "/guilds/:guild/scheduled-events/:event/users", "bot", ({ params }) => {
    event(params);
    return ok([]);
  });
}

/** The event a create or edit would give (an edit merges into the existing one), or Discord's 400. */
function scheduledEventFrom(r: RestContext, body: Json, existing: EmuScheduledEvent | undefined): EmuScheduledEvent {
  const merged: Json = { ...(existing ?? {}), ...body };
  const entityType = merged.entity_type;
  const start = typeof merged.scheduled_start_time === "string" ? Date.parse(merged.scheduled_start_time) : NaN;
  const end = typeof merged.scheduled_end_time === "string" ? Date.parse(merged.scheduled_end_time) : NaN;
  throwIfInvalid([...eventFieldProblems(merged, start, existing !== undefined), ...eventPlaceProblems(merged, start, end)]);
  return {
    id: existing?.id ?? snowflake(),
    guild_id: r.store.guildId,
    channel_id: entityType === 3 ? null : ((merged.channel_id as string | undefined) ?? null),
    creator_id: existing?.creator_id ?? r.store.botUserId,
    creator: existing?.creator ?? r.store.botUser,
    name: merged.name as string,
    description: typeof merged.description === "string" ? merged.description : null,
    scheduled_start_time: new Date(start).toISOString(),
    scheduled_end_time: Number.isNaN(end) ? null : new Date(end).toISOString(),
    privacy_level: 2,
    status: typeof merged.status === "number" ? merged.status : 1,
    entity_type: entityType as number,
    entity_id: null,
    entity_metadata: entityType === 3 ? { location: (merged.entity_metadata as Json).location as string } : null,
    user_count: existing?.user_count ?? 0,
    image: null,
    recurrence_rule: merged.recurrence_rule ?? null,
  };
}

/** Name, description, privacy, type and start: what every event needs. */
function eventFieldProblems(merged: Json, start: number, editing: boolean): FieldError[] {
  const problems: FieldError[] = [];
  const entityType = merged.entity_type;
  if (typeof merged.name !== "string" || merged.name.length === 0) problems.push(required(["name"]));
  else if (merged.name.length > 100) problems.push(tooLong(["name"], 100));
  if (typeof merged.description === "string" && merged.description.length > 1000) problems.push(tooLong(["description"], 1000));
  if (merged.privacy_level !== 2) problems.push({ path: ["privacy_level"], code: "BASE_TYPE_CHOICES", message: "Value must be one of {2}." });
  if (entityType !== 1 && entityType !== 2 && entityType !== 3) problems.push({ path: ["entity_type"], code: "BASE_TYPE_CHOICES", message: "Value must be one of {1, 2, 3}." });
  if (Number.isNaN(start)) problems.push(required(["scheduled_start_time"]));
  else if (!editing && start < Date.now()) problems.push({ path: ["scheduled_start_time"], code: "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST", message: "Cannot schedule event in the past." });
  return problems;
}

/** Where it happens: an external event (type 3) needs a location and an end; a voice/stage one a channel. */
function eventPlaceProblems(merged: Json, start: number, end: number): FieldError[] {
  const problems: FieldError[] = [];
  const entityType = merged.entity_type;
  if (entityType === 3) {
    const metadata = merged.entity_metadata;
    if (!isObj(metadata) || typeof metadata.location !== "string" || metadata.location.length === 0) {
      problems.push(required(["entity_metadata", "location"]));
    } else if (metadata.location.length > 100) {
      problems.push(tooLong(["entity_metadata", "location"], 100));
    }
    if (Number.isNaN(end)) problems.push(required(["scheduled_end_time"]));
  } else if ((entityType === 1 || entityType === 2) && typeof merged.channel_id !== "string") {
    problems.push(required(["channel_id"]));
  }
  if (!Number.isNaN(end) && !Number.isNaN(start) && end <= start) {
    problems.push({ path: ["scheduled_end_time"], code: "GUILD_SCHEDULED_EVENT_END_BEFORE_START", message: "Scheduled end time must be after scheduled start time." });
  }
  return problems;
}
