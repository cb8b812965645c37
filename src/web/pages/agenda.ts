import { formatDateTime } from "../../core/dates.js";
import { buildCalendar } from "../../core/meetings/ics.js";
import { meetingName, typeLabel } from "../../core/meetings/views.js";
import type { MeetingRecord } from "../../core/meetings/model.js";
import type { WebContext } from "../context.js";
import { html } from "../html.js";
import { layout } from "../layout.js";

const ONE_DAY = 24 * 60 * 60;

function item(m: MeetingRecord, timeZone: string) {
  return html`<li class="card"><h3>${meetingName(m)}</h3><dl>
<dt>Quand</dt><dd>${formatDateTime(m.startsAt, timeZone)}</dd>
<dt>Où</dt><dd>${m.place ?? (m.visioUrl ? "En visio (lien donné aux Promeneurs par le bot du réseau)" : "Lieu à préciser")}</dd>
<dt>Type</dt><dd>${typeLabel(m)}</dd>
</dl></li>`;
}

/** `/agenda`: the upcoming meetings open to the whole network, never the team's own. */
export async function agendaPage(ctx: WebContext): Promise<string> {
  const meetings = await ctx.features.meetings.publicUpcoming();
  const feed = `${ctx.services.siteUrl ?? ""}/agenda.ics`;
  const body = html`<h1>Agenda du réseau</h1>
<p>Les rencontres, formations et temps d'échange des Promeneurs du Net des Vosges.</p>
<section aria-labelledby="a-venir">
<h2 id="a-venir">À venir</h2>
${meetings.length ? html`<ul class="cards">${meetings.map((m) => item(m, ctx.timeZone))}</ul>` : html`<p>Aucune rencontre n'est prévue pour le moment.</p>`}
</section>
<section aria-labelledby="abonnement">
<h2 id="abonnement">S'abonner dans son agenda</h2>
<p>Ajoutez une fois l'adresse <a href="/agenda.ics">${feed}</a> comme « agenda par URL » ou « abonnement » dans votre application
(Google Agenda, Outlook, Thunderbird, iPhone…) : les nouvelles rencontres, les changements et les annulations y arrivent seuls,
avec un rappel la veille.</p>
</section>`;
  return layout({ title: "Agenda", path: "/agenda", body, description: "Les prochaines rencontres du réseau des Promeneurs du Net des Vosges." });
}

/** `/agenda.ics`: the same meetings as a subscribable calendar, cancelled ones kept as CANCELLED. */
export async function agendaCalendar(ctx: WebContext): Promise<string> {
  const meetings = await ctx.features.meetings.publicUpcoming({ withCancelled: true });
  return buildCalendar(meetings, ctx.clock.now(), { public: true, alarmBefore: ONE_DAY });
}
