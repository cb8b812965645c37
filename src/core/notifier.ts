import type { Logger } from "../logger.js";
import { idempotencyFor, type SendIdempotency } from "../scheduler/index.js";
import type { InboxService } from "./inbox.js";
import type { PlatformName } from "./interaction.js";
import { fromStorePlatform, type MemberWithAccounts } from "./members.js";
import type { Reply } from "./reply.js";
import type { ChannelUsage, SettingsService } from "./settings.js";
import { platformErrorText } from "./platform-error.js";

/** Where a posted message lives, so it can be edited later (live counts, results). */
export interface MessageRef {
  platform: PlatformName;
  channelId: string;
  messageId: string;
}

/** The person cannot receive private messages from the bot (closed DMs, left the workspace…). */
export class DirectMessageUnavailable extends Error {
  constructor(message = "messages privés fermés") {
    super(message);
    this.name = "DirectMessageUnavailable";
  }
}

/**
 * Sent by a job: the message's delivery key (stable across attempts) and, when an earlier
 * attempt may have reached the platform, since when a copy may exist. Each adapter makes a send
 * with the same key idempotent its own way (Discord: a nonce; Slack: the key in the message's
 * metadata, looked for in the conversation before sending again; console: nothing to do).
 */
export interface SendOptions {
  idempotency?: SendIdempotency;
}

/**
 * What every adapter offers for messages that are not replies: reminders, digests,
 * announcements. Platform errors are retried inside (429, 5xx) by the platform library.
 */
export interface PlatformNotifier {
  readonly platform: PlatformName;
  /** Throws DirectMessageUnavailable when the person cannot be reached privately. */
  dm(externalId: string, reply: Reply, options?: SendOptions): Promise<MessageRef>;
  post(channelId: string, reply: Reply, options?: SendOptions): Promise<MessageRef>;
  edit(ref: MessageRef, reply: Reply): Promise<void>;
  /** How to name someone in a channel message so they are notified. */
  mention(externalId: string): string;
  /** Pins a message in its channel; absent where the platform has no pins (console). */
  pin?(ref: MessageRef): Promise<void>;
  /** The platform's own calendar (Discord's scheduled events), where it has one. */
  scheduledEvents?: ScheduledEvents;
}

/** A meeting as shown in a platform's calendar. */
export interface CalendarEvent {
  name: string;
  description: string;
  start: Date;
  end: Date;
  /** A place or a link. */
  location: string;
}

export interface ScheduledEvents {
  /** Returns the platform's id of the event. */
  create(event: CalendarEvent): Promise<string>;
  update(id: string, event: CalendarEvent): Promise<void>;
  cancel(id: string): Promise<void>;
}

/**
 * How far a notification to a member may travel when their private messages are closed:
 * - public: its content may be posted with a mention in the « rappels » channel (it says nothing
 *   the network may not read anyway, e.g. a copy of an announcement);
 * - private (the default): the channel only gets « @X, le bot a un message privé pour vous… » and
 *   the content waits in the member's inbox (/messages);
 * - secret: nothing anywhere else, not even the mention nor an inbox row, because being reminded at
 *   all reveals something (who has not voted in an anonymous poll).
 */
type Sensitivity = "public" | "private" | "secret";

interface NotifyOptions {
  /** Defaults to "private": content is never posted in a channel unless a feature says it may be. */
  sensitivity?: Sensitivity;
  /** Identifies the notification in the inbox (one row per key and member); by default, its content. */
  inboxKey?: string;
}

/** The only words a channel ever shows for a private message (the mention comes before them). */
const PRIVATE_MESSAGE_WAITING = "le bot a un message privé pour vous : ouvrez vos messages privés ou tapez `/messages`";

export interface MemberDelivery {
  refs: MessageRef[];
  /** Platforms where the DM failed and a mention in the reminder channel was posted instead. */
  fallbacks: PlatformName[];
  /** The content waits in the member's inbox (/messages) because a DM was refused somewhere. */
  inbox: boolean;
  /**
   * Platforms where nothing could be delivered. `cause` is the platform's error, to tell a lasting
   * refusal from an outage; it is absent when the refusal is known to last (closed DMs, no « rappels » channel).
   */
  failures: { platform: PlatformName; error: string; cause?: unknown }[];
}

/**
 * Sends outbound messages through whichever platforms are connected. A feature says "tell this
 * member" or "post to the meetings channel"; each platform resolves where that is. One platform
 * failing never blocks the others.
 */
export class Notifications {
  private readonly notifiers = new Map<PlatformName, PlatformNotifier>();

  constructor(
    private readonly settings: SettingsService,
    private readonly inbox: InboxService,
    private readonly log: Logger,
  ) {}

  register(notifier: PlatformNotifier): void {
    this.notifiers.set(notifier.platform, notifier);
  }

  get platforms(): PlatformName[] {
    return [...this.notifiers.keys()];
  }

  /** The connected platforms that have their own calendar (see PlatformNotifier.scheduledEvents). */
  calendars(): { platform: PlatformName; events: ScheduledEvents }[] {
    return [...this.notifiers.values()].flatMap((n) => (n.scheduledEvents ? [{ platform: n.platform, events: n.scheduledEvents }] : []));
  }

  /**
   * A private message on every connected platform where the member has an account. Where the DM
   * is refused, what happens depends on the sensitivity (see Sensitivity); a channel fallback is
   * only ever the platform's « rappels » channel, never the main one.
   */
  async toMember(member: MemberWithAccounts, reply: Reply, options: NotifyOptions = {}): Promise<MemberDelivery> {
    const sensitivity = options.sensitivity ?? "private";
    const result: MemberDelivery = { refs: [], fallbacks: [], inbox: false, failures: [] };
    const accounts = member.accounts.filter((a) => this.notifiers.has(fromStorePlatform(a.platform)));
    const closed: { platform: PlatformName; externalId: string }[] = [];
    await Promise.all(
      accounts.map(async (account) => {
        const platform = fromStorePlatform(account.platform);
        try {
          result.refs.push(await this.notifiers.get(platform)!.dm(account.externalId, { ...reply, private: false }, sendOptions(`${platform}:dm:${account.externalId}`)));
        } catch (err) {
          if (err instanceof DirectMessageUnavailable) return void closed.push({ platform, externalId: account.externalId });
          this.log.warn({ err, platform, member: member.id }, "message privé en échec");
          result.failures.push({ platform, error: platformErrorText(err), cause: err });
        }
      }),
    );
    if (closed.length === 0) return result;
    if (sensitivity === "secret") {
      for (const { platform } of closed) result.failures.push({ platform, error: "messages privés fermés (message confidentiel : aucun autre envoi)" });
      return result;
    }
    if (sensitivity === "private") {
      await this.inbox.keep(member.id, reply, options.inboxKey);
      result.inbox = true;
    }
    const notice = (mention: string): Reply =>
      sensitivity === "public" ? { ...reply, ping: [...(reply.ping ?? []), mention] } : { text: PRIVATE_MESSAGE_WAITING, ping: [`${mention},`], tone: "info" };
    await Promise.all(closed.map(({ platform, externalId }) => this.mentionInReminders(member.id, platform, notice(this.notifiers.get(platform)!.mention(externalId)), result)));
    return result;
  }

  private async mentionInReminders(memberId: number, platform: PlatformName, notice: Reply, result: MemberDelivery): Promise<void> {
    const channel = await this.settings.channel(platform, "rappels");
    if (!channel) {
      const kept = result.inbox ? " (message gardé dans /messages)" : "";
      result.failures.push({ platform, error: `messages privés fermés et aucun salon « rappels » configuré${kept}` });
      return;
    }
    try {
      result.refs.push(await this.notifiers.get(platform)!.post(channel, { ...notice, private: false }, sendOptions(`${platform}:post:${channel}`)));
      result.fallbacks.push(platform);
    } catch (err) {
      this.log.warn({ err, platform, member: memberId }, "repli sur le salon des rappels en échec");
      result.failures.push({ platform, error: platformErrorText(err), cause: err });
    }
  }

  /** Posts in the channel configured for `usage` on every connected platform that has one. */
  /** `only` limits the post to some platforms (e.g. those where an earlier post failed). */
  async toChannel(
    usage: ChannelUsage,
    reply: Reply,
    only?: readonly PlatformName[],
  ): Promise<{ refs: MessageRef[]; failures: { platform: PlatformName; error: string; cause?: unknown; unconfigured?: boolean }[] }> {
    const refs: MessageRef[] = [];
    const failures: { platform: PlatformName; error: string; cause?: unknown; unconfigured?: boolean }[] = [];
    await Promise.all(
      [...this.notifiers.values()].filter((n) => !only || only.includes(n.platform)).map(async (notifier) => {
        const channel = await this.settings.channel(notifier.platform, usage);
        if (!channel) {
          failures.push({ platform: notifier.platform, error: `aucun salon « ${usage} » configuré (/config canal)`, unconfigured: true });
          return;
        }
        try {
          refs.push(await notifier.post(channel, { ...reply, private: false }, sendOptions(`${notifier.platform}:post:${channel}`)));
        } catch (err) {
          this.log.warn({ err, platform: notifier.platform, usage }, "publication dans un salon en échec");
          failures.push({ platform: notifier.platform, error: platformErrorText(err), cause: err });
        }
      }),
    );
    return { refs, failures };
  }

  /**
   * Pins messages posted earlier, where the platform can; returns the platforms where pinning
   * failed (the message itself stays posted).
   */
  async pin(refs: readonly MessageRef[]): Promise<{ platform: PlatformName; error: string }[]> {
    const failures: { platform: PlatformName; error: string }[] = [];
    await Promise.all(
      refs.map(async (ref) => {
        const notifier = this.notifiers.get(ref.platform);
        if (!notifier?.pin) return;
        try {
          await notifier.pin(ref);
        } catch (err) {
          this.log.warn({ err, ref }, "épinglage d'un message en échec");
          failures.push({ platform: ref.platform, error: platformErrorText(err) });
        }
      }),
    );
    return failures;
  }

  /** Edits messages posted earlier; a platform no longer connected is skipped. */
  async edit(refs: readonly MessageRef[], reply: Reply): Promise<void> {
    await Promise.all(
      refs.map(async (ref) => {
        const notifier = this.notifiers.get(ref.platform);
        if (!notifier) return;
        try {
          await notifier.edit(ref, { ...reply, private: false });
        } catch (err) {
          this.log.warn({ err, ref }, "modification d'un message en échec");
        }
      }),
    );
  }
}

/** The idempotency of a message sent from inside a job's delivery (none for a command's own messages). */
function sendOptions(destination: string): SendOptions | undefined {
  const idempotency = idempotencyFor(destination);
  return idempotency && { idempotency };
}
