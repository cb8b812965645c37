import { formatDateTime } from "../../core/dates.js";
import { meetingName } from "../../core/meetings/views.js";
import { isHttpUrl } from "../../core/watch/url.js";
import type { WebContext } from "../context.js";
import { html } from "../html.js";
import { layout } from "../layout.js";

/** `/`: the network in a few lines, the next public meetings, the last digest's titles. */
export async function homePage(ctx: WebContext): Promise<string> {
  const [meetings, digest] = await Promise.all([
    ctx.features.meetings.publicUpcoming({ limit: 3 }),
    ctx.features.watch.digests.latestItems(),
  ]);
  const body = html`<h1>Les Promeneurs du Net des Vosges</h1>
<p>Un Promeneur du Net est un professionnel de la jeunesse ou de la parentalité (animateur, éducateur, conseiller…)
qui est présent sur les réseaux sociaux pour écouter, informer, accompagner et prévenir, comme il le fait dans sa structure.</p>
<p>Dans les Vosges, le réseau départemental rassemble ces Promeneurs, avec le soutien de la Caf des Vosges :
ils se forment, échangent sur leurs pratiques et se font connaître des jeunes et des parents.</p>
<ul>
<li><a href="/annuaire">Trouver un Promeneur du Net près de chez vous</a></li>
<li><a href="/agenda">L'agenda des rencontres du réseau</a></li>
</ul>
<section aria-labelledby="prochaines">
<h2 id="prochaines">Prochaines rencontres</h2>
${meetings.length
  ? html`<ul>${meetings.map((m) => html`<li><strong>${meetingName(m)}</strong> — ${formatDateTime(m.startsAt, ctx.timeZone)}${m.place ? html`, ${m.place}` : ""}</li>`)}</ul>`
  : html`<p>Aucune rencontre publique n'est prévue pour le moment.</p>`}
</section>
<section aria-labelledby="veille">
<h2 id="veille">La dernière veille du réseau</h2>
${digest.length
  ? html`<ul>${digest.map((i) => (isHttpUrl(i.link) ? html`<li><a href="${i.link}" rel="noopener noreferrer">${i.title}</a></li>` : html`<li>${i.title}</li>`))}</ul>`
  : html`<p>Pas encore de veille publiée.</p>`}
</section>`;
  return layout({ title: "Accueil", path: "/", body, description: "Le réseau départemental des Promeneurs du Net des Vosges : annuaire et agenda." });
}
