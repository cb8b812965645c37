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
