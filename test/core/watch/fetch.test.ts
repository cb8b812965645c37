/** HTTP reads against a feed server on 127.0.0.1: conditional GET, gzip, size cap, time-out, errors. */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FetchFailure, fetchUrl } from "../../../src/core/watch/fetch.js";
import { readFeed } from "../../../src/core/watch/read.js";
import { endlessBody, fixture, stalled, startFeedServer, type FeedServer } from "../../helpers/feed-server.js";

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(() => server.close());

async function failure(promise: Promise<unknown>): Promise<FetchFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FetchFailure);
  return error as FetchFailure;
}

describe("reading a feed over HTTP", () => {
  it("sends the validators back and gets 304 Not Modified", async () => {
    server.route("/cond.rss", { body: fixture("cnil.rss"), etag: '"v1"', lastModified: "Fri, 27 Feb 2026 09:30:00 GMT" });
    const first = await readFeed(server.url("/cond.rss"), {});
    expect(first).toMatchObject({ status: "ok", etag: '"v1"', lastModified: "Fri, 27 Feb 2026 09:30:00 GMT" });
    expect(await readFeed(server.url("/cond.rss"), { etag: '"v1"' })).toEqual({ status: "not-modified" });
    expect(await readFeed(server.url("/cond.rss"), { lastModified: "Fri, 27 Feb 2026 09:30:00 GMT" })).toEqual({ status: "not-modified" });
    const last = server.requests.at(-1)!;
    expect(last.headers["if-modified-since"]).toBe("Fri, 27 Feb 2026 09:30:00 GMT");
    expect(last.headers["user-agent"]).toContain("promeneurs-bot");
    expect(last.headers.accept).toContain("application/rss+xml");
  });

  it("decompresses gzip and decodes the charset the header gives", async () => {
    server.route("/gz.rss", { body: fixture("cp1252.xml"), gzip: true, contentType: "application/rss+xml; charset=windows-1252" });
    const result = await readFeed(server.url("/gz.rss"), {});
    expect(result.status === "ok" && result.feed.entries[0]!.title).toBe("L’œil du numérique : « cœur de cible »");
    expect(server.requests.at(-1)!.headers["accept-encoding"]).toContain("gzip");
  });

  it("stops reading a 50 MB answer at the size cap, without holding it", async () => {
    let sent = 0;
    const ended = new Promise<void>((resolve) => server.route("/huge.rss", { handler: endlessBody(50 * 1024 * 1024, { onEnd: (n) => ((sent = n), resolve()) }) }));
    const error = await failure(fetchUrl(server.url("/huge.rss"), {}, { maxBytes: 2 * 1024 * 1024 }));
    expect(error.kind).toBe("too-large");
    expect(error.message).toBe("réponse trop volumineuse (plus de 2 Mo)");
    // The connection was cut: the server got to write a few socket buffers more, not 50 MB.
    await ended;
    expect(sent).toBeLessThan(20 * 1024 * 1024);
  });

  it("refuses at once an answer whose declared length is over the cap", async () => {
    server.route("/declared.rss", { handler: endlessBody(50 * 1024 * 1024, { declareLength: true }) });
    expect((await failure(fetchUrl(server.url("/declared.rss"), {}, { maxBytes: 1024 * 1024 }))).kind).toBe("too-large");
  });

  it("counts the cap on decompressed bytes (a gzip bomb)", async () => {
    server.route("/bomb.rss", { body: Buffer.alloc(20 * 1024 * 1024, " "), gzip: true });
    expect((await failure(fetchUrl(server.url("/bomb.rss"), {}, { maxBytes: 1024 * 1024 }))).kind).toBe("too-large");
  });

  it("gives up on a server that stops answering", async () => {
    server.route("/stalled.rss", { handler: stalled() });
    const error = await failure(fetchUrl(server.url("/stalled.rss"), {}, { timeoutMs: 300 }));
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe("pas de réponse complète en 0,3 s (délai dépassé)");
  });

  it("describes HTTP errors and unreachable servers in French", async () => {
    server.route("/gone.rss", { status: 410, body: "parti" });
    expect((await failure(fetchUrl(server.url("/gone.rss")))).message).toBe("le serveur a répondu 410 (Gone)");
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect((await failure(fetchUrl(`http://127.0.0.1:${port}/feed`))).message).toBe("connexion refusée par le serveur");
  });

  it("reports an HTML page as not a feed, with the feed it announces", async () => {
    server.route("/site", { body: fixture("page.html"), contentType: "text/html; charset=utf-8" });
    const error = await failure(readFeed(server.url("/site"), {}));
    expect(error.kind).toBe("not-feed");
    expect(error.message).toBe(`la page reçue est une page web (HTML), pas un flux RSS ou Atom ; la page annonce un flux : ${server.url("/actualites/flux.rss")}`);
  });

  it("follows redirects and reads where they lead", async () => {
    server.route("/old", { status: 301, headers: { location: "/new.atom" } });
    server.route("/new.atom", { body: fixture("blog.atom"), contentType: "application/atom+xml" });
    const result = await readFeed(server.url("/old"), {});
    expect(result).toMatchObject({ status: "ok", url: server.url("/new.atom") });
  });
});
