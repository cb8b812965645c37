/** What tests pass to start the Slack emulator and to act as its users. */
import type { InputValue } from "./blocks.js";
import type { AddChannelOptions, AddUserOptions, ApiCall, JsonObject, SlackMessage, ViewRecord } from "./types.js";

export interface SlackEmulatorOptions {
  teamDomain?: string;
  botName?: string;
  /** Time the app has to ack before `handle.ack()` rejects (Slack: 3000 ms). */
  ackTimeoutMs?: number;
  /** Lifetime of trigger_ids for views.open/push (Slack: 3000 ms). */
  triggerTtlMs?: number;
  /** Quiet period after which `handle.final()` considers the app done (default 60 ms). */
  settleMs?: number;
  /** Make the server ping Socket Mode clients at this interval (off by default). */
  serverPingIntervalMs?: number;
  /** Scopes granted to the bot token (`x-oauth-scopes`); default: those of the project's manifest, as installed from it. */
  botScopes?: readonly string[];
  /** Default human user and channel (created at start). */
  defaultUser?: AddUserOptions;
  defaultChannel?: AddChannelOptions;
}

/** Common to everything a test makes Slack send. */
export interface SendVia {
  /** Send to an HTTP-mode app (signed POST to this URL) instead of over Socket Mode. */
  httpUrl?: string;
}

export interface SlashCommandArgs extends SendVia {
  userId?: string;
  command: string;
  text?: string;
  channelId?: string;
}

export interface ClickButtonArgs extends SendVia {
  userId?: string;
  actionId: string;
  /** Defaults to the element's value in the message. */
  value?: string;
  blockId?: string;
  /** The message holding the button (a SlackMessage from the emulator, or its ts). Default: the latest visible one that has `actionId`. */
  message?: SlackMessage | { ts: string; channel?: string };
  channelId?: string;
  /** Click inside a modal/home view instead of a message. */
  view?: ViewRecord | string;
}

export interface SelectOptionArgs extends Omit<ClickButtonArgs, "value"> {
  /** Selected option value(s); for multi selects / checkboxes give an array. */
  value?: string | string[];
  /** Slack-style alternative: [{ value }] (text is looked up in the element's options). */
  selected_options?: Array<string | { value: string }>;
}

export interface SubmitViewArgs extends SendVia {
  userId?: string;
  /** The view (record, id, or a definition not opened through the emulator). Default: the user's top modal. */
  view?: ViewRecord | string | JsonObject;
  /** { block_id: { action_id: value } }; value = string, string[] (multi), null, or Slack's exact state object. */
  values?: Record<string, Record<string, InputValue>>;
}

export interface WaitForCallOptions {
  where?: (call: ApiCall) => boolean;
  /** Only calls recorded after this emulator sequence number (see `emu.seq`). */
  since?: number;
  timeoutMs?: number;
}
