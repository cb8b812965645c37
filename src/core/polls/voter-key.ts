/**
 * How a voter is stored: HMAC-SHA256(poll salt, member id), enough to refuse a double vote and
 * to let someone change their vote, never their name. Alone in its file so the member merge
 * (src/core/member-merge.ts) can re-key votes without depending on the polls feature.
 */
import { createHmac } from "node:crypto";

/** The stored voter key: HMAC-SHA256(salt, "member:<id>"), base64url. */
export function voterKey(saltHex: string, memberId: number): string {
  return createHmac("sha256", Buffer.from(saltHex, "hex")).update(`member:${memberId}`).digest("base64url");
}

/** The key a reminder's delivery is recorded under: for an anonymous poll another HMAC, so no list of non-voters exists. */
export function reminderRecipient(poll: { anonymous: boolean; voterSalt: string }, memberId: number): string {
  if (!poll.anonymous) return `member:${memberId}`;
  return `anon:${createHmac("sha256", Buffer.from(poll.voterSalt, "hex")).update(`rappel:${memberId}`).digest("base64url").slice(0, 22)}`;
}
