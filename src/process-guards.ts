// Last-resort handlers, installed on the first line of main (before the config is even read), so
// no failure ends the process with a bare stack trace and no trace in the logs.
// - An unhandled promise rejection: a promise nobody awaited failed; the rest of the state is
//   intact, so it is logged with a reference and the bot carries on.
// - An uncaught exception: a synchronous throw escaped every handler and the state is unknown, so
//   it is logged with a reference, the bot is stopped (bounded) and the process exits with 1.
import { newErrorReference } from "./core/errors.js";
import type { Logger } from "./logger.js";

interface ProcessLike {
  on(event: "unhandledRejection" | "uncaughtException", listener: (err: unknown) => void): unknown;
}

interface GuardOptions {
  proc?: ProcessLike;
  exit?: (code: number) => void;
  /** Before a logger exists: one JSON line on stderr, like the logger's. */
  write?: (line: string) => void;
  /** How long stopping the bot may take before the process exits anyway. */
  stopWithinMs?: number;
}

export class ProcessGuards {
  private log: Logger | undefined;
  private stop: (() => Promise<void>) | undefined;
  private exiting = false;
  private readonly exit: (code: number) => void;
  private readonly write: (line: string) => void;

  constructor(private readonly options: GuardOptions = {}) {
    this.exit = options.exit ?? ((code) => process.exit(code));
    this.write = options.write ?? ((line) => process.stderr.write(`${line}\n`));
    const proc = options.proc ?? process;
    proc.on("unhandledRejection", (err) => this.report("unhandled rejection", err));
    proc.on("uncaughtException", (err) => void this.fatal(err));
  }

  /** From now on, reports go through the bot's logger (secrets redacted). */
  useLogger(log: Logger): void {
    this.log = log;
  }

  /** What to stop before exiting after an uncaught exception. */
  onFatalStop(stop: () => Promise<void>): void {
    this.stop = stop;
  }

  private report(what: string, err: unknown): string {
    const ref = newErrorReference();
    if (this.log) this.log.error({ err, ref }, what);
    else this.write(JSON.stringify({ level: "error", msg: what, ref, err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }));
    return ref;
  }

  private async fatal(err: unknown): Promise<void> {
    const ref = this.report("uncaught exception: stopping, state unknown", err);
    if (this.exiting) return;
    this.exiting = true;
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, this.options.stopWithinMs ?? 5000).unref());
    try {
      await Promise.race([this.stop?.() ?? Promise.resolve(), deadline]);
    } catch (stopError) {
      this.report(`stop after uncaught exception ${ref} failed`, stopError);
    }
    this.exit(1);
  }
}
