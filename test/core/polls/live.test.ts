import { describe, expect, it } from "vitest";
import { LiveRenders } from "../../../src/core/polls/live.js";
import { memoryLogger } from "../../helpers/bot.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("live renders", () => {
  it("turns a burst of changes into one render per key per window, showing the last change", async () => {
    const rendered: string[] = [];
    let state = 0;
    const live = new LiveRenders(async (key) => void rendered.push(`${key}=${state}`), memoryLogger().log, 40);
    for (let i = 1; i <= 35; i++) {
      state = i;
      live.request("poll:1");
    }
    live.request("poll:2");
    await live.idle();
    expect(rendered.sort()).toEqual(["poll:1=35", "poll:2=35"]);
    expect(live.stats).toMatchObject({ requests: 36, renders: 2 });
  });

  it("renders once more after a render when a change arrived during it", async () => {
    const rendered: number[] = [];
    let state = 0;
    const live = new LiveRenders(
      async () => {
        const seen = state;
        await sleep(30);
        rendered.push(seen);
      },
      memoryLogger().log,
      10,
    );
    state = 1;
    live.request("k");
    await sleep(20); // the render is running
    state = 2;
    live.request("k");
    live.request("k");
    await live.idle();
    expect(rendered).toEqual([1, 2]);
  });

  it("keeps going after a failed render and stands down once the bot is stopping", async () => {
    let stopping = false;
    let calls = 0;
    const memory = memoryLogger();
    const live = new LiveRenders(async () => {
      calls++;
      throw new Error("plateforme indisponible");
    }, memory.log, 5, () => stopping);
    live.request("k");
    await live.idle();
    expect(live.stats.failures).toBe(1);
    expect(memory.lines().join("\n")).toContain("mise à jour d'un message en direct échouée");
    stopping = true;
    live.request("k");
    await live.idle();
    expect(calls).toBe(1);
  });
});
