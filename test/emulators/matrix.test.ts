/**
 * Self-test of the Matrix emulator: two people on the real matrix-js-sdk with its Rust crypto talk
 * through it. In an encrypted room the emulator only ever holds ciphertext, and each side decrypts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MatrixEmulator } from "./matrix/index.js";
import { Person } from "./matrix/person.js";

let emu: MatrixEmulator;
const people: Person[] = [];

beforeEach(async () => {
  emu = await new MatrixEmulator().start();
});

afterEach(async () => {
  for (const p of people.splice(0)) await p.stop();
  await emu.stop();
});

async function connect(name: string): Promise<Person> {
  // These people join on purpose (waitForInvite, then join): an automatic join could take the
  // invitation before the test looks for it.
  const p = await Person.connect(emu, name, name, { autoJoin: false });
  people.push(p);
  return p;
}

describe("Matrix emulator", { timeout: 60_000 }, () => {
  it("relays a message in a plain room through /sync long-polling, in a thread", async () => {
    const alice = await connect("alice");
    const bob = await connect("bob");
    const room = emu.createRoom(alice.userId, { name: "Réseau", invite: [bob.userId] });
    emu.join(room.roomId, alice.userId);
    await bob.waitForInvite();
    await bob.join(room.roomId);
    const root = await alice.say(room.roomId, "Bonjour");
    await alice.say(room.roomId, "Dans le fil", root);
    const seen = await bob.waitFor((m) => m.body === "Dans le fil");
    expect(seen).toMatchObject({ sender: alice.userId, threadRoot: root, encrypted: false });
    expect(emu.unhandled).toEqual([]);
  });

  it("carries only ciphertext in an encrypted room; the other person's Rust crypto decrypts it", async () => {
    const alice = await connect("alice");
    const bob = await connect("bob");
    const room = emu.createRoom(alice.userId, { name: "Chiffré", encrypted: true, invite: [bob.userId] });
    await bob.waitForInvite();
    await bob.join(room.roomId);
    await alice.waitFor((m) => m.type === "m.room.member" && m.sender === bob.userId);
    await alice.say(room.roomId, "Message secret");
    const seen = await bob.waitFor((m) => m.body === "Message secret", "the decrypted message");
    expect(seen.encrypted).toBe(true);
    const stored = emu.room(room.roomId).events.filter((e) => e.sender === alice.userId && e.state_key === undefined);
    expect(stored.map((e) => e.type)).toEqual(["m.room.encrypted"]);
    expect(JSON.stringify(stored[0]!.content)).not.toContain("Message secret");
    // The room key travelled as an Olm-encrypted to-device message, after a key claim.
    expect(emu.calls.some((c) => c.path.includes("/keys/claim"))).toBe(true);
    expect(emu.calls.some((c) => c.path.includes("/sendToDevice/m.room.encrypted"))).toBe(true);
  });

  it("answers M_LIMIT_EXCEEDED with retry_after_ms, and the SDK's send waits and succeeds", async () => {
    const alice = await connect("alice");
    const room = emu.createRoom(alice.userId, { name: "Limité" });
    emu.rateLimit({ method: "PUT", path: /\/send\//, times: 1, retryAfterMs: 300 });
    const started = Date.now();
    await alice.say(room.roomId, "Patience");
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const limited = emu.calls.filter((c) => c.path.includes("/send/"));
    expect(limited.map((c) => c.status)).toEqual([429, 200]);
  });

  it("keeps m.direct account data and answers relations of an event", async () => {
    const alice = await connect("alice");
    const room = emu.createRoom(alice.userId, { name: "R" });
    const root = await alice.say(room.roomId, "Sondage");
    await alice.react(room.roomId, root, "✅");
    await alice.client.setAccountData("m.direct" as never, { "@bob:emu.test": [room.roomId] } as never);
    const relations = await alice.client.http.authedRequest<{ chunk: { type: string }[] }>("GET" as never, `/rooms/${encodeURIComponent(room.roomId)}/relations/${encodeURIComponent(root)}/m.annotation`);
    expect(relations.chunk.map((e) => e.type)).toEqual(["m.reaction"]);
    expect(emu.account(alice.userId).accountData.get("m.direct")?.content).toEqual({ "@bob:emu.test": [room.roomId] });
  });
});
