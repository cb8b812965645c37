// The journey as neutral replies: one per step, with its buttons. The same views serve the
// welcome message, the answers to buttons, /accueil parcours and the reminders, so a newcomer
// sees one step the same way wherever it reaches them.
import { days as daysText, formatDate, formatDateTime } from "../dates.js";
import type { Button, ComponentRow, Reply } from "../reply.js";
import { KIND_LABELS } from "../roles.js";
import type { Member } from "../../store/index.js";
import { authoredLinks } from "../markup.js";
import { fill, memberValues, stepTitle, type LoadedContent, type StepOf } from "./content.js";
import { loadNotice } from "../privacy/notice.js";
import { checklistKey, currentStepIndex, daysBetween, type JourneyState, type JourneyView, type Progress } from "./journey.js";
import { ROUTES } from "./routes.js";
import type { Onboarding, RecordOutcome, RenderContext } from "./service.js";
import type { WelcomeMeeting } from "./welcome-meeting.js";

const button = (id: string, label: string, style: Button["style"] = "secondary", disabled = false): Button => ({ kind: "button", id, label, style, disabled });

/** One step, as the member sees it while it is the current one. */
function stepReply(ctx: RenderContext, view: JourneyView, index: number): Reply {
  const step = ctx.content.etapes[index]!;
  const values = { ...memberValues(ctx.content, view.member), ...ctx.people };
  const title = `Étape ${stepTitle(ctx.content, index)}`;
  switch (step.type) {
    case "accueil":
      return {
        title,
        text: fill(step.texte, values),
        fields: [{ name: "Vos données personnelles", value: loadNotice().resume_accueil }],
        components: [{ buttons: [button(ROUTES.start, step.bouton, "primary")] }],
      };
    case "charte":
      return {
        title,
        text: fill(step.texte, values),
        components: [{ buttons: [button(ROUTES.readCharter(1), step.bouton_lire), button(ROUTES.adhere, step.bouton_adherer, "success")] }],
      };
    case "profil":
      return profileStep(step, title, values, view);
    case "liste":
      return checklistStep(step, title, values, view.progress);
    case "presentation":
      return {
        title,
        text: `${fill(step.texte, values)}\n\n« ${introDraft(ctx.content, view.member)} »`,
        components: [{ buttons: [button(ROUTES.publishForm, step.bouton_publier, "primary"), button(ROUTES.published, step.bouton_fait)] }],
      };
    case "rencontre": {
      // Current only while a meeting awaits the member's answer (with none planned, the step is
      // done as soon as it is reached: see Onboarding.record).
      const { meeting, choices = [] } = ctx;
      if (!meeting) return { title, text: fill(step.texte_aucune, values) };
      const buttons = choices.map((c) => button(ROUTES.rsvp(meeting.id, c.value), c.label, c.style));
      return { title, text: fill(step.texte_invitation, { ...values, rencontre: describeMeeting(meeting, ctx.timeZone) }), components: buttons.length ? [{ buttons }] : [] };
    }
  }
}

function profileStep(step: StepOf<"profil">, title: string, values: Record<string, string>, view: JourneyView): Reply {
  const { member, progress } = view;
  const formDone = progress.has("profil.formulaire");
  const kind = progress.has("profil.type") && member.kind ? member.kind : null;
  const consent = progress.has("profil.annuaire") ? member.directoryConsent : null;
  const status = [
    `- Formulaire : ${formDone ? "✅ rempli" : "à remplir"}`,
    `- Type : ${kind ? `✅ ${KIND_LABELS[kind]}` : "à choisir"}`,
    `- Annuaire départemental : ${consent === null ? "à choisir" : consent ? "✅ oui, j'y apparais" : "✅ non, je n'y apparais pas"}`,
  ].join("\n");
  const components: ComponentRow[] = [
    { buttons: [button(ROUTES.profileForm, formDone ? "Modifier mon profil" : step.bouton, formDone ? "secondary" : "primary")] },
    {
      buttons: [
        button(ROUTES.kind("jeunesse"), "Promeneur Jeunesse", kind === "JEUNESSE" ? "success" : "secondary"),
        button(ROUTES.kind("parentalite"), "Promeneur Parentalité", kind === "PARENTALITE" ? "success" : "secondary"),
      ],
    },
    {
      buttons: [
        button(ROUTES.consent("oui"), "Oui, dans l'annuaire", consent === true ? "success" : "secondary"),
        button(ROUTES.consent("non"), "Non, pas dans l'annuaire", consent === false ? "success" : "secondary"),
      ],
    },
  ];
  return { title, text: `${fill(step.texte, values)}\n\n${status}`, components };
}

function checklistStep(step: StepOf<"liste">, title: string, values: Record<string, string>, progress: Progress): Reply {
  const lines = step.elements.map((e) => `${progress.has(checklistKey(e.cle)) ? "✅" : "⬜"} **${e.libelle}** — ${fill(e.detail, values)}`);
  const buttons = step.elements.map((e) => {
    const ticked = progress.has(checklistKey(e.cle));
    return button(ROUTES.tick(e.cle), ticked ? `✓ ${e.libelle}` : e.libelle, ticked ? "success" : "secondary", ticked);
  });
  const rows: ComponentRow[] = [];
  for (let i = 0; i < buttons.length; i += 5) rows.push({ buttons: buttons.slice(i, i + 5) });
  return { title, text: `${fill(step.texte, values)}\n\n${lines.join("\n")}`, components: rows };
}

/** The presentation the bot proposes, from the profile. */
export function introDraft(content: LoadedContent, member: Member): string {
  const step = content.etapes.find((s): s is StepOf<"presentation"> => s.type === "presentation");
  const template = step?.brouillon ?? "Bonjour à toutes et à tous ! Je suis {prenom}[[, de {structure}]].";
  // A draft the member edits in a form: plain text, no link markup.
  return fill(template, memberValues(content, member), { links: false });
}

/** Where the journey stands: the current step, with a line on what was just done above it. */
function journeyReply(ctx: RenderContext, view: JourneyView, notice?: string): Reply {
  const index = currentStepIndex(ctx.content.etapes, view.progress);
  if (index === -1) return completionReply(ctx, view, false, notice);
  const reply = stepReply(ctx, view, index);
  return withNotice(reply, notice);
}

function withNotice(reply: Reply, notice: string | undefined): Reply {
  if (!notice) return reply;
  return { ...reply, text: reply.text ? `${notice}\n\n${reply.text}` : notice, tone: "success" };
}

/**
 * The end, right when it happens: what became of the welcome-meeting step (none planned yet, or
 * the answer given), then the closing words. Later views show the closing words only.
 */
function completionReply(ctx: RenderContext, view: JourneyView, fresh: boolean, notice?: string): Reply {
  const values = memberValues(ctx.content, view.member);
  const parts: string[] = [];
  const meetingStep = ctx.content.etapes.find((s): s is StepOf<"rencontre"> => s.type === "rencontre");
  const invitation = view.progress.get("rencontre")?.details;
  if (fresh && meetingStep && invitation && invitation.rencontre === null) parts.push(`**${meetingStep.titre}**\n${fill(meetingStep.texte_aucune, values)}`);
  parts.push(fill(ctx.content.fin.membre, values));
  return withNotice({ title: "Bienvenue dans le réseau !", text: parts.join("\n\n"), tone: "success" }, notice);
}

function describeMeeting(meeting: WelcomeMeeting, timeZone: string): string {
  const place = meeting.place ? `, ${meeting.place}` : "";
  return `**${meeting.title}** — ${formatDateTime(meeting.startsAt, timeZone)}${place}`;
}

/** One page of the charter's full text, with the way to the next page and, at the end, to adhere. */
export function charterPageReply(content: LoadedContent, page: number, adhereLabel: string): Reply {
  const total = content.charterPages.length;
  const current = Math.min(Math.max(1, page), total);
  const buttons: Button[] = [];
  if (current > 1) buttons.push(button(ROUTES.charterPage(current - 1), "Page précédente"));
  if (current < total) buttons.push(button(ROUTES.charterPage(current + 1), "Page suivante", "primary"));
  else buttons.push(button(ROUTES.adhere, adhereLabel, "success"));
  return {
    title: `Charte des Promeneurs du Net 88 — page ${current}/${total}`,
    text: authoredLinks(content.charterPages[current - 1]!),
    components: [{ buttons }],
    private: true,
  };
}

export function charterStep(content: LoadedContent): StepOf<"charte"> | undefined {
  return content.etapes.find((s): s is StepOf<"charte"> => s.type === "charte");
}


/** The member's journey as they should see it now, with an optional line on what was just done. */
export async function stateReply(onboarding: Onboarding, state: JourneyState, notice?: string): Promise<Reply> {
  if (state.journey.state === "stopped") {
    return { text: `Votre parcours d'accueil est en pause (vous avez ${state.journey.stopReason ?? "quitté le réseau"}). Tapez \`/accueil parcours\` pour le reprendre là où vous en étiez.`, private: true };
  }
  const ctx = await onboarding.renderContext(state);
  if (state.journey.state === "completed") {
    const when = formatDate(state.journey.completedAt ?? state.journey.updatedAt, ctx.timeZone);
    return completionReply(ctx, state, false, notice ?? `Votre accueil dans le réseau est terminé depuis le ${when}.`);
  }
  return journeyReply(ctx, state, notice);
}

/** The answer to a button or form of the journey, from what recording it did. */
export async function outcomeReply(onboarding: Onboarding, outcome: RecordOutcome, notices: { done: string; already?: string }): Promise<Reply> {
  switch (outcome.status) {
    case "no-journey":
      return { text: "Vous n'avez pas de parcours d'accueil en cours : tapez `/accueil parcours` pour le commencer ou le reprendre.", private: true };
    case "recorded":
      if (outcome.completed) return completionReply(await onboarding.renderContext(outcome.state), outcome.state, true, notices.done);
      return stateReply(onboarding, outcome.state, notices.done);
    case "already":
      return stateReply(onboarding, outcome.state, notices.already);
    case "not-yet":
      return stateReply(onboarding, outcome.state, "Une étape à la fois : voici celle qui vous attend.");
    default:
      return stateReply(onboarding, outcome.state);
  }
}

/** The animator's word when a journey ends on its own: how long it took, the directory, the meeting. */
export function endReport(content: LoadedContent, state: JourneyState, now: Date): string {
  const values = memberValues(content, state.member);
  const days = daysText(daysBetween(state.journey.startedAt, state.journey.completedAt ?? now));
  const visible = state.member.directoryConsent ? "visible dans l'annuaire" : "absent de l'annuaire (sans consentement)";
  const lines = [fill(content.fin.animateur, { ...values, jours: days, annuaire_visible: visible })];
  const invitation = state.progress.get("rencontre");
  if (invitation && invitation.details.rencontre === null) lines.push(fill(content.fin.sans_rencontre, values));
  return lines.join("\n\n");
}
