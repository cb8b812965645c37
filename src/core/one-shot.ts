// Heavy one-shot work (a chart PNG, an XLSX workbook) runs in a child process that ends when it is
// done. Measured on the bot (bench/memory.ts): the same work in the bot's own process left it
// 100 MB bigger for good, and in a worker thread still ~70 MB (native allocations of Skia and
// the freed heap stay in the process's malloc arenas); a process that exits gives everything back.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

interface OneShotOptions {
  /** The child is killed past this (a stuck render must not hold the command forever). */
  timeoutMs?: number;
}

type Answer = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * The URL of `name` next to the caller's module, with the caller's extension: .js once built
 * (npm start), .ts when the sources run through tsx (tests, scripts, bench).
 */
export function siblingModule(callerUrl: string, name: string): URL {
  const extension = callerUrl.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./${name}${extension}`, callerUrl);
}

/**
 * Runs `task` of `moduleUrl` (a module that calls serveOneShot) in a new node process and resolves
 * with what it returns. Values cross by structured clone: Buffers, Dates and plain objects.
 */
export function runOneShot<T>(moduleUrl: URL, task: string, input: unknown, options: OneShotOptions = {}): Promise<T> {
  const file = fileURLToPath(moduleUrl);
  // Sources need the TypeScript loader; the built bot starts the child with no flag at all (the
  // parent's V8 tuning is for a long-lived chat process, not for one render).
  const execArgv = file.endsWith(".ts") ? ["--import", "tsx"] : [];
  const child = fork(file, [], { execArgv, serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise<T>((resolve, reject) => {
    let answer: Answer | undefined;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${task}: no result after ${options.timeoutMs} ms`));
    }, options.timeoutMs ?? 120_000);
    child.once("message", (message: Answer) => (answer = message));
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (answer?.ok) resolve(answer.value as T);
      else reject(new Error(answer ? answer.message : `${task}: child process ended (${signal ?? code}) without a result`));
    });
    child.send({ task, input });
  });
}

/**
 * The child's side: answers the one request it gets with `handlers[task](input)`, then exits so
 * that its memory goes back to the system.
 */
export function serveOneShot(handlers: Record<string, (input: never) => Promise<unknown>>): void {
  process.once("message", (request: { task: string; input: never }) => {
    const handler = handlers[request.task];
    const work = handler ? handler(request.input) : Promise.reject(new Error(`unknown task ${request.task}`));
    work.then(
      (value) => ({ ok: true, value }) as Answer,
      (err: unknown) => ({ ok: false, message: err instanceof Error ? err.message : String(err) }) as Answer,
    ).then((answer) => process.send!(answer, () => process.exit(0)));
  });
}
