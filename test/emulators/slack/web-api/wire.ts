/** Users, channels, messages, views and files in the JSON shapes Slack's Web API answers. */
import type { Workspace } from "../state.js";
import type { EmulatorChannel, EmulatorUser, JsonObject, SlackMessage, ViewRecord } from "../types.js";

export function wireUser(ws: Workspace, u: EmulatorUser): JsonObject {
  return {
    id: u.id,
    team_id: u.teamId ?? ws.id.teamId,
    name: u.name,
    deleted: u.deleted,
    color: "9f69e7",
    real_name: u.realName,
    tz: u.tz,
    tz_label: "Central European Time",
    tz_offset: 3600,
    profile: {
      title: "",
      phone: "",
      skype: "",
      real_name: u.realName,
      real_name_normalized: u.realName.normalize("NFD").replace(/[\u0300-\u036f]/g, ""),
      display_name: u.displayName,
      display_name_normalized: u.displayName.normalize("NFD").replace(/[\u0300-\u036f]/g, ""),
      first_name: u.firstName,
      last_name: u.lastName,
      ...(u.email !== undefined ? { email: u.email } : {}),
      status_text: "",
      status_emoji: "",
      image_24: u.image192.replace("_192", "_24"),
      image_48: u.image192.replace("_192", "_48"),
      image_72: u.image192.replace("_192", "_72"),
      image_192: u.image192,
      image_512: u.image192.replace("_192", "_512"),
      team: u.teamId ?? ws.id.teamId,
    },
    is_admin: u.isAdmin,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: u.isRestricted,
    is_ultra_restricted: u.isUltraRestricted,
    ...(u.teamId ? { is_stranger: true } : {}),
    is_bot: u.isBot,
    is_app_user: false,
    updated: Math.floor(Date.now() / 1000),
    is_email_confirmed: true,
  };
}

export function wireChannel(ws: Workspace, ch: EmulatorChannel): JsonObject {
  if (ch.isIm) {
    return {
      id: ch.id,
      created: ch.created,
      is_im: true,
      is_org_shared: false,
      user: ch.user,
      is_user_deleted: ws.users.get(ch.user ?? "")?.deleted ?? false,
      priority: 0,
    };
  }
  return {
    id: ch.id,
    name: ch.name,
    is_channel: !ch.isPrivate,
    is_group: ch.isPrivate,
    is_im: false,
    is_mpim: ch.isMpim,
    is_private: ch.isPrivate,
    created: ch.created,
    is_archived: false,
    is_general: ch.isGeneral,
    unlinked: 0,
    name_normalized: ch.name,
    is_shared: false,
    is_org_shared: false,
    is_member: ch.isMember,
    creator: "",
    topic: { value: ch.topic, creator: "", last_set: 0 },
    purpose: { value: ch.purpose, creator: "", last_set: 0 },
    num_members: ch.members.length,
  };
}

export function wireMessage(ws: Workspace, m: SlackMessage): JsonObject {
  return {
    type: "message",
    subtype: m.files.length > 0 ? "file_share" : undefined,
    user: m.user,
    bot_id: m.botId,
    app_id: ws.id.appId,
    ts: m.ts,
    text: m.text,
    team: ws.id.teamId,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(m.metadata ? { metadata: m.metadata } : {}),
    ...(m.edited ? { edited: { user: m.user, ts: m.ts } } : {}),
    ...(m.files.length > 0 ? { files: m.files.map((id) => ({ id })) } : {}),
    bot_profile: {
      id: ws.id.botId,
      app_id: ws.id.appId,
      name: ws.id.botName,
      icons: { image_36: "", image_48: "", image_72: "" },
      deleted: false,
      updated: 0,
      team_id: ws.id.teamId,
    },
  };
}

export function wireView(ws: Workspace, v: ViewRecord, stateValues: JsonObject = {}): JsonObject {
  const d = v.view;
  return {
    id: v.id,
    team_id: ws.id.teamId,
    type: v.type,
    blocks: d.blocks ?? [],
    private_metadata: d.private_metadata ?? "",
    callback_id: d.callback_id ?? "",
    state: { values: stateValues },
    hash: v.hash,
    title: d.title ?? null,
    clear_on_close: d.clear_on_close ?? false,
    notify_on_close: d.notify_on_close ?? false,
    close: d.close ?? null,
    submit: d.submit ?? null,
    previous_view_id: v.previousViewId,
    root_view_id: v.rootViewId,
    app_id: ws.id.appId,
    external_id: v.externalId ?? "",
    app_installed_team_id: ws.id.teamId,
    bot_id: ws.id.botId,
  };
}

export function wireFile(ws: Workspace, fileId: string): JsonObject {
  const f = ws.files.get(fileId);
  if (!f) return { id: fileId };
  return {
    id: f.id,
    created: Math.floor(Date.now() / 1000),
    timestamp: Math.floor(Date.now() / 1000),
    name: f.filename,
    title: f.title ?? f.filename,
    mimetype: guessMime(f.filename),
    filetype: f.filename.split(".").pop() ?? "",
    user: ws.id.botUserId,
    size: f.bytes.length,
    is_public: true,
    url_private: `https://files.slack.emulator/files-pri/${ws.id.teamId}-${f.id}/${encodeURIComponent(f.filename)}`,
    permalink: `https://${ws.id.teamDomain}.slack.com/files/${ws.id.botUserId}/${f.id}/${encodeURIComponent(f.filename)}`,
    ...(f.altText ? { alt_txt: f.altText } : {}),
  };
}

function guessMime(name: string): string {
  const ext = name.split(".").pop()?.toLowerCase();
  return (
    { csv: "text/csv", txt: "text/plain", json: "application/json", png: "image/png", pdf: "application/pdf" } as Record<string, string>
  )[ext ?? ""] ?? "application/octet-stream";
}
