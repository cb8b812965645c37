import { describe, expect, it } from "vitest";

import { runOneShot, siblingModule } from "../../src/core/one-shot.js";
import { pngSize } from "../../src/core/reporting/chart.js";

// A child module of the tests (test/core/fixtures/one-shot-child.ts), started from the sources
// with the TypeScript loader, as the built bot starts its own with none.
const renderProcess = siblingModule(new URL("./fixtures/anchor.ts", import.meta.url).href, "one-shot-child");

describe("one-shot child process", () => {
  it("runs the task in a child process and brings its bytes back", async () => {
    const months = Array.from({ length: 12 }, (_, i) => ({ month: `2026-${String(i + 1).padStart(2, "0")}`, hours: i * 3, reports: i, contacts: 0 }));
    const png = await runOneShot<Uint8Array>(renderProcess, "chart", { year: 2026, activity: { months } });
    expect(pngSize(Buffer.from(png))).toEqual({ width: 960, height: 480 });
  });

  it("passes the child's error on, in its words, and ends the child", async () => {
    await expect(runOneShot(renderProcess, "chart", { year: 2026 })).rejects.toThrow(/months/);
    await expect(runOneShot(renderProcess, "nothing", {})).rejects.toThrow("unknown task nothing");
  });

  it("kills a child that does not answer in time", async () => {
    await expect(runOneShot(renderProcess, "chart", { year: 2026, activity: { months: [] } }, { timeoutMs: 1 })).rejects.toThrow("no result after 1 ms");
  });
});
