/**
 * The test-side view of one injected interaction: what the bot answered, how fast, and
 * what users finally see once edits and follow-ups have landed.
 */
import type { APIEmbed } from "discord.js";
import { sleep } from "./http-util.js";
import { findInTree } from "./component-tree.js";
import { messageText } from "./message-content.js";
import type { StoredMessage } from "./store.js";
import type { CapturedFile, EmuComponent, EmuMessage, Snowflake } from "./types.js";
import { MessageFlags } from "./validate.js";

export type InteractionKind = "command" | "button" | "select" | "modal";

/** Interaction callback types (InteractionResponseType). */
export const CallbackType = {
  ChannelMessageWithSource: 4,
  DeferredChannelMessageWithSource: 5,
  DeferredMessageUpdate: 6,
  UpdateMessage: 7,
  ApplicationCommandAutocompleteResult: 8,
  Modal: 9,
} as const;

interface CallbackRecord {
  type: number;
  data: Record<string, unknown> | undefined;
  files: CapturedFile[];
  /** HTTP status the emulator answered. */
  status: number;
  /** Discord error code when refused (40060 already acknowledged, 10062 expired…). */
  errorCode?: number;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface ModalData {
  custom_id: string;
  title: string;
  components: EmuComponent[];
}

interface FinalView {
  /** Callback type the bot answered with (4, 5, 6, 7 or 9). */
  type: number;
  content: string;
  embeds: APIEmbed[];
  components: EmuComponent[];
  flags: number;
  ephemeral: boolean;
  /** The message users see as the answer (reply, edited @original, or updated component message). */
  message: EmuMessage | undefined;
  followUps: EmuMessage[];
  files: CapturedFile[];
  modal: ModalData | undefined;
  /** Every custom id in the message and follow-ups (buttons, selects…). */
  customIds: string[];
  /** Content and embed texts of the message and follow-ups, joined, for `toContain` checks. */
  text: string;
}

interface WaitOptions {
  timeoutMs?: number;
}

interface FinalOptions extends WaitOptions {
  /** Quiet period without any request for this interaction before the view is taken. */
  settleMs?: number;
}

type Waiter = () => void;


export function customIdsOf(message: EmuMessage | undefined): string[] {
  const ids: string[] = [];
  findInTree(message?.components, (c) => {
    if (typeof c.custom_id === "string") ids.push(c.custom_id);
    return false;
  });
  return ids;
}

export class InteractionHandle {
  /** performance.now() when the INTERACTION_CREATE frame was handed to the socket. */
  sentAt: number | undefined;
  /** Accepted callbacks (normally exactly one). */
  readonly callbacks: CallbackRecord[] = [];
  /** Refused callback attempts (double acknowledgement, too late, invalid body…). */
  readonly rejectedCallbacks: CallbackRecord[] = [];
  /** Id of the message `@original` designates (set by the callback). */
  originalId: Snowflake | undefined;
  readonly followUpIds: Snowflake[] = [];
  modal: ModalData | undefined;
  /** Choices returned to an autocomplete interaction. */
  autocompleteChoices: unknown[] | undefined;
  private readonly allFiles: CapturedFile[] = [];
  private lastActivity = performance.now();
  private readonly waiters = new Set<Waiter>();
  private closedReason: string | undefined;

  constructor(
    readonly id: Snowflake,
    readonly token: string,
    readonly kind: InteractionKind,
    /** The raw INTERACTION_CREATE `d` sent to the bot. */
    readonly payload: Record<string, unknown>,
    readonly channelId: Snowflake,
    /** For component / modal-from-message interactions: the message the user acted on. */
    readonly sourceMessageId: Snowflake | undefined,
    private readonly lookup: (id: Snowflake) => StoredMessage | undefined,
    private readonly defaultTimeoutMs: number,
    /** Human description used in timeout errors, e.g. `/ping` or `button "rsvp:yes"`. */
    readonly label: string,
  ) {}

  get acknowledged(): boolean {
    return this.callbacks.length > 0;
  }

  /** Milliseconds between the dispatch leaving the emulator and the (accepted) callback arriving. */
  get responseLatencyMs(): number | undefined {
    const first = this.callbacks[0];
    return first && this.sentAt !== undefined ? first.at - this.sentAt : undefined;
  }

  /** The message `@original` currently designates. */
  get message(): EmuMessage | undefined {
    const stored = this.originalId ? this.lookup(this.originalId) : undefined;
    return stored && !stored.deleted ? stored.message : undefined;
  }

  get followUps(): EmuMessage[] {
    return this.followUpIds
      .map((id) => this.lookup(id))
      .filter((s): s is StoredMessage => s !== undefined && !s.deleted)
      .map((s) => s.message);
  }

  /** Every file uploaded for this interaction (callback, edits, follow-ups), in order. */
  get files(): CapturedFile[] {
    return [...this.allFiles];
  }

  /** Called by the REST side on every request touching this interaction. */
  touch(files: CapturedFile[] = []): void {
    this.allFiles.push(...files);
    this.lastActivity = performance.now();
    for (const w of [...this.waiters]) w();
  }

  /** Makes pending waits fail fast when the emulator shuts down. */
  abort(reason: string): void {
    this.closedReason = reason;
    for (const w of [...this.waiters]) w();
  }

  private waitFor<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    const immediate = check();
    if (immediate !== undefined) return Promise.resolve(immediate);
    return new Promise<T>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = () => {
        if (this.closedReason) {
          done();
          reject(new Error(`${this.label}: ${this.closedReason}`));
          return;
        }
        const value = check();
        if (value !== undefined) {
          done();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(describe()));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private describeTimeout(what: string, timeoutMs: number): string {
    const state = this.sentAt === undefined
      ? "the interaction was never delivered (no bot connected to the gateway?)"
      : this.rejectedCallbacks.length > 0
        ? `refused callbacks: ${this.rejectedCallbacks.map((c) => `type ${c.type} -> ${c.status}${c.errorCode ? ` (${c.errorCode})` : ""}`).join(", ")}`
        : "no callback request was received";
    return `Discord emulator: ${this.label} ${what} within ${timeoutMs} ms; ${state}`;
  }

  /** The first accepted callback (what `reply`, `deferReply`, `update`, `showModal`… sent). */
  response(opts: WaitOptions = {}): Promise<CallbackRecord> {
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    return this.waitFor(() => this.callbacks[0], timeoutMs, () => this.describeTimeout("got no response", timeoutMs));
  }

  /**
   * What the user ends up seeing: waits for the response, for a deferred reply to be
   * filled in, then for `settleMs` without activity (edits, follow-ups) before reading.
   */
  async final(opts: FinalOptions = {}): Promise<FinalView> {
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    const settleMs = opts.settleMs ?? 50;
    const start = performance.now();
    const first = await this.response({ timeoutMs });
    if (first.type === CallbackType.DeferredChannelMessageWithSource) {
      const remaining = Math.max(1, timeoutMs - (performance.now() - start));
      await this.waitFor(
        () => {
          const msg = this.message;
          return msg === undefined || (msg.flags & MessageFlags.Loading) === 0 ? true : undefined;
        },
        remaining,
        () => this.describeTimeout("was deferred but never edited (still \"thinking…\")", timeoutMs),
      );
    }
    for (;;) {
      const quietFor = performance.now() - this.lastActivity;
      if (quietFor >= settleMs) break;
      await sleep(settleMs - quietFor);
    }
    return this.view();
  }

  /** Snapshot of the current visible state, without waiting. */
  view(): FinalView {
    const message = this.message;
    const followUps = this.followUps;
    return {
      type: this.callbacks[0]?.type ?? 0,
      content: message?.content ?? "",
      embeds: message?.embeds ?? [],
      components: message?.components ?? [],
      flags: message?.flags ?? 0,
      ephemeral: ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
      message,
      followUps,
      files: this.files,
      modal: this.modal,
      customIds: [message, ...followUps].flatMap((m) => customIdsOf(m)),
      text: [message, ...followUps].map((m) => messageText(m)).filter((t) => t.length > 0).join("\n"),
    };
  }
}
