import type { Block, KnownBlock, View } from "@slack/types";
import { toPlainText, toSlackFallback, toSlackMrkdwn } from "../../bot/markdown.js";
import type { Modal, Reply } from "../../core/reply.js";

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const MAX_BLOCKS = 50;
const STYLES = { primary: "primary", danger: "danger", secondary: undefined, success: "primary" } as const;

/** Splits long text into section-sized pieces (Slack: 3000 characters per text object). */
function sections(mrkdwn: string): KnownBlock[] {
  const out: KnownBlock[] = [];
  for (let i = 0; i < mrkdwn.length; i += 2900) out.push({ type: "section", text: { type: "mrkdwn", text: mrkdwn.slice(i, i + 2900) } });
  return out;
}

/** The neutral reply as Block Kit, with a plain `text` fallback for notifications. */
export function renderBlocks(reply: Reply): { text: string; blocks: (KnownBlock | Block)[] } {
  const blocks: KnownBlock[] = [];
  const ping = reply.ping?.length ? reply.ping.join(" ") : undefined;
  // Without a title, the mentions open the text's first line (« @X, le bot a… »); otherwise they stand above it.
  const pingLeadsText = Boolean(ping && !reply.title && reply.text);
  if (ping && !pingLeadsText) blocks.push({ type: "section", text: { type: "mrkdwn", text: ping } });
  if (reply.title) blocks.push({ type: "header", text: { type: "plain_text", text: cut(toPlainText(reply.title), 150), emoji: true } });
  if (reply.text) blocks.push(...sections(pingLeadsText ? `${ping} ${toSlackMrkdwn(reply.text)}` : toSlackMrkdwn(reply.text)));
  const fields = reply.fields ?? [];
  // One section per field keeps long values readable (section fields cap at 10 × 2000). Slack
  // takes 50 blocks: fields beyond what fits beside the buttons are counted, never dropped silently.
  const room = MAX_BLOCKS - blocks.length - (reply.components?.length ?? 0);
  const shown = fields.length > room ? fields.slice(0, Math.max(0, room - 1)) : fields;
  for (const f of shown) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: cut(`*${toSlackMrkdwn(f.name)}*\n${toSlackMrkdwn(f.value || "—")}`, 2900) } });
  }
  if (shown.length < fields.length) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `… et ${fields.length - shown.length} autres` }] });
  for (const row of reply.components ?? []) {
    if ("buttons" in row) {
      blocks.push({
        type: "actions",
        elements: row.buttons.map((b) =>
          b.kind === "link"
            ? { type: "button" as const, text: { type: "plain_text" as const, text: cut(b.label, 75) }, url: b.url, action_id: `link:${b.url}`.slice(0, 255) }
            : {
                type: "button" as const,
                text: { type: "plain_text" as const, text: cut(b.label, 75), emoji: true },
                action_id: b.id,
                value: b.id,
                ...(STYLES[b.style ?? "secondary"] ? { style: STYLES[b.style ?? "secondary"] } : {}),
              },
        ),
      });
    } else {
      const s = row.select;
      const options = s.options.slice(0, 100).map((o) => ({
        text: { type: "plain_text" as const, text: cut(o.label, 75) },
        value: o.value,
        ...(o.description ? { description: { type: "plain_text" as const, text: cut(o.description, 75) } } : {}),
      }));
      blocks.push({
        type: "actions",
        elements: [
          (s.maxValues ?? 1) > 1
            ? { type: "multi_static_select", action_id: s.id, placeholder: { type: "plain_text", text: cut(s.placeholder ?? "Choisir…", 150) }, options, max_selected_items: s.maxValues }
            : { type: "static_select", action_id: s.id, placeholder: { type: "plain_text", text: cut(s.placeholder ?? "Choisir…", 150) }, options },
        ],
      });
    }
  }
  const summary = [reply.title, reply.text].filter(Boolean).join(" — ") || fields.map((f) => f.name).join(", ");
  // The notification text carries the mentions so the people named are notified; the rest is
  // escaped like the blocks, since Slack parses this text too.
  const text = cut([reply.ping?.join(" "), toSlackFallback(summary)].filter(Boolean).join(" ") || " ", 3000);
  return { text, blocks: blocks.slice(0, MAX_BLOCKS) };
}

/** A form as a Slack modal view; the channel travels in private_metadata for the answer. */
export function renderView(modal: Modal, privateMetadata: string): View {
  return {
    type: "modal",
    callback_id: modal.id,
    private_metadata: privateMetadata,
    title: { type: "plain_text", text: cut(modal.title, 24) },
    submit: { type: "plain_text", text: "Valider" },
    close: { type: "plain_text", text: "Annuler" },
    blocks: modal.fields.map((f) => ({
      type: "input" as const,
      block_id: f.id,
      optional: !f.required,
      label: { type: "plain_text" as const, text: cut(f.label, 2000) },
      element: {
        type: "plain_text_input" as const,
        action_id: "value",
        multiline: f.style === "paragraph",
        ...(f.value ? { initial_value: f.value } : {}),
        ...(f.placeholder ? { placeholder: { type: "plain_text" as const, text: cut(f.placeholder, 150) } } : {}),
        ...(f.maxLength ? { max_length: f.maxLength } : {}),
      },
      // A form opened again after a refusal says under each bad field what was wrong.
      ...(f.error ? { hint: { type: "plain_text" as const, text: cut(`⚠️ ${f.error}`, 2000) } } : {}),
    })),
  };
}

/** The refused fields of a form, for `response_action: "errors"` (keyed by block id); null when none. */
export function viewErrors(modal: Modal): Record<string, string> | null {
  const errors = Object.fromEntries(modal.fields.filter((f) => f.error).map((f) => [f.id, cut(f.error!, 300)]));
  return Object.keys(errors).length > 0 ? errors : null;
}
