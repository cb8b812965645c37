/** The emulator's HTTP side: the Web API (/api/<method>), response_url posts and file uploads. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { applyResponseUrlPost } from "./effects.js";
import { parseBody, readBody } from "./http.js";
import type { Workspace } from "./state.js";
import type { ApiCall, JsonObject } from "./types.js";
import { runApiMethod } from "./web-api.js";
import type { ApiContext } from "./web-api/args.js";

export class HttpRoutes {
  constructor(
    private readonly ws: Workspace,
    private readonly apiCtx: ApiContext,
    private readonly baseUrl: string,
  ) {}

  async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.ws.inFlight += 1;
    try {
      const url = new URL(req.url ?? "/", this.baseUrl);
      const raw = await readBody(req);
      const [, root, rest = ""] = url.pathname.match(/^\/([^/]+)\/?(.*)$/) ?? [];
      if (root === "api") await this.onApi(rest, req, raw, url, res);
      else if (root === "response") await this.onResponseUrl(rest, req, raw, url, res);
      else if (root === "upload") await this.onUpload(rest, req, raw, url, res);
      else sendJson(res, 404, { ok: false, error: "not_found" });
    } catch (e) {
      this.ws.problem(`emulator error on ${req.method} ${req.url}: ${(e as Error).stack ?? String(e)}`);
      sendJson(res, 500, { ok: false, error: "emulator_error" });
    } finally {
      this.ws.inFlight -= 1;
      this.ws.touch();
    }
  }

  private async onApi(method: string, req: IncomingMessage, raw: Buffer, url: URL, res: ServerResponse): Promise<void> {
    const { fields } = await parseBody(raw, req.headers["content-type"], url.searchParams);
    const auth = req.headers.authorization;
    const headerToken = auth?.match(/^Bearer\s+(.+)$/i)?.[1];
    const token = headerToken ?? (typeof fields.token === "string" ? fields.token : undefined);
    const args = { ...fields };
    delete args.token;
    const answer = runApiMethod(this.apiCtx, method, args, token);
    const body = answer.body;
    const call: ApiCall = {
      seq: this.ws.touch(),
      method,
      args,
      token,
      at: Date.now(),
      status: answer.status,
      ok: typeof body === "object" && body.ok === true,
      error: typeof body === "object" && typeof body.error === "string" ? body.error : answer.status !== 200 ? `http_${answer.status}` : undefined,
      response: body,
      ...(answer.injected ? { injected: true } : {}),
      ...(answer.unknown ? { unknown: true } : {}),
    };
    this.ws.calls.push(call);
    this.ws.emit("call", call);
    res.writeHead(answer.status, answer.headers);
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  }

  private async onResponseUrl(id: string, req: IncomingMessage, raw: Buffer, url: URL, res: ServerResponse): Promise<void> {
    const it = this.ws.interactions.get(id);
    if (!it || req.method !== "POST") return sendJson(res, 404, { ok: false, error: "expired_url" });
    const { fields } = await parseBody(raw, req.headers["content-type"], url.searchParams);
    // Some clients post `payload=<json>` form bodies to response_url.
    const body = typeof fields.payload === "string" ? (JSON.parse(fields.payload) as JsonObject) : fields;
    const out = applyResponseUrlPost(this.ws, it, body);
    sendJson(res, out.status, out.body);
  }

  private async onUpload(fileId: string, req: IncomingMessage, raw: Buffer, url: URL, res: ServerResponse): Promise<void> {
    const file = this.ws.files.get(fileId);
    if (!file || req.method !== "POST") return sendJson(res, 404, { ok: false, error: "file_not_found" });
    const ct = req.headers["content-type"] ?? "";
    if (ct.toLowerCase().startsWith("multipart/form-data")) {
      const { fileParts, fields } = await parseBody(raw, ct, url.searchParams);
      const part = fileParts.values().next().value;
      file.bytes = part ? part.bytes : Buffer.from(String(fields.file ?? fields.body ?? ""));
    } else {
      file.bytes = raw;
    }
    file.uploaded = true;
    if (file.bytes.length !== file.declaredLength)
      this.ws.problem(`upload of ${file.id}: ${file.bytes.length} bytes received, files.getUploadURLExternal declared ${file.declaredLength}`);
    this.ws.touch();
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`OK - ${file.bytes.length}`);
  }
}

function sendJson(res: ServerResponse, status: number, body: JsonObject): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
