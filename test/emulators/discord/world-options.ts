/** What tests pass to build the emulated world and to act as its users. */
import type { InteractionHandle } from "./interaction-handle.js";
import type { CommandOptionInput, EmuMessage, Snowflake } from "./types.js";

export interface AddUserOptions {
  id?: Snowflake;
  username: string;
  globalName?: string | null;
  /** Refuses DMs from the bot: posting in their DM channel answers 403 / 50007. */
  dmsClosed?: boolean;
  /** Also a member of the guild (default true). */
  member?: boolean;
  roles?: Snowflake[];
  nick?: string | null;
  locale?: string;
  bot?: boolean;
}

export interface SendCommandOptions {
  userId: Snowflake;
  /** Defaults to the `général` channel (or the user's DM channel with `dm: true`). */
  channelId?: Snowflake;
  dm?: boolean;
  name: string;
  /** `"sub"` or `"group sub"`. */
  subcommand?: string;
  options?: Record<string, CommandOptionInput>;
  locale?: string;
  /** Sent from another guild where the application is also installed (the user is a member there). */
  guildId?: Snowflake;
}

export interface ComponentInteractionOptions {
  userId: Snowflake;
  customId: string;
  /** Message carrying the component; defaults to the newest message that has it. */
  message?: EmuMessage | Snowflake;
  /** Sent from another guild where the application is also installed. */
  guildId?: Snowflake;
}

export interface SelectMenuOptions extends ComponentInteractionOptions {
  values: string[];
}

export interface SubmitModalOptions {
  userId: Snowflake;
  customId: string;
  fields: Record<string, string | string[]>;
  /** The interaction that showed the modal; defaults to the newest one that showed `customId`. */
  from?: InteractionHandle;
  channelId?: Snowflake;
}
