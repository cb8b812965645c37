/**
 * Several instances on one PostgreSQL database with Slack in HTTP mode (the bot's own receiver:
 * Bolt's HTTPReceiver, signed requests): behind a load balancer, here a small round-robin proxy,
 * each command reaches one instance and is answered once, and the reminders both instances'
 * schedulers run reach each member once. Run by the "postgresql" vitest project only.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";

import { afterEach, describe, expect, it } from "vitest";

import { startBot, type Bot } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { parseOffsets } from "../../src/core/meetings/index.js";
import { createLogger } from "../../src/logger.js";
import type { SlackAdapter } from "../../src/platforms/slack/adapter.js";
import { startSlackEmulator, type SlackEmulator } from "../emulators/slack/index.js";
import { ManualClock } from "../helpers/clock.js";

const onPostgres = process.env["PROMENEURS_TEST_STORE"] === "postgresql";
const log = createLogger({ level: "silent", pretty: false });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A load balancer: each request to the next instance in turn, forwarded byte for byte (the signature covers the body). */
async function roundRobin(ports: number[]): Promise<{ url: string; served: number[] }> {
  const served = ports.map(() => 0);
  let next = 0;
  const server = http.createServer((req, res) => {
    const index = next++ % ports.length;
    served[index]!++;
    const upstream = http.request({ host: "127.0.0.1", port: ports[index], path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, served };
}

async function instance(url: string, slack: SlackEmulator, clock: ManualClock): Promise<Bot> {
  const env = { DATABASE_URL: url, SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: slack.signingSecret, SLACK_PORT: "0", SLACK_API_URL: slack.apiUrl, WEB_PORT: "off", LOG_LEVEL: "silent" };
  const bot = await startBot({ config: loadConfig(env, ""), log, clock, exclusive: false, scheduler: { timer: false }, input: new PassThrough(), output: new PassThrough() });
  cleanups.unshift(() => bot.stop());
  return bot;
}

const httpPort = (bot: Bot) => (bot.adapters.find((a) => a.name === "slack") as SlackAdapter).httpPort!;

describe.skipIf(!onPostgres)("instances on PostgreSQL with Slack in HTTP mode behind a load balancer", () => {
  it("answer each command once through the balancer and send each reminder once", async () => {
    const { freshPostgresUrl } = await import("../store/postgres-fixture.js");
    const url = await freshPostgresUrl();
    const slack = await startSlackEmulator();
    cleanups.push(() => slack.close());
    const clocks = [new ManualClock("2026-03-02T08:00:00Z"), new ManualClock("2026-03-02T08:00:00Z")];
    const bots = [await instance(url, slack, clocks[0]!), await instance(url, slack, clocks[1]!)];
    const balancer = await roundRobin(bots.map(httpPort));

    // Six commands from six people: three reach each instance, each answered once.
    const people = Array.from({ length: 6 }, (_, i) => slack.addUser({ name: `promeneuse${i}` }).id);
    for (const userId of people) {
      const h = slack.slashCommand({ userId, command: "/aide", text: "", httpUrl: balancer.url });
      expect((await h.final({ timeoutMs: 10_000 })).fullText).toContain("/annuaire");
      expect(h.responses.length, "no second answer by response_url").toBe(0);
    }
    expect(balancer.served).toEqual([3, 3]);

    // A meeting they all said yes to: its « 2h » reminder, due at 12:00Z, claimed by both schedulers at once.
    const members = bots[0]!.services.members;
    const meetings = bots[0]!.features.meetings;
    const animator = await members.create({ firstName: "Sophie", role: "ANIMATEUR" }, null);
    const offsets = (parseOffsets("2h") as { ok: true; value: never }).value;
    const { meeting } = await meetings.create({ type: "departementale", title: "Rencontre de mars", start: new Date("2026-03-02T14:00:00Z"), minutes: 120, place: "Épinal", audience: "tous", capacity: null, offsets }, animator);
    const registered = await bots[0]!.store.prisma.member.findMany({ where: { accounts: { some: { platform: "SLACK" } } } });
    expect(registered).toHaveLength(6);
    for (const member of registered) await meetings.answer(meeting.id, member, "oui");
    for (const clock of clocks) clock.set("2026-03-02T12:01:00Z");
    await Promise.all(bots.map((bot) => bot.scheduler.tick()));
    await Promise.all(bots.map((bot) => bot.scheduler.tick()));
    const reminders = people.map((userId) => slack.dmsTo(userId).filter((m) => m.fullText.includes("Rappel : la rencontre a lieu")).length);
    expect(reminders).toEqual([1, 1, 1, 1, 1, 1]);
  }, 90_000);
});

if (!onPostgres) it.skip("Slack en mode HTTP derrière un répartiteur : tourne dans le projet « postgresql » (il faut PostgreSQL)", () => {});
