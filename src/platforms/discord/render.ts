import { ButtonStyle, ComponentType, MessageFlags, TextInputStyle, type APIEmbed, type APIEmbedField, type APIModalInteractionResponseCallbackData } from "discord.js";
import { toDiscordMarkdown } from "../../bot/markdown.js";
import type { Modal, Reply, ReplyField } from "../../core/reply.js";
import { LIMITS } from "../../core/reply.js";

const TONE_COLOURS = { info: 0x2b6cb0, success: 0x2f855a, warning: 0xc05621, error: 0xc53030 } as const;
const STYLES = { primary: ButtonStyle.Primary, secondary: ButtonStyle.Secondary, success: ButtonStyle.Success, danger: ButtonStyle.Danger } as const;

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Discord's limits for embeds: characters summed over a message's embeds, and embeds per message. */
const EMBED_LIMITS = { total: 6000, embeds: 10, title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024 } as const;

/**
 * The reply's fields that fit in one embed beside its title and description: fields past the
 * 6,000-character total or the 25-field count are replaced by « … et N autres ».
 */
function fitFields(fields: ReplyField[], used: number): APIEmbedField[] {
  const all = fields.map((f) => ({ name: cut(toDiscordMarkdown(f.name), EMBED_LIMITS.fieldName), value: cut(toDiscordMarkdown(f.value || "—"), EMBED_LIMITS.fieldValue), inline: f.inline }));
  const out: APIEmbedField[] = [];
  const summary = (n: number) => ({ name: "…", value: `… et ${n} autres` });
  for (const [i, field] of all.entries()) {
    const rest = all.length - i - 1;
    // Keep room for the summary unless this is the last field.
    const reserve = rest > 0 ? summary(rest).name.length + summary(rest).value.length : 0;
    const fits = used + field.name.length + field.value.length + reserve <= EMBED_LIMITS.total && out.length < EMBED_LIMITS.fields - (rest > 0 ? 1 : 0);
    if (!fits) {
      out.push(summary(all.length - i));
      break;
    }
    out.push(field);
    used += field.name.length + field.value.length;
  }
  return out;
}

/**
 * The neutral reply as a Discord message payload (raw API shapes, which discord.js accepts
 * as they are): plain content for short text, one embed when there is a title or fields.
 */
export function renderMessage(reply: Reply, options: { mentionUsers?: boolean } = {}) {
  const text = reply.text ? toDiscordMarkdown(reply.text) : "";
  const useEmbed = Boolean(reply.title || reply.fields?.length || text.length > 2000);
  const title = reply.title ? cut(toDiscordMarkdown(reply.title), EMBED_LIMITS.title) : undefined;
  const description = text ? cut(text, EMBED_LIMITS.description) : undefined;
  const embeds: APIEmbed[] = useEmbed
    ? [{ title, description, color: TONE_COLOURS[reply.tone ?? "info"], fields: fitFields(reply.fields ?? [], (title?.length ?? 0) + (description?.length ?? 0)) }]
    : [];
  const components = (reply.components ?? []).slice(0, LIMITS.rows).map((row) =>
    "buttons" in row
      ? {
          type: ComponentType.ActionRow as const,
          components: row.buttons.slice(0, LIMITS.buttonsPerRow).map((b) =>
            b.kind === "link"
              ? { type: ComponentType.Button as const, style: ButtonStyle.Link as const, label: cut(b.label, 80), url: b.url }
              : { type: ComponentType.Button as const, style: STYLES[b.style ?? "secondary"], label: cut(b.label, 80), custom_id: b.id, disabled: b.disabled },
          ),
        }
      : {
          type: ComponentType.ActionRow as const,
          components: [
            {
              type: ComponentType.StringSelect as const,
              custom_id: row.select.id,
              placeholder: row.select.placeholder ? cut(row.select.placeholder, 150) : undefined,
              min_values: row.select.minValues,
              max_values: row.select.maxValues,
              options: row.select.options.slice(0, LIMITS.selectOptions).map((o) => ({
                label: cut(o.label, 100),
                value: o.value,
                description: o.description ? cut(o.description, 100) : undefined,
              })),
            },
          ],
        },
  );
  return {
    // Mentions that must notify go in the content: Discord does not ping from inside an embed.
    content: [reply.ping?.join(" "), useEmbed ? "" : text].filter(Boolean).join(" "),
    embeds,
    components,
    files: (reply.files ?? []).map((f) => ({ attachment: f.data, name: f.name, description: f.description })),
    flags: reply.private ? (MessageFlags.Ephemeral as const) : undefined,
    // Replies name people without pinging them; a notification pings exactly the people the bot
    // put in `ping`, never a mention typed into a text, never @everyone or roles.
    allowedMentions: { parse: [] as "users"[], users: options.mentionUsers ? pingedUsers(reply) : [] },
  };
}

/** The user ids of the bot's own ping mentions (`<@123>`). */
function pingedUsers(reply: Reply): string[] {
  return (reply.ping ?? []).flatMap((m) => /^<@!?(\d+)>$/.exec(m)?.[1] ?? []);
}

export function renderModal(modal: Modal): APIModalInteractionResponseCallbackData {
  return {
    custom_id: modal.id,
    title: cut(modal.title, LIMITS.modalTitle),
    components: modal.fields.slice(0, LIMITS.modalFields).map((f) => ({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.TextInput,
          custom_id: f.id,
          // A form opened again after a refusal marks each bad field (the refusal above says why).
          label: cut(f.error ? `⚠️ ${f.label}` : f.label, 45),
          style: f.style === "paragraph" ? TextInputStyle.Paragraph : TextInputStyle.Short,
          required: f.required ?? false,
          value: f.value ? cut(f.value, f.maxLength ?? 4000) : undefined,
          placeholder: f.placeholder ? cut(f.placeholder, 100) : undefined,
          max_length: f.maxLength,
        },
      ],
    })),
  };
}
