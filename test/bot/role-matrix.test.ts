/**
 * The role matrix: every command, sub-command, button, select and form of the registry × every
 * role and status. Each route is either served or refused with a French message, and a refused
 * action writes nothing (the whole database is compared before and after). Generated from
 * commands/index.ts: a new command, button or form is covered without touching this file.
 */
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { startBot, type Bot } from "../../src/app.js";
import { rolesOf, type CommandDef } from "../../src/bot/command.js";
import { Router } from "../../src/bot/router.js";
import { ManualClock } from "../helpers/clock.js";
import type { Interaction, Membership, PlatformUser } from "../../src/core/interaction.js";
import type { Reply } from "../../src/core/reply.js";
import { roleAllows } from "../../src/core/roles.js";
import type { Role } from "../../src/store/index.js";
import { memoryLogger, testConfig } from "../helpers/bot.js";

interface Persona {
  name: string;
  role: Role;
  status: "ACTIVE" | "ONBOARDING" | "INACTIVE" | "EXCLUDED";
  membership: Membership;
}

const PERSONAS: Persona[] = [
  { name: "admin", role: "ADMIN", status: "ACTIVE", membership: "member" },
  { name: "animateur", role: "ANIMATEUR", status: "ACTIVE", membership: "member" },
  { name: "referent", role: "REFERENT_CAF", status: "ACTIVE", membership: "member" },
  { name: "promeneur-actif", role: "PROMENEUR", status: "ACTIVE", membership: "member" },
  { name: "promeneur-accueil", role: "PROMENEUR", status: "ONBOARDING", membership: "member" },
  { name: "promeneur-retire", role: "PROMENEUR", status: "INACTIVE", membership: "member" },
  { name: "promeneur-exclu", role: "PROMENEUR", status: "EXCLUDED", membership: "member" },
  { name: "animateur-retire", role: "ANIMATEUR", status: "INACTIVE", membership: "member" },
  { name: "invite-slack", role: "PROMENEUR", status: "ACTIVE", membership: "guest" },
  { name: "autre-serveur", role: "PROMENEUR", status: "ACTIVE", membership: "outsider" },
];

interface Route {
  label: string;
  command: CommandDef;
  roles: readonly Role[] | undefined;
  servedToFormer: boolean;
  interaction(user: PlatformUser): Interaction;
}

/** Every route of the registry, with the access its declaration gives. */
function routesOf(registry: readonly CommandDef[]): Route[] {
  const routes: Route[] = [];
  for (const command of registry) {
    for (const s of command.subcommands) {
      routes.push({
        label: `/${command.name}${s.name ? ` ${s.name}` : ""}`,
        command,
        roles: rolesOf(command, s),
        servedToFormer: (s.formerMembers ?? command.formerMembers) === "served",
        interaction: (user) => ({ type: "command", user, channelId: "", canOpenModal: false, command: command.name, subcommand: s.name || undefined, options: {} }),
      });
      // The form the router opens for missing options comes back as a submission of its own.
      routes.push({
        label: `formulaire d'options /${command.name}${s.name ? ` ${s.name}` : ""}`,
        command,
        roles: rolesOf(command, s),
        servedToFormer: (s.formerMembers ?? command.formerMembers) === "served",
        interaction: (user) => ({ type: "modal", user, channelId: "", canOpenModal: false, customId: `opts:${command.name}:${s.name || "_"}`, fields: {} }),
      });
    }
    for (const [table, type] of [["components", "component"], ["modals", "modal"]] as const) {
      for (const [action, handler] of Object.entries(command[table] ?? {})) {
        const customId = `${command.name}:${action}:1`;
        routes.push({
          label: `${type === "component" ? "bouton/liste" : "formulaire"} ${command.name}:${action}`,
          command,
          roles: handler.roles ?? command.roles,
          servedToFormer: (handler.formerMembers ?? command.formerMembers) === "served",
          interaction: (user) =>
            type === "component"
              ? { type, user, channelId: "", canOpenModal: false, customId, values: ["1"] }
              : { type, user, channelId: "", canOpenModal: false, customId, fields: {} },
        });
      }
    }
  }
  return routes;
}

const REFUSALS = [
  /^Cette action est réservée aux rôles suivants : .+\. Si vous pensez que c'est une erreur, contactez l'animateur du réseau\.$/,
  /^Votre accès au réseau a pris fin ; contactez l'animateur\.$/,
  /^Votre compte a été exclu du réseau des Promeneurs du Net/,
  /^Ce bot est réservé aux membres du réseau des Promeneurs du Net des Vosges : les comptes invités n'y ont pas accès\./,
  /^Ce bot ne sert que l'espace du réseau des Promeneurs du Net des Vosges/,
];
const isRefusal = (reply: Reply) => REFUSALS.some((r) => r.test(reply.text ?? ""));

function expectedServed(p: Persona, route: Route): boolean {
  if (p.membership !== "member" || p.status === "EXCLUDED") return false;
  if (p.status === "INACTIVE" && !route.servedToFormer) return false;
  return roleAllows(p.role, route.roles);
}

let bot: Bot;
let gateOnly: Router;
const users = new Map<string, PlatformUser>();

/** Every row of every table, so a refused action provably wrote nothing. */
async function snapshot(): Promise<string> {
  const db = bot.store.prisma;
  const tables = await db.$queryRawUnsafe<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' ORDER BY name");
  const rows = [];
  for (const { name } of tables) rows.push(name, await db.$queryRawUnsafe(`SELECT * FROM "${name}" ORDER BY rowid`));
  return JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? String(v) : v));
}

beforeAll(async () => {
  const clock = new ManualClock("2026-03-02T08:00:00Z");
  const { log } = memoryLogger();
  bot = await startBot({ config: await testConfig({ BOT_ADMINS: "console:root" }), log, clock, input: new PassThrough(), output: new PassThrough(), scheduler: { timer: false } });
  const { members } = bot.services;
  it("keeps a member who left their help, their profile and their data rights", () => {
    const rights = routes.filter((r) => /^\/(aide|profil voir|mes-donnees|confidentialite)\b/.test(r.label));
    expect(rights.map((r) => r.label)).toContain("/profil voir");
    expect(rights.filter((r) => !r.servedToFormer).map((r) => r.label)).toEqual([]);
  });

  for (const p of PERSONAS) {
    const user: PlatformUser = { platform: "console", id: p.name, workspaceId: "", displayName: p.name, membership: async () => p.membership };
    users.set(p.name, user);
    if (p.membership !== "member") continue;
    const m = await members.create({ firstName: p.name, role: p.role }, null);
    await members.link(m.id, { platform: "console", externalId: p.name }, null);
    if (p.status !== "ACTIVE") await members.setStatus(m.id, p.status, null);
  }
  // The same registry with handlers that only say they ran: what the gate lets through.
  const served = (): Reply => ({ text: "SERVI" });
  const stubbed = commands.map((c) => ({
    ...c,
    subcommands: c.subcommands.map((s) => ({ ...s, run: served })),
    components: Object.fromEntries(Object.entries(c.components ?? {}).map(([k, h]) => [k, { ...h, run: served }])),
    modals: Object.fromEntries(Object.entries(c.modals ?? {}).map(([k, h]) => [k, { ...h, run: served }])),
  }));
  gateOnly = new Router({ commands: stubbed, services: bot.services, features: bot.features, clock, timeZone: "Europe/Paris", log });
}, 60_000);

afterAll(async () => {
  await bot?.stop();
});

const routes = routesOf(commands);

describe("the role matrix", () => {
  it("covers every sub-command, button, select and form of the registry", () => {
    expect(routes.length).toBeGreaterThan(60);
    expect(routes.filter((r) => r.label.startsWith("bouton")).length).toBeGreaterThan(10);
    expect(routes.filter((r) => r.label.startsWith("formulaire")).length).toBeGreaterThan(3);
  });

  it("keeps the management of members and settings to the staff", () => {
    const open = routes.filter((r) => /^\/(membre|config|annonce)\b/.test(r.label) && roleAllows("PROMENEUR", r.roles)).map((r) => r.label);
    expect(open).toEqual([]);
  });

  it("keeps a member who left their help, their profile and their data rights", () => {
    const rights = routes.filter((r) => /^\/(aide|profil voir|mes-donnees|confidentialite)\b/.test(r.label));
    expect(rights.map((r) => r.label)).toContain("/profil voir");
    expect(rights.filter((r) => !r.servedToFormer).map((r) => r.label)).toEqual([]);
  });

  for (const p of PERSONAS) {
    it(`${p.name}: served where declared, refused in French elsewhere, and a refusal writes nothing`, async () => {
      const wrong: string[] = [];
      for (const route of routes) {
        const user = users.get(p.name)!;
        if (expectedServed(p, route)) {
          const reply = await gateOnly.handle(route.interaction(user));
          // Past the gate, the options are checked (none given here): any answer but a refusal is service.
          if (isRefusal(reply)) wrong.push(`${route.label}: refusé à tort (« ${reply.text} »)`);
          continue;
        }
        const before = await snapshot();
        const reply = await bot.router.handle(route.interaction(user));
        if (!isRefusal(reply)) wrong.push(`${route.label}: servi à tort (« ${reply.text?.slice(0, 80)} »)`);
        if ((await snapshot()) !== before) wrong.push(`${route.label}: un refus a écrit dans la base`);
      }
      expect(wrong).toEqual([]);
    }, 120_000);
  }
});
