/** File uploads the way Slack does them now: get an upload URL, upload, then complete (and share). */
import { StoredFile } from "../state.js";
import type { EmulatorChannel, JsonObject } from "../types.js";
import { ApiError, channelOrThrow, type Handler } from "./args.js";
import { wireFile } from "./wire.js";

export const FILE_METHODS: Record<string, Handler> = {
  "files.getUploadURLExternal": (a, ctx) => {
    const filename = a.req("filename");
    const length = a.num("length");
    if (length === undefined || length < 0) throw new ApiError("invalid_arguments");
    const id = ctx.ws.newId("F");
    ctx.ws.files.set(id, new StoredFile(id, filename, length, a.str("alt_text")));
    ctx.ws.touch();
    return { upload_url: `${ctx.baseUrl}upload/${id}`, file_id: id };
  },

  "files.completeUploadExternal": (a, { ws }) => {
    const files = a.json("files");
    if (!Array.isArray(files) || files.length === 0) throw new ApiError("invalid_arguments");
    const stored = files.map((f: unknown) => {
      const id = typeof f === "object" && f !== null ? (f as JsonObject).id : undefined;
      const file = typeof id === "string" ? ws.files.get(id) : undefined;
      if (!file) throw new ApiError("file_not_found");
      const title = (f as JsonObject).title;
      if (typeof title === "string") file.title = title;
      return file;
    });
    const channelRef = a.str("channel_id") ?? a.str("channels")?.split(",")[0];
    let channel: EmulatorChannel | undefined;
    if (channelRef) {
      channel = channelOrThrow(ws, channelRef);
      if (!channel.isIm && !channel.isMember) throw new ApiError("not_in_channel");
    }
    for (const f of stored) {
      if (!f.uploaded) ws.problem(`files.completeUploadExternal: ${f.id} (${f.filename}) was never uploaded to its upload_url`);
      f.completed = true;
      f.channelId = channel?.id;
      f.initialComment = a.str("initial_comment");
      f.threadTs = a.str("thread_ts");
    }
    if (channel) {
      ws.createMessage({
        channel: channel.id,
        text: a.str("initial_comment") ?? "",
        threadTs: a.str("thread_ts"),
        files: stored.map((f) => f.id),
        source: "files.completeUploadExternal",
      });
    }
    ws.touch();
    return { files: stored.map((f) => wireFile(ws, f.id)) };
  },
};
