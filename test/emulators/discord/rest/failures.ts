/** Injected failures: the next matching requests answer an error (429 shaped exactly like Discord's). */
import { matchesRoute } from "../http-util.js";
import type { InjectedFailure, RouteMatcher } from "../types.js";
import type { Result } from "./context.js";

interface PendingFailure {
  matcher: RouteMatcher;
  failure: InjectedFailure;
  remaining: number;
}

export class FailureInjector {
  private readonly failures: PendingFailure[] = [];

  get pending(): number {
    return this.failures.reduce((n, f) => n + f.remaining, 0);
  }

  add(matcher: RouteMatcher, failure: InjectedFailure): void {
    this.failures.push({ matcher, failure, remaining: failure.times ?? 1 });
  }

  take(method: string, path: string): InjectedFailure | undefined {
    const index = this.failures.findIndex((f) => matchesRoute(f.matcher, method, path));
    if (index < 0) return undefined;
    const pending = this.failures[index]!;
    pending.remaining--;
    if (pending.remaining <= 0) this.failures.splice(index, 1);
    return pending.failure;
  }
}

/** Answers like Discord: 429 with retry-after + x-ratelimit-* headers and JSON body. */
export function failureResponse(failure: InjectedFailure, method: string, path: string): { result: Result; headers: Record<string, string> } {
  if (failure.status === 429) return rateLimited(failure as Extract<InjectedFailure, { status: 429 }>, method, path);
  const custom = failure as { status: number; code?: number; message?: string };
  const message = custom.message ?? (failure.status >= 500 ? `${failure.status}: Internal Server Error` : `${failure.status}: Injected failure`);
  return { result: { status: failure.status, body: { message, code: custom.code ?? 0 } }, headers: {} };
}

function rateLimited(f: Extract<InjectedFailure, { status: 429 }>, method: string, path: string): { result: Result; headers: Record<string, string> } {
  const retryAfter = f.retryAfter ?? 1;
  const global = f.global === true;
  // Discord rounds the header up to whole seconds; it is sent verbatim so tests can use sub-second waits.
  const headers: Record<string, string> = { "retry-after": String(retryAfter), "x-ratelimit-scope": global ? "global" : (f.scope ?? "user") };
  if (global) headers["x-ratelimit-global"] = "true";
  else {
    Object.assign(headers, {
      "x-ratelimit-limit": "5",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
      "x-ratelimit-reset-after": retryAfter.toFixed(3),
      "x-ratelimit-bucket": Buffer.from(`${method} ${path.replace(/\d{5,}/g, ":id")}`).toString("hex").slice(0, 32),
    });
  }
  return { result: { status: 429, body: { message: "You are being rate limited.", retry_after: retryAfter, global, code: global ? 0 : 20028 } }, headers };
}
