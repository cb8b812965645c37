/**
 * The operator's CLIs (`npm run members:import`, `npm run sauvegarde`) run as real child processes
 * on the SQLite file of a bot running in this process, while commands keep arriving from the
 * emulated Discord. Shared by the test (a few hundred lines) and `npm run bench` (3,500 lines).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

import { startBot } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { startDiscordEmulator } from "../emulators/discord/index.js";
import { discordEnv } from "./env.js";
import { freshStoreUrl } from "../store/fixture.js";
import { runScript } from "./script.js";

export { runScript };

/** `i` written with letters (names accept no digits): 1 → "b", 27 → "bb"… */
function letters(i: number): string {
  let s = "";
  do {
    s = String.fromCharCode(97 + (i % 26)) + s;
    i = Math.floor(i / 26);
  } while (i > 0);
  return s;
}

/** A directory export of `n` Promeneurs, as a spreadsheet writes it. */
export function directoryCsv(n: number): string {
  const lines = ["Prénom;Nom;Structure;Type;Commune;E-mail"];
  for (let i = 1; i <= n; i++) lines.push(`Cam${letters(i)};Durand;Structure ${i % 40};${i % 3 ? "jeunesse" : "parentalité"};Épinal;promeneur${i}@exemple.fr`);
  return `${lines.join("\n")}\n`;
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}


/** `npm run members:import -- file` as the operator runs it. */
export function runImport(file: string, databaseUrl: string): Promise<CliResult> {
  return runScript("members-import", [file], { DATABASE_URL: databaseUrl });
}

const WARMUP_COMMANDS = 20;

interface CliBesideBotOptions {
  /** Lines of the imported directory; 0: no CLI at all (the baseline). */
  lines: number;
  /** Commands sent at least; with the CLIs, commands keep coming until they are done. */
  commands: number;
  /** The emulated Discord's acknowledgement window (Discord: 3,000 ms). */
  deadlineMs: number;
  /** Commands in flight at once. */
  concurrency?: number;
  /** A wave of commands starts at most this often (0: as soon as the last one is answered). */
  waveEveryMs?: number;
  /** `once`: one `npm run sauvegarde` started with the import, as the issue describes; `while-importing`: one after the other until the import ends (default). */
  backups?: "once" | "while-importing";
  /** The CLIs work on another database file: the same CPU contention without the lock contention (a control run). */
  cliOnOtherDatabase?: boolean;
}

export interface CliBesideBotRun {
  sent: number;
  /** What each failed command showed (an error, or an answer that is not the expected one). */
  failures: string[];
  /** Per command: INTERACTION_CREATE sent → the bot's acknowledgement arrived. */
  latenciesMs: number[];
  /** Longest and 99th-percentile event-loop delay of this process (bot + emulator) meanwhile. */
  maxStallMs: number;
  p99StallMs: number;
  /**
   * The longest stall counting only the CPU this process used during it (all its threads, so an
   * upper bound): what the bot itself blocked, as opposed to waiting for a core on a busy machine.
   */
  maxOnCpuStallMs: number;
  imported?: CliResult;
  /** The `npm run sauvegarde` runs. */
  backups: CliResult[];
}

export async function commandsBesideCli(options: CliBesideBotOptions): Promise<CliBesideBotRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pdn-cli-load-"));
  const emu = await startDiscordEmulator({ interactionDeadlineMs: options.deadlineMs });
  const databaseUrl = await freshStoreUrl();
  const backupDir = path.join(dir, "sauvegardes");
  const bot = await startBot({
    config: loadConfig({ DATABASE_URL: databaseUrl, BACKUP_DIR: backupDir, WEB_PORT: "off", ...discordEnv(emu) }, ""),
    log: createLogger({ level: "silent", pretty: false }),
  });
  const stall = monitorEventLoopDelay({ resolution: 10 });
  try {
    // Unmeasured: the first commands load modules and warm the JIT, once per process lifetime.
    await sendWhile(emu, () => false, { ...options, commands: WARMUP_COMMANDS }, "echauffement");
    let importing = options.lines > 0;
    let backingUpNow = false;
    const backups: CliResult[] = [];
    let imported: Promise<CliResult> | undefined;
    let backingUp: Promise<void> | undefined;
    const cliDatabaseUrl = options.cliOnOtherDatabase ? await freshStoreUrl() : databaseUrl;
    if (importing) {
      const file = path.join(dir, "annuaire.csv");
      writeFileSync(file, directoryCsv(options.lines));
      imported = runImport(file, cliDatabaseUrl).finally(() => (importing = false));
      backingUp = (async () => {
        // At least one backup, then one after the other while the import writes.
        do {
          backingUpNow = true;
          backups.push(await runScript("sauvegarde", [], { DATABASE_URL: cliDatabaseUrl, BACKUP_DIR: backupDir }));
          backingUpNow = false;
        } while (importing && options.backups !== "once");
      })();
    }
    stall.enable();
    const onCpu = onCpuStalls();
    const sent = await sendWhile(emu, () => importing || backingUpNow, options, "visiteur");
    stall.disable();
    const maxOnCpuStallMs = onCpu.stop();
    await backingUp;
    return {
      ...sent,
      maxStallMs: stall.max / 1e6,
      p99StallMs: stall.percentile(99) / 1e6,
      maxOnCpuStallMs,
      ...(imported ? { imported: await imported } : {}),
      backups,
    };
  } finally {
    await bot.stop();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Ticks every 5 ms; a late tick is a stall, counted for the CPU time the process used meanwhile. */
function onCpuStalls(): { stop(): number } {
  const TICK_MS = 5;
  let wall = performance.now();
  let cpu = process.cpuUsage();
  let longest = 0;
  const timer = setInterval(() => {
    const nowWall = performance.now();
    const used = process.cpuUsage(cpu);
    const late = nowWall - wall - TICK_MS;
    longest = Math.max(longest, Math.min(late, (used.user + used.system) / 1000));
    wall = nowWall;
    cpu = process.cpuUsage();
  }, TICK_MS);
  return {
    stop() {
      clearInterval(timer);
      return longest;
    },
  };
}

/** Waves of `concurrency` commands, each from a new user (so each writes a member), until `busy()` is false and enough were sent. */
async function sendWhile(emu: Awaited<ReturnType<typeof startDiscordEmulator>>, busy: () => boolean, options: CliBesideBotOptions, names: string) {
  const failures: string[] = [];
  const latenciesMs: number[] = [];
  let sent = 0;
  while (busy() || sent < options.commands) {
    const next = performance.now() + (options.waveEveryMs ?? 0);
    await Promise.all(
      Array.from({ length: options.concurrency ?? 4 }, async () => {
        const user = emu.addUser({ username: `${names}${++sent}` }).id;
        const handle = emu.sendCommand({ userId: user, name: "aide" });
        try {
          await handle.response();
          if (handle.responseLatencyMs !== undefined) latenciesMs.push(handle.responseLatencyMs);
          const answer = await handle.final();
          if (!answer.text.includes("/annuaire")) failures.push(answer.text.slice(0, 200));
        } catch (e) {
          failures.push(String(e).slice(0, 200));
        }
      }),
    );
    const early = next - performance.now();
    if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
  }
  return { sent, failures, latenciesMs };
}
