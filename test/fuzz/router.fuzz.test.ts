/**
 * Hostile input through the router, on each platform's input path: whatever is typed, clicked or
 * forged, the bot answers in French without an internal error, keeps running, and an input it
 * refuses writes nothing (no row added or removed in any table, the audit log included, and no
 * commit at all, seen from a second connection).
 *
 * The bulk drives the router directly, with inputs shaped as each adapter hands them over
 * (Discord's typed options; Slack's and the console's text parsed by the same parseTextOptions and
 * Slack unescaping; the console through its real line handler); test/fuzz/emulators.fuzz.test.ts
 * sends a sample through the real discord.js and Bolt code on the emulators.
 *
 * FUZZ_RUNS sets the number of inputs (10,000 for the full run: `FUZZ_RUNS=10000 npx vitest run
 * test/fuzz`); FUZZ_SEED replays a run.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import type { Interaction, PlatformName, PlatformUser } from "../../src/core/interaction.js";
import type { Reply } from "../../src/core/reply.js";
import { unescapeSlack } from "../../src/platforms/slack/adapter.js";
import { commandText, consoleLine, customId, discordCommand, formFields, routesOf } from "./inputs.js";
import { channelOf, startFuzzWorld, textCommand, type FuzzWorld, type WriteSnapshot } from "./world.js";

const TOTAL = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
/** The inputs are shared among the five input paths in these proportions. */
const SHARE = { discord: 0.25, slack: 0.25, components: 0.2, modals: 0.15, console: 0.15 };
const runsOf = (path: keyof typeof SHARE) => Math.max(1, Math.round(TOTAL * SHARE[path]));

const INTERNAL_ERROR = /Une erreur est survenue/;

let world: FuzzWorld;
const crashes: unknown[] = [];
const onCrash = (err: unknown) => crashes.push(err);

beforeAll(async () => {
  process.on("unhandledRejection", onCrash);
  process.on("uncaughtException", onCrash);
  world = await startFuzzWorld();
  process.stdout.write(`fuzz: ${TOTAL} inputs, FUZZ_SEED=${SEED}\n`);
});

afterAll(async () => {
  process.off("unhandledRejection", onCrash);
  process.off("uncaughtException", onCrash);
  await world.close();
});

/** A refusal, as the router and the handlers word it: nothing may have been written. */
function refused(reply: Reply): boolean {
  return reply.tone === "warning" || /Rien n'a été|n'est plus valable|n'existe pas/.test(reply.text ?? "");
}

interface Finding {
  input: unknown;
  problem: string;
}

/** Runs one input through the router and checks the three properties; returns what went wrong. */
async function check(input: unknown, acting: { user: PlatformUser; role?: "ADMIN" | "PROMENEUR" }, run: () => Promise<{ reply?: Reply; shown: string }>): Promise<Finding | null> {
  await world.prepare(acting.user, acting.role);
  const before: WriteSnapshot = await world.snapshot();
  const logged = world.logs().length;
  let outcome: { reply?: Reply; shown: string };
  try {
    outcome = await run();
  } catch (err) {
    return { input, problem: `threw: ${(err as Error).stack ?? String(err)}` };
  }
  if (INTERNAL_ERROR.test(outcome.shown)) {
    const why = world.logs().slice(logged).find((l) => l.includes('"level":50')) ?? "(nothing logged)";
    return { input, problem: `internal error shown: ${outcome.shown.slice(0, 200)} — log: ${why.slice(0, 1500)}` };
  }
  if (outcome.reply && refused(outcome.reply)) {
    const after = await world.snapshot();
    const changed = Object.keys(before.counts).filter((t) => before.counts[t] !== after.counts[t]);
    if (changed.length || after.version !== before.version) {
      return { input, problem: `refused (${(outcome.reply.text ?? "").slice(0, 160)}) but wrote: ${changed.join(", ") || "an update"}` };
    }
  }
  return null;
}

/** Two findings of the same kind: same refusal, or same failing route and error (references and times aside). */
function kindOf(problem: string): string {
  const route = /"route":"([^"]*)"/.exec(problem)?.[1];
  const message = /"message":"([^"]{0,160})/.exec(problem)?.[1];
  return route ? `${route} ${message}` : problem.replace(/réf\. \w+/g, "").slice(0, 160);
}

function shownOf(reply: Reply): string {
  return JSON.stringify(reply, (_k, v: unknown) => (Buffer.isBuffer(v) ? "<file>" : v));
}

async function fuzz<T>(path: string, arbitrary: fc.Arbitrary<T>, numRuns: number, actingOf: (input: T) => { user: PlatformUser; role?: "ADMIN" | "PROMENEUR" }, run: (input: T) => Promise<{ reply?: Reply; shown: string }>): Promise<void> {
  const findings: Finding[] = [];
  const tally = { refused: 0, served: 0, form: 0 };
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const finding = await check(input, actingOf(input), async () => {
        const outcome = await run(input);
        if (outcome.reply?.modal) tally.form++;
        else if (outcome.reply && refused(outcome.reply)) tally.refused++;
        else tally.served++;
        return outcome;
      });
      if (finding) findings.push(finding);
    }),
    { numRuns, seed: SEED, endOnFailure: true },
  );
  // How far the inputs got: refused, served (a handler answered), or a form opened.
  process.stdout.write(`fuzz ${path}: ${numRuns} inputs in ${Date.now() - started} ms — ${tally.refused} refused, ${tally.served} served, ${tally.form} forms\n`);
  expect(crashes).toEqual([]);
  // Findings are gathered rather than shrunk: the world changes as the run goes, and one run
  // should report every distinct problem at once.
  const distinct = [...new Map(findings.map((f) => [kindOf(f.problem), f])).values()];
  expect(distinct.map((f) => `${f.problem}\n  input: ${JSON.stringify(f.input).slice(0, 600)}`)).toEqual([]);
}

const as = (who: "admin" | "promeneur", platform: PlatformName): PlatformUser => world.users[who][platform];
const acting = (who: "admin" | "promeneur", platform: PlatformName) => ({ user: as(who, platform), role: who === "admin" ? ("ADMIN" as const) : ("PROMENEUR" as const) });
const who = fc.constantFrom("admin", "promeneur", "admin") as fc.Arbitrary<"admin" | "promeneur">;

async function viaRouter(interaction: Interaction) {
  const reply = await world.router.handle(interaction);
  return { reply, shown: shownOf(reply) };
}

describe(`the router under hostile input (${TOTAL} inputs)`, () => {
  it("serves any Discord slash command with options of every type and length", { timeout: 600_000 }, async () => {
    await fuzz("discord", fc.tuple(who, discordCommand(commands)), runsOf("discord"), ([role]) => acting(role, "discord"), ([role, pick]) =>
      viaRouter({ type: "command", user: as(role, "discord"), channelId: channelOf("discord"), canOpenModal: true, ...pick }),
    );
  });

  it("serves any Slack command text: quotes, mentions, entities, control characters", { timeout: 600_000 }, async () => {
    await fuzz("slack", fc.tuple(who, commandText(commands)), runsOf("slack"), ([role]) => acting(role, "slack"), async ([role, { command, text }]) => {
      // As the Slack adapter does: unescape, parse (a UserError is the answer), then the router.
      let interaction: Interaction;
      try {
        interaction = { ...textCommand(world.router, as(role, "slack"), `/${command} ${unescapeSlack(text)}`), canOpenModal: true };
      } catch (err) {
        if (err instanceof Error && err.name === "UserError") return { reply: { text: err.message, tone: "warning" }, shown: err.message };
        throw err;
      }
      return viaRouter(interaction);
    });
  });

  it("answers forged and truncated button and select ids", { timeout: 600_000 }, async () => {
    const routes = routesOf(commands, "components");
    const values = fc.array(fc.oneof(fc.constantFrom(...world.ids), fc.string({ maxLength: 100 })), { maxLength: 5 });
    await fuzz("components", fc.tuple(who, fc.constantFrom<PlatformName>("discord", "slack"), customId(routes, world.ids), values), runsOf("components"), ([role, platform]) => acting(role, platform), ([role, platform, id, selected]) =>
      viaRouter({ type: "component", user: as(role, platform), channelId: channelOf(platform), canOpenModal: true, customId: id, values: selected }),
    );
  });

  it("answers form submissions with forged ids and missing, empty or oversized fields", { timeout: 600_000 }, async () => {
    const routes = routesOf(commands, "modals");
    await fuzz("modals", fc.tuple(who, fc.constantFrom<PlatformName>("discord", "slack"), customId(routes, world.ids), formFields(commands)), runsOf("modals"), ([role, platform]) => acting(role, platform), ([role, platform, id, fields]) =>
      viaRouter({ type: "modal", user: as(role, platform), channelId: channelOf(platform), canOpenModal: false, customId: id, fields }),
    );
  });

  it("answers any console line, and any answer typed into a form", { timeout: 600_000 }, async () => {
    const adapter = world.consoleAdapter as unknown as {
      handleLine(line: string, lines: AsyncIterator<string>): Promise<void>;
      print(text: string): void;
      options: { router: FuzzWorld["router"] };
    };
    // The console's own line handler (its readline loop aside); what it prints and the last reply
    // it got from the router are captured.
    let printed = "";
    let last: Reply | undefined;
    adapter.print = (t: string) => void (printed += `${t}\n`);
    const router = world.router;
    adapter.options.router = Object.assign(Object.create(router) as FuzzWorld["router"], {
      handle: async (i: Interaction) => (last = await router.handle(i)),
    });
    const answers = fc.array(fc.oneof(consoleLine(commands), fc.string({ maxLength: 50 })), { maxLength: 6 });
    await fuzz("console", fc.tuple(consoleLine(commands), answers), runsOf("console"), () => ({ user: (adapter as unknown as { user: PlatformUser }).user }), async ([line, typed]) => {
      printed = "";
      last = undefined;
      const queue = [...typed];
      const lines: AsyncIterator<string> = { next: async () => (queue.length ? { done: false, value: queue.shift()! } : { done: true, value: undefined }) };
      await adapter.handleLine(line.trim(), lines);
      return { reply: last, shown: printed };
    });
  });
});
