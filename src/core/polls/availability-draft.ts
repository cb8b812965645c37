/**
 * What /analyse planifier typed, read and checked: the slots, the closing, and where the chosen
 * slot's meeting will take place. Every bad field is named in one refusal; nothing is written.
 */
import { PLACE_OR_VISIO_MISSING } from "../meetings/place.js";
import { splitList } from "../text-lists.js";
import { InputRefused, type Problem } from "./common.js";
import { parseDuration } from "../date-input.js";
import { parseClosing, parseSlot } from "./when.js";
import { plural } from "../../shared/plural.js";

export const AVAILABILITY_LIMITS = { slots: { min: 2, max: 8 }, titleLength: 100, defaultMinutes: 180 } as const;

export interface AvailabilityDraft {
  title: string;
  /** Where the chosen slot's meeting takes place: a place, a visio link or both (checked like /rencontre creer). */
  place: string | null;
  visioUrl: string | null;
  capacity: number | null;
  slots: { startsAt: Date; endsAt: Date; reading: string }[];
  closesAt: Date;
  closingReading: string;
}

interface AvailabilityInput {
  title?: string;
  slots: string;
  closing: string;
  duration?: string;
  /** Already checked by the option rules of src/core/meetings/place.ts. */
  place?: string;
  visio?: string;
  capacity?: number;
}

export function parseAvailabilityDraft(input: AvailabilityInput, now: Date, timeZone: string): AvailabilityDraft {
  const problems: Problem[] = [];
  const title = (input.title ?? "").trim() || "Analyse de pratique";
  const place = input.place?.trim() || null;
  const visioUrl = input.visio?.trim() || null;
  if (!place && !visioUrl) problems.push({ ...PLACE_OR_VISIO_MISSING });
  if (title.length > AVAILABILITY_LIMITS.titleLength) problems.push({ field: "titre", message: `${AVAILABILITY_LIMITS.titleLength} caractères au plus` });
  let minutes: number = AVAILABILITY_LIMITS.defaultMinutes;
  if (input.duration?.trim()) {
    const d = parseDuration(input.duration);
    if (d.ok) minutes = d.value;
    else problems.push({ field: "duree", message: d.error, expected: "une durée comme « 3h » ou « 2h30 »" });
  }
  const closing = parseClosing(input.closing, now, timeZone);
  if (!closing.ok) problems.push({ field: "cloture", message: closing.error, expected: "une date à venir, par exemple « vendredi 18h »" });
  const texts = splitList(input.slots);
  const expected = "des créneaux séparés par « ; », par exemple « mardi 10 mars 9h ; jeudi 12 mars de 14h à 17h »";
  const slots: AvailabilityDraft["slots"] = [];
  if (texts.length < AVAILABILITY_LIMITS.slots.min || texts.length > AVAILABILITY_LIMITS.slots.max) {
    problems.push({ field: "creneaux", message: `de ${AVAILABILITY_LIMITS.slots.min} à ${AVAILABILITY_LIMITS.slots.max} créneaux (${plural(texts.length, "donné", "donnés")})`, expected });
  } else {
    texts.forEach((text, i) => {
      if (!text) return void problems.push({ field: "creneaux", message: `le créneau ${i + 1} est vide (deux « ; » à la suite ?)`, expected });
      const slot = parseSlot(text, now, timeZone, minutes);
      if (!slot.ok) return void problems.push({ field: "creneaux", message: `créneau ${i + 1} : ${slot.error}` });
      const twin = slots.findIndex((s) => s.startsAt.getTime() === slot.value.startsAt.getTime());
      if (twin >= 0) return void problems.push({ field: "creneaux", message: `les créneaux ${twin + 1} et ${i + 1} commencent au même moment (${slot.value.reading})` });
      if (closing.ok && slot.value.startsAt.getTime() <= closing.value.at.getTime()) {
        problems.push({ field: "creneaux", message: `le créneau ${i + 1} (${slot.value.reading}) commence avant la clôture (${closing.value.reading}) : les réponses doivent être closes avant` });
      }
      slots.push(slot.value);
    });
  }
  if (problems.length || !closing.ok) throw new InputRefused(problems);
  return { title, place, visioUrl, capacity: input.capacity ?? null, slots, closesAt: closing.value.at, closingReading: closing.value.reading };
}
