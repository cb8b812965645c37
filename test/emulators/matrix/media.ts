/**
 * The media repository: uploads (raw bytes, not JSON) kept in memory under an mxc:// URI, and
 * downloads through the authenticated endpoint (v1) or the older one. It stores whatever it is
 * given: for an encrypted room, the ciphertext the client made.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Homeserver } from "./state.js";

interface StoredMedia {
  data: Buffer;
  contentType: string;
  filename?: string;
  uploadedBy: string;
}

const UPLOAD = /^\/_matrix\/media\/(?:v3|r0)\/upload$/;
const DOWNLOAD = /^\/_matrix\/(?:client\/v1\/media|media\/(?:v3|r0))\/download\/([^/]+)\/([^/]+)(?:\/[^/]*)?$/;

export class MediaRepository {
  readonly files = new Map<string, StoredMedia>();
  private next = 0;

  constructor(private readonly hs: Homeserver) {}

  handles(path: string): boolean {
    return UPLOAD.test(path) || DOWNLOAD.test(path);
  }

  /** Answers a media request; returns the user it was made as (for the call log), or undefined. */
  serve(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): { status: number; userId?: string } {
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "") || url.searchParams.get("access_token") || "";
    const auth = token ? this.hs.byToken(token) : undefined;
    if (!auth) return this.json(res, 401, { errcode: "M_UNKNOWN_TOKEN", error: "Invalid access token passed." });
    if (UPLOAD.test(url.pathname)) {
      const id = `media${++this.next}`;
      this.files.set(id, { data: raw, contentType: String(req.headers["content-type"] ?? "application/octet-stream"), filename: url.searchParams.get("filename") ?? undefined, uploadedBy: auth.account.userId });
      return { ...this.json(res, 200, { content_uri: `mxc://${this.hs.serverName}/${id}` }), userId: auth.account.userId };
    }
    const [, server, id] = DOWNLOAD.exec(url.pathname)!;
    const file = server === this.hs.serverName ? this.files.get(decodeURIComponent(id!)) : undefined;
    if (!file) return this.json(res, 404, { errcode: "M_NOT_FOUND", error: "Not found" });
    res.writeHead(200, { "content-type": file.contentType, "content-length": file.data.length });
    res.end(file.data);
    return { status: 200, userId: auth.account.userId };
  }

  private json(res: ServerResponse, status: number, body: unknown): { status: number } {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
    return { status };
  }
}
