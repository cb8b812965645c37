import { z } from "zod";
import { defineCommand, opt, sub, type BaseContext, type ComponentHandler, type ModalHandler } from "../src/bot/command.js";
import { issueText } from "../src/core/zod-french.js";
import { ValidationError } from "../src/bot/validate.js";
import { days, formatDate } from "../src/core/dates.js";
import { UserError } from "../src/core/errors.js";
import { KIND_LABELS, STAFF } from "../src/core/roles.js";
import { STALE_COMPONENT, numberArg, type Reply } from "../src/core/reply.js";
import { onboardingContent } from "../src/core/onboarding/content.js";
import { checklistKey, daysBetween } from "../src/core/onboarding/journey.js";
import { parseProfileForm, profileFormFields } from "../src/core/profile-form.js";
import type { JourneyState } from "../src/core/onboarding/journey.js";
import { ACTIONS, FORMS, ROUTES, type Action, type Form } from "../src/core/onboarding/routes.js";
import type { Onboarding } from "../src/core/onboarding/service.js";
import { charterPageReply, charterStep, introDraft, outcomeReply, stateReply } from "../src/core/onboarding/views.js";
import { alertDaysSchema, describe, reminderDaysSchema, reminderDaysText } from "../src/core/onboarding/settings.js";
import { practiceField } from "../src/core/privacy/reminder.js";

/** The journey's rules, built once with the bot. */
const journeyOf = (ctx: BaseContext) => ctx.features.onboarding.journeys;

const memberRef = () =>
  opt.text("Le membre : @mention, numéro (#12) ou nom", z.string().trim().min(1).max(100), "une mention, un numéro (#12) ou un nom");

/** A button's answer replaces the message that carried it, so the old buttons cannot be pressed again. */
const inPlace = (reply: Reply): Reply => ({ ...reply, update: true });

/** The answer to a form is a new message, only for the member. */
const privately = (reply: Reply): Reply => ({ ...reply, private: true, update: false });

/** Refusals that come before anything is written (a step not reached, no journey). */
async function refusal(onboarding: Onboarding, checked: Awaited<ReturnType<Onboarding["check"]>>): Promise<Reply | null> {
  if (checked.status === "ok") return null;
  return outcomeReply(onboarding, checked, { done: "" });
}

/** One line per journey for /accueil suivi. */
function followUpLine(onboarding: Onboarding, state: JourneyState, now: Date, alertDays: number, timeZone: string): string {
  const { journey, member } = state;
  const who = `**${member.displayName}** (#${member.id})`;
  const since = daysBetween(journey.startedAt, now);
  if (journey.state === "completed") {
    const how = journey.completedById ? ` — terminé par l'animateur : ${journey.overrideReason ?? ""}` : "";
    return `• ${who} — terminé le ${formatDate(journey.completedAt!, timeZone)} en ${days(daysBetween(journey.startedAt, journey.completedAt!))}${how}`;
  }
  if (journey.state === "stopped") return `• ${who} — arrêté le ${formatDate(journey.stoppedAt!, timeZone)} (${journey.stopReason ?? "départ"}), à l'étape ${onboarding.currentStep(state).label}`;
  const idle = daysBetween(journey.lastProgressAt, now);
  const flag = idle >= alertDays ? "⚠️ " : "";
  return `• ${flag}${who} — étape ${onboarding.currentStep(state).label} — ${since === 0 ? "commencé aujourd'hui" : `commencé il y a ${days(since)}`}, ${idle === 0 ? "avancé aujourd'hui" : `sans avancée depuis ${days(idle)}`}`;
}

export default defineCommand({
  name: "accueil",
  description: "Le parcours d'accueil des nouveaux Promeneurs du Net",
  subcommands: [
    sub({
      name: "parcours",
      description: "Où en est votre accueil dans le réseau, et la suite",
      options: {},
      async run(ctx) {
        const onboarding = journeyOf(ctx);
        let state = await onboarding.stateOf(ctx.member.id);
        if (!state || state.journey.state === "stopped") {
          if (!state && !["ONBOARDING", "CANDIDATE"].includes(ctx.member.status)) {
            return { text: "Vous êtes déjà membre du réseau : pas de parcours d'accueil pour vous. `/aide` liste ce que le bot peut faire.", private: true };
          }
          if (!state && !(await onboarding.settings()).autoStart) {
            return { text: "Votre parcours d'accueil n'a pas encore commencé : l'animateur du réseau vous l'ouvrira très vite.", private: true };
          }
          // Asking is coming back: the journey starts, or resumes where it was, right here.
          state = (await onboarding.start(ctx.member, { actorId: null, origin: "membre", sendStep: false })).state;
        }
        const caughtUp = await onboarding.catchUp(state);
        if (caughtUp) return privately(await outcomeReply(onboarding, caughtUp, { done: "" }));
        return privately(await stateReply(onboarding, state));
      },
    }),
    sub({
      name: "ajouter",
      description: "Lancer le parcours d'accueil d'un membre",
      roles: STAFF,
      options: { membre: memberRef() },
      async run(ctx) {
        const onboarding = journeyOf(ctx);
        const target = await ctx.services.members.findByRef(ctx.options.membre, ctx.platform);
        const wasActive = target.status === "ACTIVE";
        const { outcome, state } = await onboarding.start(target, { actorId: ctx.member.id, origin: "animateur" });
        const step = onboarding.currentStep(state).label;
        const noAccount = target.accounts.length === 0
          ? `\n${target.displayName} n'a encore aucun compte Discord ou Slack lié : liez-en un (\`/membre lier\`), puis \`/accueil relancer\` lui enverra son étape.`
          : "";
        switch (outcome) {
          case "started":
            return {
              text: `Parcours d'accueil lancé pour ${target.displayName} (#${target.id})${noAccount ? "." : " : le message de bienvenue lui part en privé."}${wasActive ? " Il ou elle est « en cours d'accueil » et n'apparaît plus dans l'annuaire jusqu'à la fin du parcours." : ""}${noAccount}`,
              private: true,
              tone: "success",
            };
          case "resumed":
            return { text: `Parcours d'accueil repris pour ${target.displayName}, à l'étape ${step}.${noAccount}`, private: true, tone: "success" };
          case "already":
            return { text: `${target.displayName} est déjà en cours d'accueil depuis le ${formatDate(state.journey.startedAt, ctx.timeZone)} (étape ${step}).`, private: true };
          case "completed":
            return { text: `${target.displayName} a déjà terminé son accueil le ${formatDate(state.journey.completedAt!, ctx.timeZone)}.`, private: true };
        }
      },
    }),
    sub({
      name: "suivi",
      description: "Voir tous les parcours d'accueil, ceux qui bloquent en premier",
      roles: STAFF,
      options: {},
      async run(ctx) {
        const onboarding = journeyOf(ctx);
        const [states, settings] = await Promise.all([onboarding.all(), onboarding.settings()]);
        const now = ctx.clock.now();
        const active = states.filter((s) => s.journey.state === "active").sort((a, b) => a.journey.lastProgressAt.getTime() - b.journey.lastProgressAt.getTime());
        const stopped = states.filter((s) => s.journey.state === "stopped");
        const completed = states.filter((s) => s.journey.state === "completed").sort((a, b) => b.journey.completedAt!.getTime() - a.journey.completedAt!.getTime());
        const line = (s: JourneyState) => followUpLine(onboarding, s, now, settings.alertDays, ctx.timeZone);
        const sections = [
          `**En cours (${active.length})**${active.length ? "" : " : aucun"}`,
          ...active.map(line),
          ...(stopped.length ? ["", `**Arrêtés (${stopped.length})**`, ...stopped.map(line)] : []),
          ...(completed.length ? ["", `**Terminés (${completed.length})**`, ...completed.slice(0, 10).map(line)] : []),
          ...(completed.length > 10 ? [`… et ${completed.length - 10} plus anciens.`] : []),
          "",
          `⚠️ : sans avancée depuis ${settings.alertDays} jours ou plus. Réglages : ${describe(settings)} (\`/accueil reglages\`).`,
        ];
        let text = sections.join("\n");
        if (text.length > 3900) text = `${text.slice(0, 3880)}\n…`;
        return { title: "Accueil des nouveaux Promeneurs", text, private: true };
      },
    }),
    sub({
      name: "relancer",
      description: "Renvoyer maintenant à un nouveau Promeneur l'étape qui l'attend",
      roles: STAFF,
      options: { membre: memberRef() },
      async run(ctx) {
        const target = await ctx.services.members.findByRef(ctx.options.membre, ctx.platform);
        const { journeys, jobs } = ctx.features.onboarding;
        const { state, delivery } = await jobs.nudgeNow(target.id, ctx.member.id);
        const step = journeys.currentStep(state).label;
        if (delivery.refs.length === 0) {
          const why = delivery.failures.map((f) => `${f.platform} : ${f.error}`).join(" ; ") || "aucun compte Discord ou Slack lié";
          return { text: `La relance n'a pas pu être remise à ${target.displayName} (${why}).`, private: true, tone: "warning" };
        }
        const fallback = delivery.inbox ? " (messages privés fermés : l'étape l'attend dans ses `/messages`)" : "";
        return { text: `Relance envoyée à ${target.displayName} pour l'étape ${step}${fallback}.`, private: true, tone: "success" };
      },
    }),
    sub({
      name: "terminer",
      description: "Terminer à la main le parcours d'un membre (il devient actif)",
      roles: STAFF,
      options: {
        membre: memberRef(),
        motif: opt.text("Pourquoi (gardé dans le journal)", z.string().trim().min(3, { message: "3 caractères au moins" }).max(300, { message: "300 caractères au plus" }), "quelques mots, par exemple « accueilli en rendez-vous »"),
      },
      async run(ctx) {
        const target = await ctx.services.members.findByRef(ctx.options.membre, ctx.platform);
        const state = await journeyOf(ctx).override(target.id, ctx.member.id, ctx.options.motif);
        const listed = state.member.directoryConsent ? "apparaît dans l'annuaire" : "n'apparaît pas dans l'annuaire (pas de consentement)";
        return { text: `Parcours d'accueil terminé pour ${target.displayName} : membre actif, ${listed}. Motif noté : « ${ctx.options.motif} ».`, private: true, tone: "success" };
      },
    }),
    sub({
      name: "reglages",
      description: "Voir ou changer le démarrage automatique et les délais des relances",
      roles: STAFF,
      options: {
        auto: opt.boolean("Lancer le parcours quand quelqu'un arrive sur le serveur ou l'espace").optional(),
        rappels: opt.text("Relances au nouveau après ces jours sans avancée, par exemple 3,7", reminderDaysText, "un à trois nombres de jours croissants, par exemple 3,7").optional(),
        alerte: opt.integer("Prévenir l'animateur après ces jours sans avancée", alertDaysSchema, "un nombre de jours, par exemple 14").optional(),
      },
      async run(ctx) {
        const onboarding = journeyOf(ctx);
        const { auto, rappels, alerte } = ctx.options;
        if (auto === undefined && rappels === undefined && alerte === undefined) {
          return {
            text: `Réglages de l'accueil : ${describe(await onboarding.settings())}.\nPour changer : \`/accueil reglages auto:oui rappels:3,7 alerte:14\``,
            private: true,
          };
        }
        const { settings: next, replanned: moved } = await onboarding.changeSettings({
          ...(auto !== undefined && { autoStart: auto }),
          ...(rappels !== undefined && { reminderDays: reminderDaysSchema.parse(rappels) }),
          ...(alerte !== undefined && { alertDays: alerte }),
        }, ctx.member.id);
        const replanned = moved ? ` Les relances prévues de ${moved} parcours suivent les nouveaux délais.` : "";
        return { text: `C'est noté : ${describe(next)}.${replanned}`, private: true, tone: "success" };
      },
    }),
  ],
  components: {
    [ACTIONS.start]: {
      async run(ctx) {
        const onboarding = journeyOf(ctx);
        return inPlace(await outcomeReply(onboarding, await onboarding.record(ctx.member.id, "accueil"), { done: "✅ C'est parti !" }));
      },
    },
    [ACTIONS.readCharter]: {
      run({ args }) {
        const content = onboardingContent();
        return charterPageReply(content, numberArg(args[0]) ?? 1, charterStep(content)?.bouton_adherer ?? "J'adhère à la charte");
      },
    },
    [ACTIONS.charterPage]: {
      run({ args }) {
        const content = onboardingContent();
        return inPlace(charterPageReply(content, numberArg(args[0]) ?? 1, charterStep(content)?.bouton_adherer ?? "J'adhère à la charte"));
      },
    },
    [ACTIONS.adhere]: {
      async run(ctx) {
        const onboarding = journeyOf(ctx);
        const outcome = await onboarding.record(ctx.member.id, "charte");
        const at = "state" in outcome ? outcome.state.progress.get("charte")?.at : undefined;
        const when = at ? formatDate(at, ctx.timeZone) : "";
        return inPlace(await outcomeReply(onboarding, outcome, {
          done: `✅ Merci : votre adhésion à la charte est enregistrée le ${when}.`,
          already: `Votre adhésion à la charte est déjà enregistrée (le ${when}).`,
        }));
      },
    },
    [ACTIONS.profileForm]: {
      async run(ctx) {
        const onboarding = journeyOf(ctx);
        const refused = await refusal(onboarding, await onboarding.check(ctx.member.id, "profil.formulaire"));
        if (refused) return inPlace(refused);
        const step = onboarding.content.etapes.find((s) => s.type === "profil");
        return { modal: { id: ROUTES.profileModal, title: step?.type === "profil" ? step.titre_formulaire : "Mon profil", fields: profileFormFields(ctx.member) } };
      },
    },
    [ACTIONS.kind]: {
      async run(ctx) {
        const kind = ctx.args[0] === "parentalite" ? "PARENTALITE" : "JEUNESSE";
        return inPlace(await profileChoice(ctx, "profil.type", { kind }, { type: kind }, `✅ Promeneur du Net ${KIND_LABELS[kind]} : c'est noté.`));
      },
    },
    [ACTIONS.consent]: {
      async run(ctx) {
        const consent = ctx.args[0] === "oui";
        const notice = consent
          ? "✅ C'est noté : vous apparaîtrez dans l'annuaire départemental à la fin de votre accueil."
          : "✅ C'est noté : vous n'apparaîtrez pas dans l'annuaire départemental.";
        return inPlace(await profileChoice(ctx, "profil.annuaire", { directoryConsent: consent }, { consentement: consent }, notice));
      },
    },
    [ACTIONS.tick]: {
      async run(ctx) {
        const onboarding = journeyOf(ctx);
        const item = ctx.args[0] ?? "";
        const label = onboarding.content.etapes.flatMap((s) => (s.type === "liste" ? s.elements : [])).find((e) => e.cle === item)?.libelle ?? item;
        return inPlace(await outcomeReply(onboarding, await onboarding.record(ctx.member.id, checklistKey(item)), { done: `✅ ${label} : coché.` }));
      },
    },
    [ACTIONS.publishForm]: {
      async run(ctx) {
        const onboarding = journeyOf(ctx);
        const refused = await refusal(onboarding, await onboarding.check(ctx.member.id, "presentation"));
        if (refused) return inPlace(refused);
        const step = onboarding.content.etapes.find((s) => s.type === "presentation");
        return {
          modal: {
            id: ROUTES.presentationModal,
            title: step?.type === "presentation" ? step.titre_formulaire : "Ma présentation",
            fields: [practiceField({ id: "texte", label: "Votre présentation au réseau", style: "paragraph", required: true, value: introDraft(onboarding.content, ctx.member), maxLength: INTRO_MAX })],
          },
        };
      },
    },
    [ACTIONS.rsvp]: {
      async run(ctx) {
        const onboarding = journeyOf(ctx);
        const [meetingId, choice] = ctx.args;
        const id = numberArg(meetingId);
        if (id === undefined) throw new UserError(STALE_COMPONENT);
        const { notice, outcome } = await onboarding.answerMeeting(ctx.member, id, choice ?? "");
        return inPlace(await outcomeReply(onboarding, outcome, { done: notice, already: notice }));
      },
    },
    [ACTIONS.published]: {
      async run(ctx) {
        const onboarding = journeyOf(ctx);
        const outcome = await onboarding.record(ctx.member.id, "presentation", { publiée: "par le membre" });
        return inPlace(await outcomeReply(onboarding, outcome, { done: "✅ Merci pour votre présentation !" }));
      },
    },
  } satisfies Record<Action, ComponentHandler>,
  modals: {
    [FORMS.profile]: {
      async run(ctx) {
        const onboarding = journeyOf(ctx);
        const refused = await refusal(onboarding, await onboarding.check(ctx.member.id, "profil.formulaire"));
        if (refused) return privately(refused);
        const { patch, problems } = parseProfileForm(ctx.fields);
        if (problems.length) throw new ValidationError(problems, false);
        await ctx.services.members.update(ctx.member.id, patch, ctx.member.id);
        const outcome = await onboarding.record(ctx.member.id, "profil.formulaire");
        return privately(await outcomeReply(onboarding, outcome, { done: "✅ Votre profil est enregistré.", already: "✅ Votre profil est à jour." }));
      },
    },
    [FORMS.presentation]: {
      async run(ctx) {
        const onboarding = journeyOf(ctx);
        const refused = await refusal(onboarding, await onboarding.check(ctx.member.id, "presentation"));
        if (refused) return privately(refused);
        const parsed = introSchema.safeParse(ctx.fields.texte ?? "");
        if (!parsed.success) {
          throw new ValidationError([{ field: "Votre présentation au réseau", message: issueText(parsed.error), expected: `quelques phrases, ${INTRO_MAX} caractères au plus` }], false);
        }
        if (!(await onboarding.hasNetworkChannel())) {
          throw new UserError("Le salon d'échanges du réseau n'est pas encore choisi : publiez votre présentation vous-même, puis cliquez « Je l'ai publiée moi-même ». L'animateur peut le choisir avec `/config canal usage:reseau`.");
        }
        const outcome = await onboarding.publishIntro(ctx.member.id, parsed.data);
        return privately(await outcomeReply(onboarding, outcome, {
          done: "✅ Votre présentation part dans le salon d'échanges du réseau.",
          already: "Votre présentation est déjà enregistrée.",
        }));
      },
    },
  } satisfies Record<Form, ModalHandler>,
});

const INTRO_MAX = 1500;
const introSchema = z.string().trim().min(20, { message: "20 caractères au moins" }).max(INTRO_MAX, { message: `${INTRO_MAX} caractères au plus` });

/**
 * Type and directory consent: the member's own choice, written to the profile, then the part of
 * the step recorded once. Pressing the other button while the step is open changes the choice.
 */
async function profileChoice(
  ctx: BaseContext,
  key: string,
  patch: { kind?: "JEUNESSE" | "PARENTALITE"; directoryConsent?: boolean },
  details: Record<string, unknown>,
  notice: string,
): Promise<Reply> {
  const onboarding = journeyOf(ctx);
  const checked = await onboarding.check(ctx.member.id, key);
  const refused = await refusal(onboarding, checked);
  if (refused) return refused;
  await ctx.services.members.update(ctx.member.id, patch, ctx.member.id);
  const outcome = await onboarding.record(ctx.member.id, key, details);
  return outcomeReply(onboarding, outcome, { done: notice, already: notice });
}
