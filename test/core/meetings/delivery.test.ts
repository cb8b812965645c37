import { describe, expect, it } from "vitest";
import { isLastingFailure } from "../../../src/core/meetings/delivery.js";
import { DirectMessageUnavailable } from "../../../src/core/notifier.js";

describe("telling a lasting refusal from an outage", () => {
  it("gives up on closed DMs and on 4xx refusals, on either platform", () => {
    expect(isLastingFailure(new DirectMessageUnavailable())).toBe(true);
    expect(isLastingFailure(Object.assign(new Error("Missing Access"), { status: 403, code: 50001 }))).toBe(true); // discord.js DiscordAPIError
    expect(isLastingFailure(Object.assign(new Error("An API error occurred: channel_not_found"), { code: "slack_webapi_platform_error", data: { error: "channel_not_found" } }))).toBe(true);
  });

  it("retries rate limits, 5xx and network errors", () => {
    expect(isLastingFailure(Object.assign(new Error("Internal Server Error"), { status: 500 }))).toBe(false); // discord.js HTTPError
    expect(isLastingFailure(Object.assign(new Error("rate limited"), { status: 429 }))).toBe(false);
    expect(isLastingFailure(Object.assign(new Error("ratelimited"), { code: "slack_webapi_platform_error", data: { error: "ratelimited" } }))).toBe(false);
    expect(isLastingFailure(Object.assign(new Error("HTTP 503"), { code: "slack_webapi_http_error", statusCode: 503 }))).toBe(false);
    expect(isLastingFailure(Object.assign(new Error("socket hang up"), { code: "slack_webapi_request_error" }))).toBe(false);
    expect(isLastingFailure(new Error("ECONNRESET"))).toBe(false);
  });
});
