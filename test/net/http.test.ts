/**
 * The guarded fetch against a feed server on 127.0.0.1: conditional GET, gzip, size cap, time-out,
 * errors (with private hosts allowed, as WATCH_ALLOW_PRIVATE_HOSTS=1 does), and the address guard
 * (without): nothing private is ever connected to, directly, by name or through a redirection.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFeed as read } from "../../src/core/watch/read.js";
import { FetchFailure, guardedFetch, type FetchOptions, type Validators } from "../../src/net/http.js";
import { endlessBody, fixture, stalled, startFeedServer, type FeedServer } from "../helpers/feed-server.js";

const fetchUrl = (url: string, validators: Validators = {}, options: FetchOptions = {}) => guardedFetch(url, validators, { allowPrivateHosts: true, ...options });
const readFeed = (url: string, validators: Validators = {}, options: FetchOptions = {}) => read(url, validators, { allowPrivateHosts: true, ...options });

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
    expect((await failure(fetchUrl(server.url("/gone.rss")))).message).toBe("le serveur a répondu 410 (adresse supprimée)");
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

describe("the address guard (WATCH_ALLOW_PRIVATE_HOSTS off)", () => {
  const guarded = (url: string) => guardedFetch(url, {}, { timeoutMs: 3000 });

  it("never connects to a private address given as an IP literal, in any spelling", async () => {
    server.route("/secret", { body: "interne", contentType: "text/plain" });
    const port = new URL(server.url("/")).port;
    for (const host of ["127.0.0.1", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::127.0.0.1]", "0.0.0.0", "169.254.169.254", "[64:ff9b::7f00:1]", "[2002:7f00:1::]"]) {
      const error = await failure(guarded(`http://${host}:${port}/secret`));
      expect(error.kind, host).toBe("refused");
      expect(error.message).toContain("adresse non publique");
    }
    expect(server.hits("/secret")).toBe(0);
  });

  it("checks a name where it is resolved, so the connection goes only to the address checked", async () => {
    server.route("/secret", { body: "interne", contentType: "text/plain" });
    const error = await failure(guarded(`http://localhost:${new URL(server.url("/")).port}/secret`));
    expect(error.kind).toBe("refused");
    expect(server.hits("/secret")).toBe(0);
  });

  it("refuses what is not http(s)", async () => {
    expect((await failure(guarded("file:///etc/passwd"))).kind).toBe("refused");
  });

  it("checks every redirection hop: a page the rule accepts cannot bounce the bot inside", async () => {
    // 127.0.0.1 plays the public Internet, 127.0.0.2 the inside (a second server listens there).
    const inside = http.createServer((_req, res) => res.end("interne"));
    await new Promise<void>((resolve) => inside.listen(0, "127.0.0.2", resolve));
    let insideHits = 0;
    inside.on("request", () => insideHits++);
    const insideUrl = `http://127.0.0.2:${(inside.address() as { port: number }).port}/internal`;
    const onlyFirst = (ip: string) => ip === "127.0.0.1";
    try {
      server.route("/ok", { body: fixture("cnil.rss"), contentType: "application/rss+xml" });
      expect((await guardedFetch(server.url("/ok"), {}, { addressAllowed: onlyFirst })).status).toBe("ok");
      server.route("/bounce", { status: 302, headers: { location: insideUrl } });
      expect((await failure(guardedFetch(server.url("/bounce"), {}, { addressAllowed: onlyFirst }))).kind).toBe("refused");
      server.route("/bounce-mapped", { status: 301, headers: { location: insideUrl.replace("127.0.0.2", "[::ffff:127.0.0.2]") } });
      expect((await failure(guardedFetch(server.url("/bounce-mapped"), {}, { addressAllowed: onlyFirst }))).kind).toBe("refused");
      expect(insideHits).toBe(0);
      // The same hop is followed when the rule accepts it: the refusal above was the check.
      expect((await guardedFetch(server.url("/bounce"), {}, { allowPrivateHosts: true })).status).toBe("ok");
      expect(insideHits).toBe(1);
    } finally {
      await new Promise((resolve) => inside.close(resolve));
    }
  });

  it("gives up after 5 redirections", async () => {
    server.route("/loop", { status: 302, headers: { location: "/loop" } });
    const error = await failure(fetchUrl(server.url("/loop")));
    expect(error.message).toBe("trop de redirections");
    expect(server.hits("/loop")).toBe(6);
  });
});
