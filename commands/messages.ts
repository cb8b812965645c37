import { defineCommand, sub } from "../src/bot/command.js";
import { formatDateTime } from "../src/core/dates.js";
import type { InboxEntry } from "../src/core/inbox.js";
import { LIMITS, type ComponentRow, type ReplyField } from "../src/core/reply.js";
import { plural } from "../src/shared/plural.js";

/** Five messages of at most 900 characters under 150-character headings keep the reply under Discord's 6,000 per embed. */
const SHOWN = 5;
const MESSAGE_LENGTH = 900;
const HEADING_LENGTH = 150;

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function asField(entry: InboxEntry, timeZone: string): ReplyField {
  const badge = entry.readAt === null ? "🆕 " : "";
  const title = entry.title ? ` — ${entry.title}` : "";
  return { name: cut(`${badge}${formatDateTime(entry.createdAt, timeZone)}${title}`, HEADING_LENGTH), value: cut(entry.text || "—", MESSAGE_LENGTH) };
}

/**
 * The buttons of the messages shown (a vote, an RSVP…), newest first, as many rows as a reply
 * holds. Two messages can carry the same button (two reminders of one step): a platform refuses
 * a message with a component id twice, so each id is kept once.
 */
function buttonsOf(entries: readonly InboxEntry[]): ComponentRow[] {
  const seen = new Set<string>();
  const fresh = (id: string) => !seen.has(id) && Boolean(seen.add(id));
  const rows = entries.flatMap((e) => e.components).flatMap((row): ComponentRow[] => {
    if ("select" in row) return fresh(row.select.id) ? [row] : [];
    const buttons = row.buttons.filter((b) => b.kind === "link" || fresh(b.id));
    return buttons.length ? [{ buttons }] : [];
  });
  return rows.slice(0, LIMITS.rows);
}

/**
 * The member's inbox: private messages of the bot that could not reach their DMs. Always a
 * private reply; reading marks them read.
 */
export default defineCommand({
  name: "messages",
  description: "Vos messages privés du bot en attente (quand vos messages privés sont fermés)",
  subcommands: [
    sub({
      name: "",
      description: "Vos messages privés du bot en attente, les plus récents d'abord",
      options: {},
      async run({ member, services, timeZone }) {
        const { entries, unreadLeft, readBefore } = await services.inbox.read(member.id, SHOWN);
        if (entries.length === 0) return { text: "Aucun message en attente : le bot vous écrit en privé quand il a quelque chose pour vous.", private: true };
        const more = [
          unreadLeft > 0 ? `${plural(unreadLeft, "autre message non lu", "autres messages non lus")} : tapez de nouveau \`/messages\`.` : "",
          readBefore > 0 ? `Et ${plural(readBefore, "plus ancien, déjà lu", "plus anciens, déjà lus")}.` : "",
        ].filter(Boolean);
        return {
          title: "Vos messages",
          text: more.length ? more.join("\n") : undefined,
          fields: entries.map((e) => asField(e, timeZone)),
          components: buttonsOf(entries),
          private: true,
        };
      },
    }),
  ],
});
