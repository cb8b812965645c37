/**
 * Where a meeting is shown: its post in the « rencontres » channel of each connected platform,
 * edited in place at each answer, and its event in the platforms' calendars.
 */
import type { PlatformName } from "../interaction.js";
import { platformErrorText } from "../platform-error.js";
import { isLastingFailure } from "./delivery.js";
import { canSeeMeeting, THE_NETWORK, type MeetingRecord } from "./model.js";
import { schedulePublishRetry } from "./planning.js";
import type { MeetingReads } from "./reading.js";
import { calendarEvent, meetingCard } from "./views.js";

export interface PublishResult {
  posted: PlatformName[];
  /** Platforms where the meeting could not be shown, and why (French). */
  problems: { platform: PlatformName; error: string }[];
}

export class MeetingPosts {
  private readonly refreshes = new Map<number, { again: boolean; done: Promise<void> }>();

  constructor(private readonly reads: MeetingReads) {}

  private get deps() {
    return this.reads.deps;
  }

  /**
   * Shows the meeting in the « rencontres » channel of each connected platform that does not
   * show it yet, and mirrors it in the platforms' calendars. A post that failed for an outage is
   * tried again later by a job; a missing channel is reported to the animator instead.
   */
  async publish(meetingId: number): Promise<PublishResult & { retry: boolean }> {
    const { db, notifications, clock } = this.deps;
    const meeting = await this.reads.require(meetingId, "bot");
    const result: PublishResult & { retry: boolean } = { posted: [], problems: [], retry: false };
    // The team's own meetings (steering committee, Caf points) are not announced to the network.
    if (meeting.status === "cancelled" || !canSeeMeeting(THE_NETWORK, meeting)) return result;
    const posts = await db.meetingPost.findMany({ where: { meetingId, kind: "post" } });
    const missing = notifications.platforms.filter((p) => !posts.some((post) => post.platform === p));
    if (missing.length > 0) {
      const card = meetingCard(meeting, this.reads.counts(await this.reads.roster(meetingId)), clock.now(), this.deps.timeZone);
      const { refs, failures } = await notifications.toChannel("rencontres", card, missing);
      for (const ref of refs) {
        await db.meetingPost.create({
          data: { meetingId, platform: ref.platform, kind: "post", channelId: ref.channelId, externalId: ref.messageId, createdAt: clock.now() },
        });
        result.posted.push(ref.platform);
      }
      for (const f of failures) {
        result.problems.push({ platform: f.platform, error: f.error });
        if (!f.unconfigured && !isLastingFailure(f.cause)) result.retry = true;
      }
    }
    result.problems.push(...(await this.syncCalendars(meeting)));
    if (result.retry) await schedulePublishRetry(this.deps.jobs, meeting, clock.now());
    return result;
  }

  /**
   * Edits the meeting's posts to show its current state. Concurrent calls for one meeting
   * coalesce: while an edit runs, the next one waits and then reads the latest answers, so the
   * last edit always shows the last state.
   */
  refreshPosts(meetingId: number): Promise<void> {
    const running = this.refreshes.get(meetingId);
    if (running) {
      running.again = true;
      return running.done;
    }
    const state = { again: false, done: Promise.resolve() };
    state.done = (async () => {
      try {
        do {
          state.again = false;
          await this.editPosts(meetingId).catch((err: unknown) => this.deps.log.warn({ err, meetingId }, "mise à jour des messages de la rencontre échouée"));
        } while (state.again);
      } finally {
        this.refreshes.delete(meetingId);
      }
    })();
    this.refreshes.set(meetingId, state);
    return state.done;
  }

  private async editPosts(meetingId: number): Promise<void> {
    const meeting = await this.reads.get(meetingId);
    if (!meeting) return;
    const posts = await this.deps.db.meetingPost.findMany({ where: { meetingId, kind: "post" } });
    if (posts.length === 0) return;
    const card = meetingCard(meeting, this.reads.counts(await this.reads.roster(meetingId)), this.deps.clock.now(), this.deps.timeZone);
    await this.deps.notifications.edit(
      posts.map((p) => ({ platform: p.platform as PlatformName, channelId: p.channelId, messageId: p.externalId })),
      card,
    );
  }

  /** Creates, updates or cancels the meeting's event in each platform calendar; problems are returned, never thrown. */
  async syncCalendars(meeting: MeetingRecord): Promise<PublishResult["problems"]> {
    const { db, notifications, clock, log } = this.deps;
    const problems: PublishResult["problems"] = [];
    for (const { platform, events } of notifications.calendars()) {
      const row = await db.meetingPost.findUnique({ where: { meetingId_platform_kind: { meetingId: meeting.id, platform, kind: "event" } } });
      try {
        if (meeting.status === "cancelled") {
          if (row) await events.cancel(row.externalId);
        } else if (row) {
          await events.update(row.externalId, calendarEvent(meeting));
        } else if (meeting.startsAt > clock.now() && canSeeMeeting(THE_NETWORK, meeting)) {
          const id = await events.create(calendarEvent(meeting));
          await db.meetingPost.create({ data: { meetingId: meeting.id, platform, kind: "event", channelId: "", externalId: id, createdAt: clock.now() } });
        }
      } catch (err) {
        log.warn({ err, platform, meetingId: meeting.id }, "événement du calendrier de la plateforme non synchronisé");
        problems.push({ platform, error: `événement du calendrier non synchronisé (${platformErrorText(err)})` });
      }
    }
    return problems;
  }
}
