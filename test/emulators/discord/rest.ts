/**
 * REST API v10 as discord.js/@discordjs/rest calls it: `${api}/v10${route}` with
 * `Authorization: Bot <token>` except on interaction/webhook-token routes (auth: false).
 * The routes live by resource under rest/; this file parses, authenticates, injects failures and answers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, errors, parseBody, readRawBody } from "./http-util.js";
import type { InjectedFailure, RequestLogEntry, RouteMatcher } from "./types.js";
import { registerApplicationRoutes } from "./rest/application.js";
import { registerCommandRoutes } from "./rest/commands.js";
import { RestContext, type RestDeps, type Result } from "./rest/context.js";
import { failureResponse, FailureInjector } from "./rest/failures.js";
import { registerGuildRoutes } from "./rest/guild.js";
import { registerInteractionRoutes } from "./rest/interactions.js";
import { registerMessageRoutes } from "./rest/messages.js";
import { registerScheduledEventRoutes } from "./rest/scheduled-events.js";


interface Answer {
  result: Result;
  headers: Record<string, string>;
}

export class RestApi {
  readonly requests: RequestLogEntry[] = [];
  private readonly failures = new FailureInjector();
  private readonly context: RestContext;

  constructor(private readonly deps: RestDeps) {
    this.context = new RestContext(deps);
    // Registration order is matching order: the first route whose path matches wins.
    registerApplicationRoutes(this.context);
    registerCommandRoutes(this.context);
    registerInteractionRoutes(this.context);
    registerMessageRoutes(this.context);
    registerGuildRoutes(this.context);
    registerScheduledEventRoutes(this.context);
  }

  get pendingFailures(): number {
    return this.failures.pending;
  }

  failNext(matcher: RouteMatcher, failure: InjectedFailure): void {
    this.failures.add(matcher, failure);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = performance.now();
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = (req.method ?? "GET").toUpperCase();

    if (method === "GET" && url.pathname.startsWith("/attachments/")) return this.serveAttachment(url.pathname, res);

    const versioned = /^\/api(?:\/v(\d+))?(\/.*)$/.exec(url.pathname);
    const path = versioned?.[2] ?? url.pathname;
    const entry: RequestLogEntry = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      status: 0,
      injected: false,
      unknownRoute: false,
      at: Date.now(),
    };
    this.requests.push(entry);

    const { result, headers } = await this.answer(req, url, versioned, entry, arrivedAt);
    entry.status = result.status;
    this.deps.log(`[rest] ${method} ${path} -> ${result.status}`);
    if (result.status === 204 || result.body === undefined) {
      res.writeHead(result.status, headers);
      res.end();
    } else {
      res.writeHead(result.status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(result.body));
    }
  }

  /** Reads the body, then answers an injected failure, Discord's error, or the route's result. */
  private async answer(req: IncomingMessage, url: URL, versioned: RegExpExecArray | null, entry: RequestLogEntry, arrivedAt: number): Promise<Answer> {
    const { method, path } = entry;
    try {
      const raw = await readRawBody(req);
      const parsed = await parseBody(req.headers["content-type"], raw);
      entry.body = parsed.json;
      entry.files = parsed.files;
      if (!versioned) throw errors.notFound();
      if (versioned[1] !== "10") this.deps.log(`[rest] warning: API version v${versioned[1] ?? "none"} used for ${path}`);

      const failure = this.failures.take(method, path);
      if (failure) {
        entry.injected = true;
        return failureResponse(failure, method, path);
      }
      const match = this.context.match(method, path);
      if (match === undefined || match === "method") {
        entry.unknownRoute = true;
        throw match === "method" ? errors.methodNotAllowed() : errors.notFound();
      }
      const { route, params } = match;
      if (route.auth === "bot" && req.headers.authorization !== `Bot ${this.deps.token}`) throw errors.unauthorized();
      const result = await route.handler({ method, path, params, query: url.searchParams, body: parsed.json, files: parsed.files, arrivedAt });
      return { result, headers: {} };
    } catch (err) {
      if (err instanceof ApiError) return { result: { status: err.status, body: err.toBody() }, headers: {} };
      this.deps.log(`[rest] internal error on ${method} ${path}: ${String(err)}`);
      return { result: { status: 500, body: { message: "500: Internal Server Error", code: 0 } }, headers: {} };
    }
  }

  private serveAttachment(pathname: string, res: ServerResponse): void {
    const id = pathname.split("/")[3] ?? "";
    const file = this.deps.store.attachmentFiles.get(id);
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not found");
      return;
    }
    res.writeHead(200, { "content-type": file.contentType, "content-length": String(file.data.length) });
    res.end(file.data);
  }
}
