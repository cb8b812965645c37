/**
 * What an adapter hands to the router: one neutral shape for a slash command,
 * a button or select, and a form submission, whatever the platform.
 */
import type { PlatformName } from "../platforms/catalog.js";

// The platforms' names come from the catalog; passed on here beside the other neutral types.
export type { PlatformName };

/**
 * Whether a person belongs to the network's space: the configured Discord guild or Slack
 * workspace, as a full member. Guests, people of another guild or organisation, and people who
 * left are not served, and nothing is recorded about them.
 */
export type Membership = "member" | "guest" | "outsider" | "departed";

export interface PlatformUser {
  platform: PlatformName;
  /** Discord snowflake, Slack user id, Matrix user id (« @nom:serveur »), console name. */
  id: string;
  /** Discord guild or Slack team; "" on the console. */
  workspaceId: string;
  displayName: string;
  firstName?: string;
  /**
   * Set when someone acts under this identity without being this person (the console's /as):
   * who really acts, for the audit log (« console, en tant que Nora Petit »).
   */
  impersonatedBy?: string;
  /**
   * Where the event carries only an id (Slack), the full profile is fetched lazily: only when
   * the person is registered on first contact, never on the hot path.
   */
  loadProfile?: () => Promise<Partial<Pick<PlatformUser, "displayName" | "firstName">>>;
  /** Asked by the router before anything else; absent (console): a member. */
  membership?: () => Promise<Membership>;
}

interface BaseInteraction {
  user: PlatformUser;
  channelId: string;
  /** Whether this interaction can still open a form (Discord/Slack can; the console asks line by line). */
  canOpenModal: boolean;
}

export interface CommandInteraction extends BaseInteraction {
  type: "command";
  command: string;
  subcommand?: string;
  /** Raw option values as the platform gave them (strings from text, typed values from Discord). */
  options: Record<string, unknown>;
}

interface ComponentInteraction extends BaseInteraction {
  type: "component";
  customId: string;
  /** Selected values of a select menu. */
  values: string[];
}

export interface ModalInteraction extends BaseInteraction {
  type: "modal";
  customId: string;
  fields: Record<string, string>;
}

export type Interaction = CommandInteraction | ComponentInteraction | ModalInteraction;
