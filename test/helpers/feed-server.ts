// A feed server on 127.0.0.1 for the watch tests and benchmark: fixtures by path, with ETag /
// Last-Modified handling, gzip, slow and endless answers. Never reaches outside the machine.
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "core", "watch", "fixtures");

export function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

interface Route {
  status?: number;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** Answers 304 to a request carrying this ETag in If-None-Match. */
  etag?: string;
  lastModified?: string;
  gzip?: boolean;
  /** Full control (slow, endless, broken answers). */
  handler?: (req: http.IncomingMessage, res: http.ServerResponse) => void;
}

export interface FeedServer {
  origin: string;
  url(pathname: string): string;
  /** Sets (or replaces) what a path answers. */
  route(pathname: string, route: Route): void;
  /** Requests received, oldest first. */
  requests: { path: string; headers: http.IncomingHttpHeaders }[];
  hits(pathname: string): number;
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Route>();
  const requests: FeedServer["requests"] = [];
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    requests.push({ path: pathname, headers: req.headers });
    const route = routes.get(pathname);
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" }).end("introuvable");
      return;
    }
    if (route.handler) return route.handler(req, res);
    if (route.etag && req.headers["if-none-match"] === route.etag) {
      res.writeHead(304, { etag: route.etag }).end();
      return;
    }
    if (route.lastModified && req.headers["if-modified-since"] === route.lastModified) {
      res.writeHead(304, { "last-modified": route.lastModified }).end();
      return;
    }
    let body = typeof route.body === "string" ? Buffer.from(route.body) : (route.body ?? Buffer.alloc(0));
    const headers: Record<string, string> = { "content-type": route.contentType ?? "application/rss+xml", ...route.headers };
    if (route.etag) headers.etag = route.etag;
    if (route.lastModified) headers["last-modified"] = route.lastModified;
    if (route.gzip) {
      body = zlib.gzipSync(body);
      headers["content-encoding"] = "gzip";
    }
    headers["content-length"] = String(body.length);
    res.writeHead(route.status ?? 200, headers).end(body);
  });
  // Keep-alive sockets would hold close() until they time out.
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (pathname) => `${origin}${pathname}`,
    route: (pathname, route) => void routes.set(pathname, route),
    requests,
    hits: (pathname) => requests.filter((r) => r.path === pathname).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An answer that streams `bytes` bytes of filler, generated on the fly (nothing held in memory). */
export function endlessBody(bytes: number, options: { declareLength?: boolean; onEnd?: (sent: number) => void } = {}): Route["handler"] {
  return (_req, res) => {
    const chunk = Buffer.alloc(64 * 1024, "x");
    res.writeHead(200, { "content-type": "application/rss+xml", ...(options.declareLength ? { "content-length": String(bytes) } : {}) });
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        const n = Math.min(chunk.length, bytes - sent);
        sent += n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once("drain", pump);
      }
      res.end();
    };
    res.on("close", () => {
      options.onEnd?.(sent);
      sent = bytes;
    });
    pump();
  };
}

/** Sends the headers, then nothing: only a timeout ends it. */
export function stalled(): Route["handler"] {
  return (_req, res) => {
    res.writeHead(200, { "content-type": "application/rss+xml" });
    res.write("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>");
  };
}
