/**
 * Findings of the fuzz run on PostgreSQL (PROMENEURS_TEST_STORE=postgresql), each on a
 * database of its own: what works on SQLite but failed there as « Une erreur est survenue ».
 * - A NUL character typed in any text (PostgreSQL refuses it in a text value);
 * - erasing one's data (/mes-donnees effacer, then the confirmation): the erasure was committed,
 *   then a SQLite-only PRAGMA failed and the person was told of an internal error.
 * Skipped, with the reason, when PostgreSQL is not running.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshPostgresUrl, postgresUnavailable } from "../store/postgres-fixture.js";
import { startFuzzWorld, textCommand, type FuzzWorld } from "../fuzz/world.js";

describe.skipIf(postgresUnavailable !== null)("hostile input on PostgreSQL", () => {
  let world: FuzzWorld;
  beforeAll(async () => void (world = await startFuzzWorld(await freshPostgresUrl())));
  afterAll(async () => world?.close());

  it("a NUL character typed in an option is dropped, never an internal error", async () => {
    const reply = await world.router.handle(textCommand(world.router, world.users.admin.slack, '/membre voir membre:"Nora\u0000"'));
    expect(reply.text ?? "").not.toMatch(/Une erreur est survenue/);
    expect(reply.title ?? reply.text).toMatch(/Nora/);
  });

  it("erasing one's own data succeeds and says so", async () => {
    const asked = await world.router.handle(textCommand(world.router, world.users.promeneur.discord, "/mes-donnees effacer"));
    expect(JSON.stringify(asked.components)).toContain("mes-donnees:confirmer");
    const done = await world.router.handle({ type: "component", user: world.users.promeneur.discord, channelId: "c", canOpenModal: true, customId: "mes-donnees:confirmer", values: [] });
    expect(done.text).not.toMatch(/Une erreur est survenue/);
    expect(done.tone).toBe("success");
  });
});
