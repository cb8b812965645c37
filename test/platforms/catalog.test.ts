import { describe, expect, expectTypeOf, it } from "vitest";
import { memberFields } from "../../src/bot/views/member.js";
import { configSchema, loadConfig, platformsOf, secretsOf } from "../../src/config.js";
import { ACCOUNT_ID_EXPECTED, ADMIN_LIST_EXPECTED, isAccountId, parseAccountRef } from "../../src/core/account-ids.js";
import { NothingPublished, platformsLabel, postingReport } from "../../src/core/publication.js";
import { startupSummary } from "../../src/ops/startup-summary.js";
import { isPlatformName, PLATFORM_CATALOG, PLATFORM_NAMES, platformDescriptor, platformLabel, platformLabelAfterOn, platformPlace, type PlatformName } from "../../src/platforms/catalog.js";
import { Platform, type Member, type PlatformAccount } from "../../src/store/index.js";
import { catalogViolations, PLATFORM_CATALOG as CATALOG_PATH } from "../architecture/rules.js";
import { readSources, sourceFacts, type SourceFacts } from "../architecture/source-map.js";

/**
 * The platform catalog (src/platforms/catalog.ts): one descriptor per platform, read by the
 * features, the router, the commands, the configuration and the start-up. Adding a platform is
 * its folder and one line there: these checks say what a descriptor must hold.
 */
describe("the platform catalog", () => {
  it("derives PlatformName from the descriptors, matching the Prisma Platform enum one to one", () => {
    expectTypeOf<Uppercase<PlatformName>>().toEqualTypeOf<Platform>();
    expect(PLATFORM_NAMES.map((name) => name.toUpperCase()).sort()).toEqual(Object.values(Platform).sort());
    expect(PLATFORM_NAMES).toEqual(["discord", "slack", "matrix", "console"]);
    expect(isPlatformName("slack")).toBe(true);
    expect(isPlatformName("facebook")).toBe(false);
  });

  it.each(PLATFORM_CATALOG.map((platform) => [platform.name, platform] as const))("has a complete descriptor for %s", (name, platform) => {
    expect(name).toMatch(/^[a-z]+$/);
    for (const text of [platform.label, platform.labelAfterOn, platform.place]) expect(text.trim()).not.toBe("");
    expect(platform.mentionUser("U12345678")).toContain("U12345678");
    expect(platform.mentionChannel("C12345678")).toContain("C12345678");
    const pattern = platform.accountId.pattern.source;
    expect(pattern.startsWith("^") && pattern.endsWith("$")).toBe(true);
    const variables = Object.keys(platform.env);
    for (const variable of variables) expect(variable).toMatch(/^[A-Z][A-Z0-9_]*$/);
    for (const secret of platform.secrets) expect(variables).toContain(secret);
    // Nothing set: nothing to cross-check, and not asked for (the console comes when alone).
    expect(platform.crossChecks(() => false)).toEqual([]);
    expect(platform.configured(configSchema.parse({}) as never)).toBe(false);
    // Every platform but the local console is offered to people in the account forms.
    expect(Boolean(platform.accountId.shown)).toBe(!platform.local);
  });

  it("keeps the French labels and places the views have always shown", () => {
    const said = Object.fromEntries(PLATFORM_NAMES.map((name) => [name, [platformLabel(name), platformLabelAfterOn(name), platformPlace(name)]]));
    expect(said).toEqual({
      discord: ["Discord", "Discord", "le serveur Discord du réseau"],
      slack: ["Slack", "Slack", "l'espace Slack du réseau"],
      matrix: ["Matrix", "Matrix", "les salons Matrix du réseau"],
      console: ["console", "la console", "la console"],
    });
  });

  it("gives the views their labels: start-up summary, posting reports, member card", () => {
    const summary = startupSummary({ platforms: PLATFORM_NAMES, databaseUrl: "file:./data/promeneurs.db", missingChannels: { matrix: ["annonces"] }, runsScheduler: true, backupDir: "sauvegardes", web: "off" });
    expect(summary).toContain("Plateformes : Discord, Slack, Matrix, console.");
    expect(summary).toContain("Canaux non configurés sur Matrix : annonces");
    expect(postingReport([{ platform: "console", error: "panne" }])).toBe("\n⚠️ Pas publié sur la console : panne.");
    const ref = (platform: PlatformName) => ({ platform, channelId: "c", messageId: "m" });
    expect(platformsLabel([ref("console"), ref("matrix"), ref("discord")])).toBe("Discord, Matrix et la console");
    expect(new NothingPublished([{ platform: "matrix", error: "salon introuvable" }]).message).toContain("(Matrix : salon introuvable)");
    const account = (platform: Platform, externalId: string) => ({ platform, externalId, displayName: null }) as PlatformAccount;
    const member = { firstName: "Nora", role: "PROMENEUR", status: "ACTIVE", joinedAt: new Date("2026-01-05T10:00:00Z"), networks: "", directoryConsent: false } as Member;
    const card = memberFields({ ...member, accounts: [account("CONSOLE", "nora"), account("MATRIX", "@nora:vosges.fr")] }, "Europe/Paris");
    expect(card.find((field) => field.name === "Comptes liés")?.value).toBe("Console : nora\nMatrix : @nora:vosges.fr");
  });

  it("holds each platform's account-id rule, and says the accepted forms as before", () => {
    expect(isAccountId("discord", "123456789012345678")).toBe(true);
    expect(isAccountId("discord", "1234")).toBe(false);
    expect(isAccountId("slack", "U0123ABCD")).toBe(true);
    expect(isAccountId("slack", "u0123abcd")).toBe(false);
    expect(isAccountId("matrix", "@nora.petit:agent.tchap.gouv.fr")).toBe(true);
    expect(isAccountId("matrix", "nora:agent.tchap.gouv.fr")).toBe(false);
    expect(isAccountId("console", "nora")).toBe(true);
    expect(isAccountId("console", "nora petit")).toBe(false);
    expect(parseAccountRef("Matrix : @nora:vosges.fr", "discord")).toEqual({ platform: "matrix", externalId: "@nora:vosges.fr" });
    expect(() => parseAccountRef("slack:nora", "discord")).toThrow("« slack:nora » n'est pas un compte Slack valable.");
    expect(ACCOUNT_ID_EXPECTED).toBe("une mention (@personne), « discord:<identifiant de 17 à 20 chiffres> », « slack:<identifiant U… ou W…> » ou « matrix:@nom:serveur »");
    expect(ADMIN_LIST_EXPECTED).toBe(
      "une liste « discord:<id>,slack:<id>,matrix:@nom:serveur » séparée par des virgules (identifiant Discord de 17 à 20 chiffres, Slack U… ou W…, Matrix @nom:serveur)",
    );
  });

  it("lets the configuration read each descriptor's variables, secrets and cross-checks", () => {
    const shape = Object.keys(configSchema.shape);
    for (const platform of PLATFORM_CATALOG) for (const variable of Object.keys(platform.env)) expect(shape).toContain(variable);
    const env = {
      DISCORD_TOKEN: "tok.discord",
      DISCORD_GUILD_ID: "123456789012345678",
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_APP_TOKEN: "xapp-1",
      MATRIX_HOMESERVER_URL: "https://mx.example",
      MATRIX_ACCESS_TOKEN: "mx-token",
      BOT_CONSOLE: "1",
    };
    const config = loadConfig(env, "");
    expect(platformsOf(config)).toEqual({ discord: true, slack: true, matrix: true, console: true });
    const secrets = PLATFORM_CATALOG.flatMap((platform) => platform.secrets.map((variable) => (env as Record<string, string | undefined>)[variable])).filter(Boolean);
    expect(secretsOf(config)).toEqual(secrets);
    expect(secrets).toEqual(["tok.discord", "xoxb-1", "xapp-1", "mx-token"]);
    // Each descriptor's cross-check reaches the configuration's refusal.
    expect(() => loadConfig({ DISCORD_TOKEN: "t" }, "")).toThrow("DISCORD_GUILD_ID : obligatoire quand DISCORD_TOKEN est défini");
    expect(() => loadConfig({ SLACK_APP_TOKEN: "xapp-1" }, "")).toThrow("SLACK_BOT_TOKEN : obligatoire pour se connecter à Slack");
    expect(() => loadConfig({ MATRIX_USER: "bot" }, "")).toThrow("MATRIX_HOMESERVER_URL : obligatoire pour se connecter à Matrix");
    expect(() => loadConfig({ BOT_CONSOLE: "oui" }, "")).toThrow("BOT_CONSOLE : attendu « 1 » pour forcer la console");
  });

  it("reaches no adapter nor platform library (the architecture helpers, on the real tree)", () => {
    const files = sourceFacts(readSources(".", ["src", "commands"]));
    expect(catalogViolations(files)).toEqual([]);
    // Not vacuous: the check walks from the catalog through every descriptor.
    const reached = reach(files, CATALOG_PATH);
    for (const name of PLATFORM_NAMES) expect(reached).toContain(`src/platforms/${name}/descriptor.ts`);
    expect(reached.filter((path) => path.startsWith("src/platforms/") && !/(catalog|descriptor)\.ts$/.test(path))).toEqual([]);
    expect(platformDescriptor("console").local).toBe(true);
  });
});

/** Every file the given one imports, however indirectly. */
function reach(files: SourceFacts[], from: string): string[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length > 0) {
    for (const edge of byPath.get(queue.shift()!)?.imports ?? []) {
      if (edge.local && byPath.has(edge.target) && !seen.has(edge.target)) {
        seen.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  return [...seen];
}
