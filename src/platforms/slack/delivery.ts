// Exactly once on Slack, which has no idempotency key on chat.postMessage: a job's message carries
// its delivery key in the message metadata, and before sending again a delivery an earlier attempt
// may have made, the conversation since then is read for a message with that key.
import type { WebClient } from "@slack/web-api";

/** The metadata event type of the bot's job messages (Slack: letters, digits, underscores). */
export const DELIVERY_EVENT = "promeneurs_delivery";

/** Pages read at most: a delivery is resumed within minutes, a conversation does not get thousands of messages meanwhile. */
const MAX_PAGES = 10;

/** The ts of the bot's message carrying `key` in `channelId` since `since`, if there is one. */
export async function findKeyedMessage(client: WebClient, channelId: string, key: string, since: Date): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const history = await client.conversations
      .history({ channel: channelId, oldest: (since.getTime() / 1000).toFixed(6), include_all_metadata: true, limit: 200, ...(cursor && { cursor }) })
      .catch((err: unknown) => {
        // An app installed before these scopes existed: say what to do rather than guess and maybe send twice.
        if ((err as { data?: { error?: string } }).data?.error === "missing_scope") {
          throw new Error("Slack ne laisse pas le bot relire la conversation pour vérifier un envoi interrompu : réinstallez l'application avec le manifeste à jour (npm run slack:manifest).", { cause: err });
        }
        throw err;
      });
    const found = history.messages?.find((m) => m.metadata?.event_type === DELIVERY_EVENT && (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key);
    if (found?.ts) return found.ts;
    cursor = history.response_metadata?.next_cursor || undefined;
    if (!history.has_more || !cursor) return undefined;
  }
  return undefined;
}
