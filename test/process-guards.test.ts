/** The last-resort handlers main installs on its first line. */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { ProcessGuards } from "../src/process-guards.js";
import { memoryLogger } from "./helpers/bot.js";

function setUp() {
  const proc = new EventEmitter();
  const exits: number[] = [];
  const early: string[] = [];
  const guards = new ProcessGuards({ proc, exit: (code) => exits.push(code), write: (line) => early.push(line), stopWithinMs: 200 });
  return { proc, exits, early, guards };
}

describe("process guards", () => {
  it("logs an unhandled rejection with a reference and keeps running", () => {
    const { proc, exits, guards } = setUp();
    const { log, lines } = memoryLogger();
    guards.useLogger(log);
    proc.emit("unhandledRejection", new Error("promesse oubliée"));
    const entry = JSON.parse(lines().at(-1)!);
    expect(entry.msg).toBe("unhandled rejection");
    expect(entry.ref).toMatch(/^[2-9A-Z]{6}$/);
    expect(entry.err.message).toBe("promesse oubliée");
    expect(exits).toEqual([]);
  });

  it("before the logger exists, still writes one JSON line with a reference", () => {
    const { proc, early } = setUp();
    proc.emit("unhandledRejection", new Error("au démarrage"));
    expect(JSON.parse(early[0]!)).toMatchObject({ level: "error", msg: "unhandled rejection", err: { message: "au démarrage" } });
    expect(JSON.parse(early[0]!).ref).toMatch(/^[2-9A-Z]{6}$/);
  });

  it("on an uncaught exception, logs it, stops the bot, then exits with 1", async () => {
    const { proc, exits, guards } = setUp();
    const { log, lines } = memoryLogger();
    guards.useLogger(log);
    let stopped = false;
    guards.onFatalStop(async () => {
      stopped = true;
    });
    proc.emit("uncaughtException", new Error("état inconnu"));
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(true);
    expect(exits).toEqual([1]);
    expect(JSON.parse(lines().at(-1)!)).toMatchObject({ msg: "uncaught exception: stopping, state unknown", err: { message: "état inconnu" } });
  });

  it("exits even when stopping hangs", async () => {
    const { proc, exits, guards } = setUp();
    guards.onFatalStop(() => new Promise(() => {}));
    proc.emit("uncaughtException", new Error("bloqué"));
    await new Promise((r) => setTimeout(r, 300));
    expect(exits).toEqual([1]);
  });
});
