import { ButtonStyle, ComponentType, MessageFlags, TextInputStyle, type APIEmbed, type APIModalInteractionResponseCallbackData } from "discord.js";
import type { Modal, Reply } from "../../core/reply.js";
import { LIMITS } from "../../core/reply.js";

const TONE_COLOURS = { info: 0x2b6cb0, success: 0x2f855a, warning: 0xc05621, error: 0xc53030 } as const;
const STYLES = { primary: ButtonStyle.Primary, secondary: ButtonStyle.Secondary, success: ButtonStyle.Success, danger: ButtonStyle.Danger } as const;

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The neutral reply as a Discord message payload (raw API shapes, which discord.js accepts
 * as they are): plain content for short text, an embed when there is a title or fields.
 */
export function renderMessage(reply: Reply, options: { mentionUsers?: boolean } = {}) {
  const useEmbed = Boolean(reply.title || reply.fields?.length || (reply.text && reply.text.length > 2000));
  const embeds: APIEmbed[] = useEmbed
    ? [
        {
          title: reply.title ? cut(reply.title, 256) : undefined,
          description: reply.text ? cut(reply.text, 4096) : undefined,
          color: TONE_COLOURS[reply.tone ?? "info"],
          fields: reply.fields?.slice(0, LIMITS.fields).map((f) => ({ name: cut(f.name, 256), value: cut(f.value || "—", 1024), inline: f.inline })),
        },
      ]
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
    content: [reply.ping?.join(" "), useEmbed ? "" : reply.text ?? ""].filter(Boolean).join(" "),
    embeds,
    components,
    files: (reply.files ?? []).map((f) => ({ attachment: f.data, name: f.name, description: f.description })),
    flags: reply.private ? (MessageFlags.Ephemeral as const) : undefined,
    // Replies name people without pinging them; notifications ping the people they mention.
    // Never @everyone or roles.
    allowedMentions: { parse: (options.mentionUsers ? ["users"] : []) as "users"[] },
  };
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
          label: cut(f.label, 45),
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
