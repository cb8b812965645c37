import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const startScript = () => (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { start: string } }).scripts.start;
const ASSIGNMENT = /^[A-Z_][A-Z0-9_]*=\S*$/;

/** The node flags and entry of `npm start`, read from package.json so the bench runs exactly that. */
export function startCommand(): string[] {
  const script = startScript();
  const [node, ...args] = script.split(/\s+/).filter((word) => !ASSIGNMENT.test(word));
  if (node !== "node") throw new Error(`unexpected start script: ${script}`);
  return args;
}

/** The `NAME=value` assignments the start script puts before `node`. */
export function startScriptEnv(): string[] {
  const words = startScript().split(/\s+/);
  return words.slice(0, words.indexOf("node")).filter((word) => ASSIGNMENT.test(word));
}

interface StartedProcess {
  pid: number;
  readyMs: number;
  rssMb: number;
  /** The bot's log so far (standard error), to explain an unexpected end. */
  output(): string;
  /** Ends the bot's standard input (a platform bot must keep running). */
  endInput(): void;
  /** Sends SIGTERM (or ends stdin) and resolves with the time to exit and the exit code. */
  stop(how: "SIGTERM" | "eof"): Promise<{ ms: number; code: number | null }>;
}

/**
 * Spawns the compiled bot and waits for its « bot prêt » log line. `nodeFlags` replaces the start
 * script's node flags (to compare V8 settings); the entry stays that of `npm start`.
 */
export function startProcess(env: Record<string, string>, nodeFlags?: string[]): Promise<StartedProcess> {
  const command = startCommand();
  const args = nodeFlags ? [...nodeFlags, command.at(-1)!] : command;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", ...Object.fromEntries(startScriptEnv().map((p) => p.split("=", 2))), ...env },
      stdio: ["pipe", "ignore", "pipe"],
    });
    let buffer = "";
    let done = false;
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const timer = setTimeout(() => !done && (child.kill("SIGKILL"), reject(new Error(`not ready in 20 s:\n${buffer}`))), 20_000);
    child.stderr.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      if (done) return;
      for (const line of buffer.split("\n")) {
        if (!line.includes("bot prêt")) continue;
        done = true;
        clearTimeout(timer);
        const readyMs = performance.now() - t0;
        const { rssMb } = JSON.parse(line) as { rssMb: number };
        resolve({
          pid: child.pid!,
          readyMs,
          rssMb,
          output: () => buffer,
          endInput: () => child.stdin.end(),
          async stop(how) {
            const s = performance.now();
            if (how === "eof") child.stdin.end();
            else if (child.exitCode !== null) return { ms: 0, code: child.exitCode };
            else child.kill("SIGTERM");
            const code = await exited;
            return { ms: performance.now() - s, code };
          },
        });
        return;
      }
    });
    child.on("error", reject);
    void exited.then((code) => !done && (clearTimeout(timer), reject(new Error(`exited ${code} before ready:\n${buffer}`))));
  });
}
