import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../../logger.js";

/** Bolt's logger interface, backed by ours so secrets are scrubbed and levels agree. */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.WARN;
  // Bolt's Socket Mode client logs every envelope at debug (who clicked which button, with its
  // id): an anonymous vote must not reach our log that way, so Bolt's own level is honoured.
  const below = (wanted: LogLevel) => level === LogLevel.ERROR || level === LogLevel.WARN || (level === LogLevel.INFO && wanted === LogLevel.DEBUG);
  return {
    debug: (...msg) => void (below(LogLevel.DEBUG) || log.debug({ bolt: true }, msg.map(String).join(" "))),
    info: (...msg) => void (below(LogLevel.INFO) || log.debug({ bolt: true }, msg.map(String).join(" "))),
    warn: (...msg) => log.warn({ bolt: true }, msg.map(String).join(" ")),
    error: (...msg) => log.error({ bolt: true }, msg.map(String).join(" ")),
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}
