/**
 * The handle a test gets back when Slack "sends" something to the app: it exposes the ack,
 * its latency, and what the app did afterwards (response_url posts, views, messages).
 */
import { WAIT_CEILING_MS } from "../wait.js";
import { performance } from "node:perf_hooks";
import type { Interaction, Workspace } from "./state.js";
import type { AckPayload, JsonObject, ResponseUrlPost, SlackMessage, ViewRecord } from "./types.js";

interface FinalOptions {
  /** How long nothing must happen before the bot is considered done (default: the emulator's settleMs). */
  settleMs?: number;
  /** Keep waiting until the latest visible message satisfies this (e.g. skip a "loading…" ack). */
  until?: (msg: SlackMessage) => boolean;
  timeoutMs?: number;
}

interface HandleContext {
  ws: Workspace;
  ackTimeoutMs: number;
  settleMs: number;
}

export class InteractionHandle {
  private ackValue: AckPayload | undefined;
  private ackError: Error | undefined;
  private latency: number | undefined;
  private readonly ackPromise: Promise<AckPayload>;
  private settle!: { resolve(p: AckPayload): void; reject(e: Error): void };
  private readonly createdAt = performance.now();

  constructor(
    private readonly ctx: HandleContext,
    readonly interaction: Interaction,
    /** The payload exactly as sent to the app. */
    readonly payload: JsonObject,
    /** Socket Mode envelope id (undefined in HTTP mode). */
    readonly envelopeId?: string,
  ) {
    this.ackPromise = new Promise<AckPayload>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Rejections are surfaced through ack(); avoid an unhandled rejection when a test never awaits it.
    this.ackPromise.catch(() => undefined);
  }

  get triggerId(): string | undefined {
    return this.interaction.triggerId;
  }

  get responseUrl(): string | undefined {
    return this.interaction.responseUrl;
  }

  /** @internal called by the emulator once the app acknowledged (effects already applied). */
  resolveAck(payload: AckPayload, latencyMs: number): void {
    if (this.ackValue !== undefined || this.ackError) return;
    this.ackValue = payload;
    this.latency = latencyMs;
    this.settle.resolve(payload);
  }

  /** @internal */
  rejectAck(err: Error): void {
    if (this.ackValue !== undefined || this.ackError) return;
    this.ackError = err;
    this.settle.reject(err);
  }

  get acked(): boolean {
    return this.ackValue !== undefined;
  }

  /**
   * The ack payload (`{}` for a bare `ack()`, `{ text }` for `ack("text")`). Rejects if the app
   * does not ack within the emulator's ackTimeoutMs (3 s, Slack's limit) from the send.
   */
  ack(): Promise<AckPayload> {
    if (this.ackValue !== undefined) return Promise.resolve(this.ackValue);
    if (this.ackError) return Promise.reject(this.ackError);
    const remaining = this.ctx.ackTimeoutMs - (performance.now() - this.createdAt);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new Error(
          `Slack emulator: ${this.interaction.kind} ${describe(this.payload)} was not acknowledged within ${this.ctx.ackTimeoutMs} ms ` +
            `(Slack would show "operation_timeout" to the user)`,
        );
        this.ctx.ws.problem(err.message);
        this.rejectAck(err);
        reject(err);
      }, Math.max(0, remaining));
    });
    return Promise.race([this.ackPromise, timeout]).finally(() => clearTimeout(timer));
  }

  /** The ack payload; throws if the app has not acked yet. */
  get ackPayload(): AckPayload {
    if (this.ackValue === undefined) throw new Error("Slack emulator: not acknowledged yet (await handle.ack() first)");
    return this.ackValue;
  }

  /** Milliseconds from the envelope being sent to its ack being received. Throws before the ack. */
  get ackLatencyMs(): number {
    if (this.latency === undefined) throw new Error("Slack emulator: not acknowledged yet (await handle.ack() first)");
    return this.latency;
  }

  /** Posts the app made to this interaction's response_url (respond()). */
  get responses(): ResponseUrlPost[] {
    return this.interaction.responses;
  }

  /** Views opened or pushed with this interaction's trigger_id (or pushed by its response_action). */
  get openedViews(): ViewRecord[] {
    const t = this.interaction.triggerId;
    return t === undefined ? [] : this.ctx.ws.views.filter((v) => v.triggerId === t);
  }

  /** Messages visible to the user in the interaction's channel, created or changed since it was sent. */
  visibleChanges(): SlackMessage[] {
    const { channelId, userId, startSeq } = this.interaction;
    if (!channelId) return [];
    return this.ctx.ws
      .visibleMessages(channelId, userId)
      .filter((m) => m.seq > startSeq)
      .sort((a, b) => a.seq - b.seq);
  }

  /**
   * Waits for the ack and for the app to go quiet, then returns the latest message the user sees in
   * the channel among what the interaction produced: the ack payload, respond()/response_url posts,
   * chat.* calls (including updates of an older message). Throws if there is none.
   */
  async final(opts: FinalOptions = {}): Promise<SlackMessage> {
    const settleMs = opts.settleMs ?? this.ctx.settleMs;
    const timeoutMs = opts.timeoutMs ?? WAIT_CEILING_MS;
    const started = performance.now();
    await this.ack();
    for (;;) {
      await this.ctx.ws.idle(settleMs, Math.max(1, timeoutMs - (performance.now() - started)));
      const latest = this.visibleChanges().at(-1);
      if (latest && (!opts.until || opts.until(latest))) return latest;
      // Nothing visible yet is not an answer: on a loaded machine the bot may be quiet for longer
      // than one settle window before it speaks. Only the deadline decides.
      if ((latest && !opts.until) || performance.now() - started > timeoutMs) {
        const calls = this.ctx.ws.calls
          .filter((c) => c.seq > this.interaction.startSeq)
          .map((c) => `${c.method}${c.ok ? "" : `(${c.error})`}`);
        throw new Error(
          `Slack emulator: ${latest ? "no message matched `until`" : "no visible message"} after ${this.interaction.kind} ` +
            `${describe(this.payload)}; API calls since: [${calls.join(", ")}]; response_url posts: ${this.responses.length}`,
        );
      }
      // Nothing yet, or `until` not satisfied yet: wait for more activity.
      await new Promise((r) => setTimeout(r, settleMs));
    }
  }
}

function describe(p: JsonObject): string {
  if (typeof p.command === "string") return `${p.command} ${String(p.text ?? "")}`.trim();
  if (p.type === "block_actions" && Array.isArray(p.actions)) return `block_actions(${String((p.actions[0] as JsonObject)?.action_id)})`;
  if (p.type === "view_submission") return `view_submission(${String((p.view as JsonObject)?.callback_id)})`;
  if (p.type === "event_callback") return `event(${String((p.event as JsonObject)?.type)})`;
  return String(p.type ?? "payload");
}
