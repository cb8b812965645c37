/** A member sharing links without titles makes the bot read pages: a few per member, then a French refusal. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TITLE_FETCHES_PER_WINDOW } from "../../../src/core/watch/title-quota.js";
import { startFeedServer, type FeedServer } from "../../helpers/feed-server.js";
import { minutes, watchOnFreshStore } from "./helpers.js";

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
  server.route("/page", { body: "<title>Une page</title>", contentType: "text/html" });
});
afterAll(() => server.close());

describe("page titles read for a member", () => {
  it("are capped per member over ten minutes; past the cap the share is refused in French and nothing is written", async () => {
    const { watch, db, admin, services, clock } = await watchOnFreshStore({ tuning: { pageTitles: true } });
    const other = await services.members.create({ firstName: "Léa", structure: "MJC Golbey" }, admin.id);
    for (let i = 0; i < TITLE_FETCHES_PER_WINDOW; i++) await watch.shares.share({ url: `${server.url("/page")}?n=${i}` }, admin.id);
    expect(server.hits("/page")).toBe(TITLE_FETCHES_PER_WINDOW);

    const refused = await watch.shares.share({ url: `${server.url("/page")}?n=over` }, admin.id).then(() => null, (e: Error) => e);
    expect(refused?.message).toBe(
      "Vous avez partagé 5 articles sans titre en moins de 10 minutes : le bot ne lit pas d'autre page pour vous pour l'instant. " +
        "Donnez le titre vous-même (`/veille ajouter url:… titre:…`) ou réessayez dans 10 minutes.",
    );
    expect(server.hits("/page")).toBe(TITLE_FETCHES_PER_WINDOW);
    expect(await db.watchItem.count()).toBe(TITLE_FETCHES_PER_WINDOW);

    // The suggested command works at once; another member is not affected.
    await watch.shares.share({ url: `${server.url("/page")}?n=titled`, title: "Titre donné" }, admin.id);
    await watch.shares.share({ url: `${server.url("/page")}?n=lea` }, other.id);
    expect(server.hits("/page")).toBe(TITLE_FETCHES_PER_WINDOW + 1);

    clock.advance(minutes(10));
    await watch.shares.share({ url: `${server.url("/page")}?n=later` }, admin.id);
    expect(await db.watchItem.count()).toBe(TITLE_FETCHES_PER_WINDOW + 3);
  });
});
