/**
 * The step from a chosen practice-analysis slot to a meeting with its reminders belongs to the
 * meetings feature (src/core/meetings/). This is the one place it is called through, so the
 * availability poll does not depend on how meetings are stored.
 *
 * The app always connects it (the polls feature needs the meetings feature). Should it be
 * missing, the chosen slot is announced and the animator is told plainly that the meeting was
 * NOT created and must be created with /rencontre — never presented as done.
 */
import type { ComponentRow } from "../reply.js";

export interface PracticeMeetingInput {
  /** « Analyse de pratique » (or the animator's title). */
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  visioUrl: string | null;
  /** Seats (null: no limit). */
  capacity: number | null;
  /** The animator who planned the availability poll (Member.id). */
  organizerId: number | null;
  /** Stable identity of the request (« availability:12 »): a retry must not create a second meeting. */
  source: string;
}

export interface PracticeMeetings {
  /** Creates an « analyse de pratique » meeting with its reminders; returns its id and how to show it. */
  create(input: PracticeMeetingInput): Promise<{ id: string; summary?: string }>;
  /** Moves the meeting created earlier to another slot (the animator chose again after closing). */
  move(id: string, input: PracticeMeetingInput): Promise<{ summary?: string }>;
  /** The members who have answered the meeting already (the meetings feature keeps them informed). */
  answered(id: string): Promise<number[]>;
  /**
   * Answers « Je viens » for the member, as their own button would: on the waiting list when the
   * seats are taken. A refusal (meeting started, cancelled…) is thrown as a UserError in French.
   */
  register(id: string, memberId: number): Promise<{ waitlisted: boolean; position?: number }>;
  /** The meeting's own answer buttons, for a message about it. */
  answerButtons(id: string): ComponentRow;
}

export class MeetingsNotConnected extends Error {
  constructor() {
    super("le module des rencontres n'est pas branché : la rencontre n'a pas été créée");
    this.name = "MeetingsNotConnected";
  }
}
