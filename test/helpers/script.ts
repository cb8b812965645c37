// Runs a process as the operator would (an npm script of scripts/*.ts, or a shell line), with only
// the environment given: the one way the tests start such processes.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time from spawn to exit. */
  ms: number;
}

/** `command …args` with only PATH, HOME and `env` in its environment; its output and exit code. */
export function runProcess(command: string, args: string[], env: Record<string, string>): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
  });
}

/** `node --import tsx scripts/<name>.ts …args`, as `npm run <name>` starts it. */
export function runScript(name: string, args: string[], env: Record<string, string>): Promise<ScriptRun> {
  return runProcess(process.execPath, ["--import", "tsx", `scripts/${name}.ts`, ...args], env);
}
