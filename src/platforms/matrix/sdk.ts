// matrix-js-sdk loaded the way the bot needs it in Node: its loggers routed to ours (it logs every
// request and the Rust crypto traces at debug level by default), and the Rust crypto's IndexedDB
// provided by fake-indexeddb (Node has none); ./crypto-store.ts saves that store to disk.
import "fake-indexeddb/auto";
import * as RustCrypto from "@matrix-org/matrix-sdk-crypto-wasm";
import { logger as sdkGlobalLogger, type Logger as SdkLogger } from "matrix-js-sdk/lib/logger.js";
import type { Logger } from "../../logger.js";

export * as sdk from "matrix-js-sdk";

const quiet = () => undefined;

/** The SDK's logger: warnings and errors reach ours (secrets scrubbed there), the rest is dropped. */
export function sdkLogger(log?: Logger): SdkLogger {
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === "string" ? m : JSON.stringify(m))).join(" ");
  const child: SdkLogger = {
    trace: quiet,
    debug: quiet,
    info: quiet,
    warn: (...msg: unknown[]) => log?.debug({ matrix: true }, text(msg)),
    error: (...msg: unknown[]) => log?.warn({ matrix: true }, text(msg)),
    getChild: () => child,
  };
  return child;
}

let quieted = false;

type LoglevelLogger = { setLevel(level: string): void; methodFactory: unknown; rebuild(): void };

/**
 * Silences the SDK's global logger and the child loggers made from it afterwards (code paths that
 * ignore the client's own logger print to the console with it), once per process. The Rust crypto
 * turns its tracing on at debug level on every start (it prints each key it makes to the console):
 * it is held at errors.
 */
export function quietSdk(): void {
  if (quieted) return;
  quieted = true;
  const root = sdkGlobalLogger as unknown as LoglevelLogger;
  root.methodFactory = () => quiet;
  root.setLevel("silent");
  root.rebuild();
  const turnOn = RustCrypto.Tracing.prototype.turnOn;
  RustCrypto.Tracing.prototype.turnOn = function (this: InstanceType<typeof RustCrypto.Tracing>) {
    this.minLevel = RustCrypto.LoggerLevel.Error;
    turnOn.call(this);
  };
}
