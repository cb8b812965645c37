import { createHash } from "node:crypto";
import type { CalendarEvent, SendOptions } from "../../core/notifier.js";

// The bodies the Discord adapter sends besides rendered replies: scheduled events and delivery nonces.

/** An external event (entity type 3: a place or a link), visible to the server's members (privacy 2), within Discord's lengths. */
export function scheduledEventBody(e: CalendarEvent) {
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  return {
    name: cut(e.name, 100),
    description: cut(e.description, 1000),
    scheduled_start_time: e.start.toISOString(),
    scheduled_end_time: e.end.toISOString(),
    privacy_level: 2,
    entity_type: 3,
    entity_metadata: { location: cut(e.location, 100) },
  };
}

/**
 * A job's message carries a nonce derived from its delivery key, with enforce_nonce: Discord then
 * answers a resend of the same nonce (within a few minutes) with the message already created
 * instead of a second one, so a delivery retried after a crash arrives once. Discord nonces are
 * at most 25 characters: the key's hash, cut (the key itself is longer).
 */
export function nonceOf(options: SendOptions | undefined): { nonce?: string; enforceNonce?: boolean } {
  const key = options?.idempotency?.key;
  if (key === undefined) return {};
  return { nonce: createHash("sha256").update(key).digest("base64url").slice(0, 25), enforceNonce: true };
}
