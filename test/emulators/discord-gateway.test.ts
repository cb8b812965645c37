/**
 * Discord emulator, the gateway protocol itself (not discord.js' tolerance): close codes, heartbeats,
 * sequence numbers, RESUME; and a process running bot + emulator exits by itself.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDiscordEmulator, type DiscordEmulator } from "./discord/index.js";

/** Minimal raw gateway client to check the protocol itself (not discord.js' tolerance). */
class RawGateway {
  readonly frames: Array<{ op: number; t: string | null; s: number | null; d: any }> = [];
  private waiters: Array<() => void> = [];
  readonly closed: Promise<number>;
  readonly ws: WebSocket;

  constructor(url: string) {
    this.ws = new WebSocket(`${url}?v=10&encoding=json`);
    this.ws.on("message", (data) => {
      this.frames.push(JSON.parse(String(data)));
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => this.ws.on("close", (code) => resolve(code)));
  }

  async next(predicate: (f: RawGateway["frames"][number]) => boolean): Promise<RawGateway["frames"][number]> {
    for (;;) {
      const found = this.frames.find(predicate);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  send(op: number, d: unknown): void {
    this.ws.send(JSON.stringify({ op, d }));
  }
}

describe("gateway protocol", () => {
  let emu: DiscordEmulator;

  beforeAll(async () => {
    emu = await startDiscordEmulator({ heartbeatIntervalMs: 1000 });
  });

  afterAll(async () => {
    await emu?.close();
  });

  it("closes with 4004 on a bad token", async () => {
    const gw = new RawGateway(emu.gatewayUrl);
    expect((await gw.next((f) => f.op === 10)).d.heartbeat_interval).toBe(1000);
    gw.send(2, { token: "bad", intents: 1, properties: {} });
    expect(await gw.closed).toBe(4004);
  });

  it("identifies, acks heartbeats, numbers events and replays them on RESUME", async () => {
    const gw = new RawGateway(emu.gatewayUrl);
    await gw.next((f) => f.op === 10);
    gw.send(2, { token: emu.token, intents: 1 | 2, properties: { os: "linux", browser: "test", device: "test" } });
    const ready = await gw.next((f) => f.t === "READY");
    expect(ready.s).toBe(1);
    expect(ready.d).toMatchObject({ user: { id: emu.botUserId, bot: true }, application: { id: emu.applicationId }, guilds: [{ id: emu.guildId, unavailable: true }] });
    const guildCreate = await gw.next((f) => f.t === "GUILD_CREATE");
    expect(guildCreate.s).toBe(2);
    expect(guildCreate.d.channels.map((c: { name: string }) => c.name)).toEqual(["général"]);

    gw.send(1, 2);
    await gw.next((f) => f.op === 11);

    emu.joinGuild({ username: "carol" });
    const add = await gw.next((f) => f.t === "GUILD_MEMBER_ADD");
    expect(add.s).toBe(3);
    gw.ws.close(4000); // abnormal close: the session stays resumable
    await gw.closed;

    const again = new RawGateway(ready.d.resume_gateway_url);
    await again.next((f) => f.op === 10);
    again.send(6, { token: emu.token, session_id: ready.d.session_id, seq: 2 });
    const resumed = await again.next((f) => f.t === "RESUMED");
    expect(again.frames.filter((f) => f.op === 0).map((f) => [f.t, f.s])).toEqual([["GUILD_MEMBER_ADD", 3], ["RESUMED", 4]]);
    expect(resumed.s).toBe(4);
    again.ws.close(1000);
    await again.closed;
    expect(emu.gatewayStats.resumes).toBe(1);
  });

  it("answers an unknown session with op 9 (not resumable)", async () => {
    const gw = new RawGateway(emu.gatewayUrl);
    await gw.next((f) => f.op === 10);
    gw.send(6, { token: emu.token, session_id: "nope", seq: 1 });
    expect((await gw.next((f) => f.op === 9)).d).toBe(false);
    gw.ws.close(1000);
    await gw.closed;
  });
});

describe("shutdown", () => {
  it("leaves no handle behind: a process running bot + emulator exits by itself", async () => {
    const fixture = fileURLToPath(new URL("./discord/fixtures/exit-check.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", fixture], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 8000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out).toContain("answer:pong");
    expect(code).toBe(0);
  });
});
