import { directorySlug, networksOf, publicName, type DirectoryQuery } from "../../core/directory.js";
import { KIND_LABELS } from "../../core/roles.js";
import type { Member, MemberKind } from "../../store/index.js";
import type { WebContext } from "../context.js";
import { html, type Html } from "../html.js";
import { layout } from "../layout.js";
import { plural } from "../../shared/plural.js";

const WEB_PAGE_SIZE = 20;
const KINDS: Record<string, MemberKind> = { jeunesse: "JEUNESSE", parentalite: "PARENTALITE" };

/** The search as typed in the form (GET parameters, so a search is a link one can share). */
interface DirectoryParams {
  q: string;
  commune: string;
  type: string;
  page: number;
}

export function readParams(raw: Record<string, unknown>): DirectoryParams {
  const text = (key: string) => (typeof raw[key] === "string" ? (raw[key] as string).trim().slice(0, 60) : "");
  const type = text("type");
  return { q: text("q"), commune: text("commune"), type: type in KINDS ? type : "", page: Math.max(1, Number.parseInt(text("page"), 10) || 1) };
}

function query(p: DirectoryParams): DirectoryQuery {
  return { text: p.q || undefined, commune: p.commune || undefined, kind: p.type ? KINDS[p.type] : undefined };
}

function link(p: DirectoryParams, page: number): string {
  const search = new URLSearchParams();
  if (p.q) search.set("q", p.q);
  if (p.commune) search.set("commune", p.commune);
  if (p.type) search.set("type", p.type);
  if (page > 1) search.set("page", String(page));
  const s = search.toString();
  return s ? `/annuaire?${s}` : "/annuaire";
}

/** What the public may see of a Promeneur: nothing private, the e-mail never (only the chosen contact). */
function details(m: Member): Html {
  const networks = networksOf(m);
  return html`<dl>
${m.structure ? html`<dt>Structure</dt><dd>${m.structure}</dd>` : ""}
${m.kind ? html`<dt>Type</dt><dd>Promeneur du Net ${KIND_LABELS[m.kind]}</dd>` : ""}
${m.commune ? html`<dt>Commune</dt><dd>${m.commune}</dd>` : ""}
${networks.length ? html`<dt>Sur les réseaux</dt><dd>${networks.join(", ")}</dd>` : ""}
${m.contact ? html`<dt>Pour le joindre</dt><dd>${m.contact}</dd>` : ""}
</dl>`;
}

function card(m: Member): Html {
  return html`<li class="card"><h3><a href="/annuaire/${directorySlug(m)}">${publicName(m)}</a></h3>${details(m)}</li>`;
}

function searchForm(p: DirectoryParams): Html {
  const option = (value: string, label: string) => html`<option value="${value}"${p.type === value ? html` selected` : ""}>${label}</option>`;
  return html`<form class="search" method="get" action="/annuaire" role="search" aria-label="Chercher un Promeneur du Net">
<div><label for="q">Nom, structure ou réseau</label><input id="q" name="q" type="search" value="${p.q}" maxlength="60"></div>
<div><label for="commune">Commune</label><input id="commune" name="commune" type="text" value="${p.commune}" maxlength="60" autocomplete="address-level2"></div>
<div><label for="type">Type</label><select id="type" name="type">${option("", "Tous")}${option("jeunesse", "Jeunesse")}${option("parentalite", "Parentalité")}</select></div>
<div><button type="submit">Chercher</button></div>
</form>`;
}

/** `/annuaire`: search form, results with paging, the communes with their count. */
export async function directoryPage(ctx: WebContext, p: DirectoryParams): Promise<string> {
  const [result, communes] = await Promise.all([
    ctx.services.directory.search(query(p), p.page, { pageSize: WEB_PAGE_SIZE, publicOnly: true }),
    ctx.services.directory.communes(),
  ]);
  const filtered = Boolean(p.q || p.commune || p.type);
  const count = result.total === 0 ? "Aucun Promeneur du Net trouvé" : plural(result.total, "Promeneur du Net", "Promeneurs du Net");
  const pager =
    result.pages > 1
      ? html`<nav class="pager" aria-label="Pages de résultats">
${result.page > 1 ? html`<a href="${link(p, result.page - 1)}" rel="prev">Page précédente</a>` : ""}
<span>Page ${result.page} sur ${result.pages}</span>
${result.page < result.pages ? html`<a href="${link(p, result.page + 1)}" rel="next">Page suivante</a>` : ""}
</nav>`
      : "";
  const body = html`<h1>Annuaire des Promeneurs du Net des Vosges</h1>
<p>Des professionnels de la jeunesse et de la parentalité que les jeunes et les parents peuvent joindre en ligne.</p>
${searchForm(p)}
<section aria-labelledby="resultats">
<h2 id="resultats">${count}${filtered ? " pour cette recherche" : ""}</h2>
${result.members.length ? html`<ul class="cards">${result.members.map(card)}</ul>` : filtered ? html`<p><a href="/annuaire">Voir tout l'annuaire</a></p>` : ""}
${pager}
</section>
${communes.length
  ? html`<section aria-labelledby="communes"><h2 id="communes">Par commune</h2><ul class="communes">${communes.map(
      (c) => html`<li><a href="${link({ q: "", type: "", page: 1, commune: c.name }, 1)}">${c.name}</a> (${c.count})</li>`,
    )}</ul></section>`
  : ""}`;
  const title = p.page > 1 ? `Annuaire, page ${result.page}` : "Annuaire";
  return layout({ title, path: "/annuaire", body, description: "Trouver un Promeneur du Net près de chez vous dans les Vosges." });
}

/** `/annuaire/<slug>`: one Promeneur's page, the link they put on their profiles. */
export function memberPage(m: Member): string {
  const name = publicName(m);
  const body = html`<h1>${name}</h1>
<p>Promeneur du Net${m.kind ? ` ${KIND_LABELS[m.kind]}` : ""} du réseau des Vosges.</p>
<div class="card">${details(m)}</div>
<p><a href="/annuaire">Tout l'annuaire</a></p>`;
  return layout({ title: name, path: "/annuaire", body });
}
