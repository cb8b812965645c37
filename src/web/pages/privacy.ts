import type { WebContext } from "../context.js";
import { html } from "../html.js";
import { layout } from "../layout.js";

/** A field of the notice: lines starting with « - » form a list, the others paragraphs. */
function section(name: string, value: string, index: number) {
  const lines = value.split("\n").map((l) => l.trim()).filter(Boolean);
  const items = lines.filter((l) => l.startsWith("- ")).map((l) => l.slice(2));
  const paragraphs = lines.filter((l) => !l.startsWith("- "));
  return html`<section aria-labelledby="c-${String(index)}"><h2 id="c-${String(index)}">${name}</h2>
${paragraphs.map((p) => html`<p>${p}</p>`)}${items.length ? html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>` : html``}
</section>`;
}

/** `/confidentialite`: the same notice as the chat command, durations and DPO contact from the settings. */
export async function privacyPage(ctx: WebContext): Promise<string> {
  const notice = await ctx.features.privacy.notice();
  const body = html`<h1>${notice.title ?? "Données personnelles"}</h1>
${(notice.fields ?? []).map((f, i) => section(f.name, f.value, i))}`;
  return layout({ title: "Données personnelles", path: "/confidentialite", body, description: "Comment le bot du réseau des Promeneurs du Net des Vosges traite les données personnelles." });
}
