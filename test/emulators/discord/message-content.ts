/** Parts of a message Discord builds itself: attachment objects for uploaded files, component ids. */
import { snowflake } from "./http-util.js";
import { findInTree } from "./component-tree.js";
import type { CapturedFile, EmuAttachment, EmuComponent, EmuMessage, Snowflake } from "./types.js";

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Where uploaded files are kept and served from. */
interface AttachmentHost {
  attachmentFiles: Map<Snowflake, CapturedFile>;
  baseUrl: string;
}

/** The message's attachments: kept ones listed by id, new uploads matched to `files[n]`, the rest appended. */
export function attachmentsFor(store: AttachmentHost, channelId: Snowflake, body: Record<string, unknown>, files: CapturedFile[], existing: EmuAttachment[]): EmuAttachment[] {
  const byKey = new Map(files.map((f) => [f.key, f]));
  const used = new Set<CapturedFile>();
  const result: EmuAttachment[] = [];
  const toAttachment = (file: CapturedFile, meta: Record<string, unknown>): EmuAttachment => {
    used.add(file);
    const id = snowflake();
    const filename = typeof meta.filename === "string" ? meta.filename : file.name;
    store.attachmentFiles.set(id, file);
    const url = `${store.baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    return {
      id,
      filename,
      size: file.data.length,
      url,
      proxy_url: url,
      content_type: file.contentType,
      ...(typeof meta.description === "string" ? { description: meta.description } : {}),
    };
  };
  if (Array.isArray(body.attachments)) {
    for (const entry of body.attachments) {
      if (!isObj(entry)) continue;
      const id = String(entry.id);
      const kept = existing.find((a) => a.id === id);
      if (kept) {
        result.push(kept);
        continue;
      }
      const file = byKey.get(`files[${id}]`) ?? files.find((f, i) => String(i) === id);
      if (file) result.push(toAttachment(file, entry));
    }
  } else {
    // Without an explicit attachments list, edits keep what was there.
    result.push(...existing);
  }
  for (const file of files) if (!used.has(file)) result.push(toAttachment(file, {}));
  return result;
}

/** Discord numbers components itself; doing the same keeps round-trips realistic. */
export function numberComponents(components: unknown): EmuComponent[] {
  if (!Array.isArray(components)) return [];
  let next = 1;
  const visit = (c: unknown): EmuComponent => {
    if (!isObj(c)) return c as EmuComponent;
    const copy: EmuComponent = { ...(c as EmuComponent) };
    if (copy.id === undefined) copy.id = next++;
    else next = Math.max(next, Number(copy.id) + 1);
    if (Array.isArray(copy.components)) copy.components = copy.components.map(visit);
    if (isObj(copy.accessory)) copy.accessory = visit(copy.accessory);
    if (isObj(copy.component)) copy.component = visit(copy.component);
    return copy;
  };
  return components.map(visit);
}

/** Text users read in a message: content, embeds and Components V2 text displays. */
export function messageText(message: EmuMessage | undefined): string {
  if (!message) return "";
  const parts: string[] = [message.content];
  for (const e of message.embeds) {
    parts.push(e.author?.name ?? "", e.title ?? "", e.description ?? "");
    for (const f of e.fields ?? []) parts.push(f.name, f.value);
    parts.push(e.footer?.text ?? "");
  }
  findInTree(message.components, (c) => {
    if (c.type === 10 && typeof c.content === "string") parts.push(c.content);
    return false;
  });
  return parts.filter((p) => p.length > 0).join("\n");
}
