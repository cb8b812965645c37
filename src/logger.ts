import { pino, type Logger as PinoLogger, type LevelWithSilent } from "pino";

export type Logger = PinoLogger;

/**
 * JSON logs on stderr (stdout belongs to the console adapter's replies), pretty when stderr
 * is a terminal. Every string that contains a configured secret is censored before it is
 * written, so a library that logs a request with its token cannot leak it.
 */
export function createLogger(options: { level: LevelWithSilent; secrets?: string[]; pretty?: boolean; destination?: NodeJS.WritableStream }): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 6);
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const destination = options.destination
    ? options.destination
    : pretty
    ? pino.transport({ target: "pino-pretty", options: { destination: 2, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" } })
    : pino.destination({ dest: 2, sync: true });
  return pino(
    {
      level: options.level,
      base: undefined,
      redact: {
        paths: ["token", "*.token", "headers.authorization", "*.headers.authorization", "authorization", "*.authorization"],
        censor: "[secret]",
      },
      hooks: {
        logMethod(args, method) {
          if (secrets.length > 0) {
            for (let i = 0; i < args.length; i++) args[i] = scrub(args[i], secrets, 0);
          }
          method.apply(this, args as Parameters<typeof method>);
        },
      },
      serializers: { err: serializeError },
    },
    destination,
  );
}

function scrub(value: unknown, secrets: string[], depth: number): unknown {
  if (typeof value === "string") {
    let out = value;
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join("[secret]");
    return out;
  }
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    const copy = new Error(scrub(value.message, secrets, depth + 1) as string);
    copy.name = value.name;
    copy.stack = scrub(value.stack ?? "", secrets, depth + 1) as string;
    return copy;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrub(v, secrets, depth + 1);
  return out;
}

/**
 * Errors as logged. A platform library's error can carry the whole request it failed to send
 * (discord.js's `requestBody`: a private reply, an answer to a question…): that stays out of the logs.
 */
function serializeError(err: Error): Record<string, unknown> {
  const { requestBody: _body, ...kept } = pino.stdSerializers.err(err) as Record<string, unknown>;
  return kept;
}
