/**
 * The network's public site, served from the bot's own process so the directory is always the
 * bot's current data. Fastify with helmet (CSP without any script, no referrer) and a rate limit
 * per address; behind a reverse proxy on the same host (X-Forwarded-For trusted from loopback only).
 */
import { privacyPage } from "./pages/privacy.js";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import { CachedMap } from "../core/cache.js";
import { directorySlug } from "../core/directory.js";
import type { WebContext } from "./context.js";
import { errorPage } from "./layout.js";
import { agendaCalendar, agendaPage } from "./pages/agenda.js";
import { directoryPage, memberPage, readParams } from "./pages/annuaire.js";
import { directoryCsv, tokenMatches } from "./pages/csv.js";
import { homePage } from "./pages/home.js";
import { STYLE_CSS } from "./style.js";

const HTML = "text/html; charset=utf-8";

function sendPage(reply: FastifyReply, page: string, status = 200): FastifyReply {
  return reply.code(status).type(HTML).header("cache-control", "no-cache").send(page);
}

async function buildWebApp(ctx: WebContext): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, trustProxy: ["127.0.0.1", "::1"], routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 } });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: "no-referrer" },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, {
    max: ctx.config.WEB_RATE_LIMIT,
    timeWindow: "1 minute",
    errorResponseBuilder: (_req, context) => ({ statusCode: 429, retryAfter: context.after, message: "rate limit" }),
  });

  app.setNotFoundHandler((req, reply) => sendPage(reply, errorPage(404, "Cette page n'existe pas (ou plus).", req.url), 404));
  app.setErrorHandler((err: { statusCode?: number }, req, reply) => {
    if (err.statusCode === 429) {
      return sendPage(reply, errorPage(429, "Vous avez chargé trop de pages en peu de temps. Réessayez dans une minute.", req.url), 429);
    }
    ctx.log.error({ err, url: req.url }, "page du site en échec");
    return sendPage(reply, errorPage(500, "Le site a rencontré un problème. Réessayez dans un instant.", req.url), 500);
  });

  app.get("/style.css", (_req, reply) => reply.type("text/css; charset=utf-8").header("cache-control", "public, max-age=3600").send(STYLE_CSS));
  app.get("/", async (_req, reply) => sendPage(reply, await homePage(ctx)));
  directoryRoutes(app, ctx);
  app.get("/agenda", async (_req, reply) => sendPage(reply, await agendaPage(ctx)));
  app.get("/confidentialite", async (_req, reply) => sendPage(reply, await privacyPage(ctx)));
  // For a monitoring probe: 503 when something is wrong, so an uptime check needs no JSON parsing.
  app.get("/sante", async (_req, reply) => {
    if (!ctx.health) return sendPage(reply, errorPage(404, "Aucun état de santé n'est publié par ce site.", "/sante"), 404);
    const snapshot = await ctx.health();
    return reply.code(snapshot.ok ? 200 : 503).header("cache-control", "no-store").send(snapshot);
  });
  app.get("/agenda.ics", async (_req, reply) =>
    reply.type("text/calendar; charset=utf-8").header("cache-control", "no-cache").header("content-disposition", 'inline; filename="agenda-promeneurs-du-net-vosges.ics"').send(await agendaCalendar(ctx)),
  );
  return app;
}

function directoryRoutes(app: FastifyInstance, ctx: WebContext): void {
  // Rendered pages, per search: dropped at the next member write made by the bot (a withdrawn
  // consent disappears at once) and after 5 s anyway (writes by another process).
  const pages = new CachedMap<string, string>(ctx.changes, ["Member"], 5000, 2000);
  app.get("/annuaire", async (req, reply) => {
    const params = readParams(req.query as Record<string, unknown>);
    const key = JSON.stringify([params.q, params.commune, params.type, params.page]);
    return sendPage(reply, (await pages.get(key, () => directoryPage(ctx, params)))!);
  });
  app.get("/annuaire.csv", async (req, reply) => {
    const expected = ctx.config.WEB_CSV_TOKEN;
    if (!expected) return sendPage(reply, errorPage(404, "L'export de l'annuaire n'est pas ouvert sur ce site.", req.url), 404);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const given = bearer ?? (req.query as { jeton?: string }).jeton;
    if (!tokenMatches(given, expected)) {
      return sendPage(reply, errorPage(403, "L'export de l'annuaire est réservé à l'équipe d'animation (jeton manquant ou incorrect).", req.url), 403);
    }
    const csv = directoryCsv(await ctx.services.directory.everyone(), ctx.services.siteUrl ?? "");
    return reply
      .type("text/csv; charset=utf-8")
      .header("cache-control", "no-store")
      .header("content-disposition", 'attachment; filename="annuaire-promeneurs-du-net-vosges.csv"')
      .send(csv);
  });
  app.get("/annuaire/:slug", async (req, reply) => {
    const { slug } = req.params as { slug: string };
    const member = await ctx.services.directory.bySlug(slug);
    if (!member) return sendPage(reply, errorPage(404, "Ce Promeneur du Net n'est pas (ou plus) dans l'annuaire.", req.url), 404);
    const canonical = directorySlug(member);
    // An older address (the name changed since) still leads to the page, under its current address.
    if (slug !== canonical) return reply.redirect(`/annuaire/${canonical}`, 301);
    return sendPage(reply, memberPage(member));
  });
}

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the site unless WEB_PORT is « off ». A port already taken (or any listen failure) is a
 * French log line and the bot goes on without its site: the chat matters more.
 */
export async function startWebServer(ctx: WebContext): Promise<WebServer | undefined> {
  const { WEB_HOST: host, WEB_PORT: port } = ctx.config;
  if (port === "off") {
    ctx.log.info("site web désactivé (WEB_PORT=off)");
    return undefined;
  }
  const app = await buildWebApp(ctx);
  try {
    await app.listen({ host, port });
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === "EADDRINUSE" ? `le port ${port} est déjà utilisé` : code === "EACCES" ? `le port ${port} est réservé` : `${(err as Error).message}`;
    ctx.log.error({ code, host, port }, `site web non démarré : ${why} (changez WEB_PORT ou mettez WEB_PORT=off) ; le bot continue sans le site`);
    await app.close().catch(() => undefined);
    return undefined;
  }
  const address = app.server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${bound}`;
  ctx.log.info({ url }, "site web démarré");
  return { url, close: () => app.close() };
}
