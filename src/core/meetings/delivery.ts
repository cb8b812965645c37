/**
 * Sending one message to many members from a job, at most once per member and platform.
 *
 * Each (member, platform) pair is its own Delivery (`m42:discord`), recorded before the send
 * (scheduler/deliveries.ts): a re-run of the job after a crash or a retry skips whoever was
 * served, and a member reached on Discord is not messaged there again because Slack failed.
 * Platforms are sent in parallel lanes, so one platform that is down (its library retrying 429s
 * and 5xx for minutes) never holds back the members on the other.
 */
import type { DeliveryOutcome, JobContext } from "../../scheduler/index.js";
import type { PlatformName } from "../interaction.js";
import { fromStorePlatform, type MemberWithAccounts } from "../members.js";
import { DirectMessageUnavailable, type Notifications } from "../notifier.js";
import type { Reply } from "../reply.js";

export interface Recipient {
  member: MemberWithAccounts;
  reply: Reply;
}

export interface RecipientOutcome {
  member: MemberWithAccounts;
  platform: PlatformName;
  outcome: DeliveryOutcome;
  /** Why it failed, in French, when it did. */
  error?: string;
  /** A refusal that will not change by trying again (closed DMs, unknown channel, missing access). */
  lasting?: boolean;
  /** The DM was refused and a mention in the « rappels » channel was posted instead. */
  fallback?: boolean;
}

/** Sends per platform lane, a few at a time (the platform libraries queue per route and honour 429s). */
const PER_PLATFORM = 4;
/**
 * And paced: a burst of 10, then 5 a second per platform. A bot opening dozens of DMs at once
 * looks like spam to Discord, and it keeps a reminder to the whole network (35 people) well under
 * Discord's 50 requests a second (3 requests a DM) and Slack's per-method tiers.
 */
const BURST = 10;
const PER_SECOND = 5;

/** A token bucket on real time: pacing is about the platforms' clocks, not the domain's. */
class Pace {
  private tokens = BURST;
  private last = performance.now();

  async take(): Promise<void> {
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(BURST, this.tokens + ((now - this.last) / 1000) * PER_SECOND);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - this.tokens) / PER_SECOND) * 1000)));
    }
  }

  refund(): void {
    this.tokens = Math.min(BURST, this.tokens + 1);
  }
}

export async function fanOut(
  ctx: Pick<JobContext, "deliverOnce" | "signal">,
  notifications: Notifications,
  recipients: readonly Recipient[],
): Promise<RecipientOutcome[]> {
  const outcomes: RecipientOutcome[] = [];
  await Promise.all(
    notifications.platforms.map(async (platform) => {
      const lane = recipients.filter((r) => r.member.accounts.some((a) => fromStorePlatform(a.platform) === platform));
      const pace = new Pace();
      const worker = async () => {
        for (let next = lane.shift(); next; next = lane.shift()) {
          if (ctx.signal.aborted) return;
          outcomes.push(await sendOne(ctx, notifications, next, platform, pace));
        }
      };
      await Promise.all(Array.from({ length: Math.min(PER_PLATFORM, lane.length) }, worker));
    }),
  );
  if (ctx.signal.aborted) throw new Error("arrêt du bot pendant l'envoi : les destinataires restants seront servis à la reprise");
  return outcomes;
}

async function sendOne(
  ctx: Pick<JobContext, "deliverOnce">,
  notifications: Notifications,
  { member, reply }: Recipient,
  platform: PlatformName,
  pace: Pace,
): Promise<RecipientOutcome> {
  const onPlatform = { ...member, accounts: member.accounts.filter((a) => fromStorePlatform(a.platform) === platform) };
  let failure: { error: string; lasting: boolean } | undefined;
  let fallback = false;
  // Paced before the Delivery row is written (a row is `sending` only while its message is on its
  // way); whoever an earlier run served gives the token back.
  await pace.take();
  const outcome = await ctx.deliverOnce(`m${member.id}:${platform}`, async () => {
    const result = await notifications.toMember(onPlatform, reply);
    const failed = result.failures[0];
    if (failed) {
      failure = { error: failed.error, lasting: failed.cause === undefined || isLastingFailure(failed.cause) };
      throw new Error(failed.error, { cause: failed.cause });
    }
    fallback = result.fallbacks.length > 0;
  });
  if (outcome === "already-sent") pace.refund();
  return { member, platform, outcome, ...(failure && outcome === "failed" ? failure : {}), ...(fallback ? { fallback } : {}) };
}

/**
 * Whether a platform error will happen again if we retry: a 4xx other than 429 (Discord: missing
 * access, unknown channel; Slack: channel_not_found, not_in_channel…). Rate limits, 5xx and network
 * errors are outages worth retrying. Read from the errors' shapes, so the core imports no platform library.
 */
export function isLastingFailure(cause: unknown): boolean {
  if (cause instanceof DirectMessageUnavailable) return true;
  if (typeof cause !== "object" || cause === null) return false;
  const err = cause as { status?: unknown; statusCode?: unknown; code?: unknown; data?: { error?: unknown } };
  // Slack's WebClient: a platform refusal (ok: false) other than rate limiting is lasting.
  if (err.code === "slack_webapi_platform_error") return err.data?.error !== "ratelimited";
  if (err.code === "slack_webapi_rate_limited_error" || err.code === "slack_webapi_request_error") return false;
  const status = typeof err.status === "number" ? err.status : typeof err.statusCode === "number" ? err.statusCode : undefined;
  if (status === undefined) return false;
  return status >= 400 && status < 500 && status !== 429 && status !== 408;
}
