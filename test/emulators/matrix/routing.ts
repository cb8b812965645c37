/** The emulator's small router: a route is a method, a path pattern under /_matrix/client/vN, and a handler. */
import type { Account, Device, Homeserver, Json } from "./state.js";

interface RouteContext {
  hs: Homeserver;
  account: Account;
  device: Device;
  body: Json;
  query: URLSearchParams;
  signal: AbortSignal;
}

type Handler = (ctx: RouteContext, params: string[]) => unknown | Promise<unknown>;
export type Route = [method: string, pattern: RegExp, handler: Handler];

/** A Matrix error as the spec shapes it: `{ errcode, error }` with an HTTP status. */
export class MatrixHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
    readonly extra: Json = {},
  ) {
    super(message);
  }

  get body(): Json {
    return { errcode: this.errcode, error: this.message, ...this.extra };
  }
}

export function matrixError(status: number, errcode: string, message: string, extra: Json = {}): MatrixHttpError {
  return new MatrixHttpError(status, errcode, message, extra);
}

export function findRoute(routes: readonly Route[], method: string, path: string): { handler: Handler; params: string[] } | undefined {
  for (const [m, pattern, handler] of routes) {
    if (m !== method) continue;
    const match = pattern.exec(path);
    if (match) return { handler, params: match.slice(1) };
  }
  return undefined;
}
