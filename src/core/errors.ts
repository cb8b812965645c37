import { randomBytes } from "node:crypto";

/**
 * An error whose message is meant for the user, in French. Handlers throw it to refuse
 * an action; the router shows the message privately and nothing is written.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

/** One refused field: its name as the user knows it, what is wrong, and the expected form. */
export interface FieldProblem {
  field: string;
  message: string;
  expected?: string;
  /** The form field it is about (its id), when the name differs from the field's label. */
  input?: string;
}

/**
 * A refusal of several fields at once, in French, naming each one and its expected form.
 * Every entry point (command options, forms, scripts) refuses this way; nothing is written.
 */
export class FieldsRefused extends UserError {
  constructor(
    readonly problems: FieldProblem[],
    closing = "Rien n'a été enregistré.",
  ) {
    const lines = problems.map((p) => {
      const stop = /[.!?…]$/.test(p.message) ? "" : ".";
      return `• **${p.field}** : ${p.message}${stop}${p.expected ? ` Forme attendue : ${p.expected}.` : ""}`;
    });
    const head = problems.length > 1 ? "Ces valeurs ne conviennent pas :" : "Cette valeur ne convient pas :";
    super(`${head}\n${lines.join("\n")}\n${closing}`);
    this.name = "FieldsRefused";
  }
}

// Crockford-like alphabet: no 0/O or 1/I confusion when a user reads a reference aloud.
const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** A short reference a user can quote; the same string is logged with the stack. */
export function newErrorReference(): string {
  const bytes = randomBytes(6);
  let ref = "";
  for (const b of bytes) ref += ALPHABET[b % ALPHABET.length];
  return ref;
}

export function internalErrorMessage(ref: string): string {
  return `Une erreur est survenue (réf. ${ref}). L'animateur peut la retrouver avec cette référence.`;
}
