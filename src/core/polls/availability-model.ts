/**
 * A practice-analysis availability poll as stored with its slots, and what its rules return: the
 * vocabulary shared by the service (availability.ts) and the views (availability-views.ts).
 */
import type { Prisma } from "../../store/index.js";
import type { PostingFailure } from "../publication.js";

export type PollWithSlots = Prisma.AvailabilityPollGetPayload<{ include: { slots: true } }>;
type Slot = PollWithSlots["slots"][number];

/** The three answers a member gives each slot, in the order they are offered. */
export const ANSWER_KEYS = ["oui", "sibesoin", "non"] as const;
export type Answer = (typeof ANSWER_KEYS)[number];
export const isAnswer = (v: string): v is Answer => (ANSWER_KEYS as readonly string[]).includes(v);

export interface SlotCount {
  position: number;
  slotId: number;
  startsAt: Date;
  endsAt: Date;
  oui: number;
  sibesoin: number;
  non: number;
}

/** One member's answers to an open poll, slot id → answer. */
export interface AnswerSheet {
  poll: PollWithSlots;
  mine: Map<number, Answer>;
}

/** Who answered what: every answer, with the names of those who gave them. */
export interface AnswerDetails {
  poll: PollWithSlots;
  answers: { slotId: number; memberId: number; answer: string }[];
  names: Map<number, string>;
  /** The slot that leads while the poll is open; null once closed. */
  leading: number | null;
}

/** What became of the meeting of the chosen slot. */
export type MeetingOutcome =
  | { kind: "none" }
  | { kind: "exists" }
  | { kind: "failed-before"; reason: string }
  | { kind: "created"; title: string; summary?: string }
  | { kind: "not-created"; reason: string }
  | { kind: "moved"; summary?: string }
  | { kind: "not-moved"; error: string };

/** /analyse choisir: the slot retained, before closing (closed now) or after (switched to it). */
export interface ChoiceOutcome {
  kind: "closed" | "switched";
  position: number;
  slot: Slot;
  meeting: MeetingOutcome;
  /** Where posting the result (or the change) failed, if it was posted. */
  failures: readonly PostingFailure[] | null;
}
