import { z } from "zod";
import { defineCommand, opt, sub, type BaseContext } from "../src/bot/command.js";
import { ValidationError } from "../src/bot/validate.js";
import { UserError } from "../src/core/errors.js";
import {
  ANSWER_LABELS,
  ATTENDANCE_LABELS,
  AUDIENCES,
  CHOICES,
  DEFAULT_REMINDERS,
  MEETING_TYPES,
  buildCalendar,
  countsLine,
  defaultAudience,
  defaultDuration,
  describeOffset,
  formatWhen,
  meetingCard,
  meetingLines,
  meetingName,
  meetingsOf,
  mayAnswer,
  nextReminderAt,
  parseDuration,
  parseOffsets,
  parseStart,
  type AttendanceStatus,
  type Audience,
  type Choice,
  type MeetingPatch,
  type MeetingService,
  type MeetingType,
  type PublishResult,
  type ReminderPlan,
  type SheetEntry,
} from "../src/core/meetings/index.js";
import { CAPACITY_RULE, PLACE_OR_VISIO_MISSING, PLACE_RULE, VISIO_RULE } from "../src/core/meetings/place.js";
import { STALE_COMPONENT, numberArg, componentId, type Reply } from "../src/core/reply.js";
import { STAFF } from "../src/core/roles.js";
import { plural } from "../src/core/plural.js";
import { agree } from "../src/core/plural.js";

const PLATFORM_LABELS = { discord: "Discord", slack: "Slack", matrix: "Matrix", console: "la console" } as const;

const DEBUT_EXPECTED = "« 12/03/2026 14h30 », « 12 mars 14h » ou « jeudi prochain 9h »";
const DUREE_EXPECTED = "« 2h », « 1h30 » ou « 45min » (de 15 min à 12 h)";
const RAPPELS_EXPECTED = "des délais avant la rencontre séparés par des virgules, par exemple « 7j,1j,2h » (j, h ou min), ou « aucun »";

function meetings(ctx: BaseContext): MeetingService {
  return meetingsOf(ctx.services, ctx.clock, ctx.timezone, ctx.log);
}

/** A zod check that keeps the text (parsed again in the handler) but refuses it with the parser's French reason. */
function checked(parse: (s: string) => { ok: true } | { ok: false; error: string }, max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max, { message: `${max} caractères au plus` })
    .superRefine((value, ctx) => {
      const result = parse(value);
      if (!result.ok) ctx.addIssue({ code: "custom", message: result.error });
    });
}

const meetingRef = () =>
  opt.text(
    "Numéro de la rencontre (voir /rencontre liste)",
    z.string().trim().regex(/^(n°\s*|#)?\d{1,9}$/i, { message: "un numéro de rencontre" }),
    "un numéro, par exemple 12 (voir /rencontre liste)",
  );
const idOf = (ref: string) => Number(ref.replace(/\D/g, ""));

const options = {
  type: opt.choice("Type de rencontre", MEETING_TYPES),
  titre: opt.text("Titre, par exemple « Les réseaux sociaux des 11-15 ans »", z.string().trim().min(3, { message: "3 caractères au moins" }).max(100, { message: "100 caractères au plus" }), "un titre de 3 à 100 caractères"),
  debut: opt.text("Date et heure de début, par exemple « 12 mars 14h »", z.string().trim().min(2, { message: "valeur obligatoire" }).max(60, { message: "60 caractères au plus" }), DEBUT_EXPECTED),
  duree: opt.text("Durée (par défaut 3 h pour l'analyse de pratique, 2 h sinon)", checked(parseDuration, 20), DUREE_EXPECTED),
  lieu: opt.text("Lieu (adresse ou salle)", PLACE_RULE.schema(), PLACE_RULE.expected),
  visio: opt.text("Lien de visio (https://…)", VISIO_RULE.schema(), VISIO_RULE.expected),
  public: opt.choice("Pour qui (par défaut : selon le type)", AUDIENCES),
  places: opt.integer("Nombre de places (sans limite si absent)", CAPACITY_RULE.schema(), CAPACITY_RULE.expected),
  rappels: opt.text(`Rappels avant la rencontre (par défaut « ${DEFAULT_REMINDERS} »)`, checked(parseOffsets, 60), RAPPELS_EXPECTED),
};

/** The start, read against the clock; refused like any other bad option (nothing is written). */
/** The start and how it was understood; a relative one (« jeudi prochain ») also says how far it is. */
function startReading(ctx: BaseContext, text: string): { at: Date; understood: string | null } {
  const result = parseStart(text, { now: ctx.clock.now(), timeZone: ctx.timezone });
  if (!result.ok) throw new ValidationError([{ field: "debut", message: result.error, expected: DEBUT_EXPECTED }], false);
  const { at, reading, relative } = result.value;
  return { at, understood: relative ? `« ${text.trim()} » compris comme le ${reading} (${relative}).` : null };
}

function planText(plan: ReminderPlan, timeZone: string): string {
  const lines = plan.scheduled.map((s) => `- ${describeOffset(s.offset)} avant : ${formatWhen(s.at, timeZone)}`);
  if (plan.passed.length) lines.push(`- ${agree(plan.passed.length, "non programmé (déjà passé)", "non programmés (déjà passés)")} : ${plan.passed.map((o) => describeOffset(o)).join(", ")}`);
  return lines.length ? lines.join("\n") : "aucun";
}

function publishText(result: PublishResult): string {
  const lines: string[] = [];
  if (result.posted.length) lines.push(`Publiée dans le salon des rencontres sur ${result.posted.map((p) => PLATFORM_LABELS[p]).join(" et ")}.`);
  for (const p of result.problems) lines.push(`Sur ${PLATFORM_LABELS[p.platform]} : ${p.error}.`);
  return lines.join("\n");
}

function sheetText(sheet: SheetEntry[]): string {
  if (sheet.length === 0) return "Personne n'est attendu à cette rencontre.";
  return sheet
    .map((e) => `- ${e.member.displayName} (#${e.member.id}) — **${ATTENDANCE_LABELS[e.status]}**${e.answer ? ` · réponse : ${ANSWER_LABELS[e.answer]}` : " · pas de réponse"}`)
    .join("\n");
}

/** « #3, Léa Martin, <@123> <@456> » → the members, resolved like /membre does; an unknown name refuses everything. */
async function membersIn(ctx: BaseContext, field: string, list: string | undefined): Promise<number[]> {
  if (!list) return [];
  const refs = list
    .split(/[,;\n]+/)
    .flatMap((chunk) => (/^\s*(<@[^>]+>|#\d+)(\s+(<@[^>]+>|#\d+))+\s*$/.test(chunk) ? chunk.trim().split(/\s+/) : [chunk]))
    .map((r) => r.trim())
    .filter(Boolean);
  const ids: number[] = [];
  for (const ref of refs) {
    try {
      ids.push((await ctx.services.members.findByRef(ref, ctx.platform)).id);
    } catch (err) {
      if (err instanceof UserError) throw new ValidationError([{ field, message: err.message.replace(/\.$/, ""), expected: "des membres séparés par des virgules : #12, un nom ou une mention" }], false);
      throw err;
    }
  }
  return ids;
}

/** What the answerer will really receive: the next reminder, or that none is planned. */
function reminderPromise(next: Date | null, timezone: string): string {
  return next ? `Vous recevrez un rappel par message privé le ${formatWhen(next, timezone)}.` : "Aucun rappel n'est prévu pour cette rencontre.";
}

function answerText(meetingTitle: string, when: string, r: Awaited<ReturnType<MeetingService["answer"]>>, reminder: string): string {
  if (r.previous === r.answer) return `Votre réponse à « ${meetingTitle} » était déjà « ${ANSWER_LABELS[r.answer]} ».`;
  switch (r.answer) {
    case "yes":
      return `C'est noté : vous venez à « ${meetingTitle} » (${when}). ${reminder}`;
    case "waitlist":
      return `« ${meetingTitle} » est complète : vous êtes sur la liste d'attente (position ${r.position}). Un message privé vous préviendra si une place se libère.`;
    case "maybe":
      return `C'est noté : peut-être pour « ${meetingTitle} » (${when}). ${reminder} Confirmez quand vous saurez.`;
    case "no":
      return `C'est noté : vous ne venez pas à « ${meetingTitle} ».${r.previous === "yes" || r.previous === "waitlist" ? " Votre place est libérée." : ""}`;
  }
}

export default defineCommand({
  name: "rencontre",
  description: "Les rencontres du réseau : réunions, formations, analyses de pratique…",
  subcommands: [
    sub({
      name: "creer",
      description: "Créer une rencontre et l'annoncer dans le salon des rencontres",
      roles: STAFF,
      options: {
        type: options.type,
        titre: options.titre,
        debut: options.debut,
        lieu: options.lieu.optional(),
        visio: options.visio.optional(),
        duree: options.duree.optional(),
        public: options.public.optional(),
        places: options.places.optional(),
        rappels: options.rappels.optional(),
      },
      async run(ctx) {
        const o = ctx.options;
        const { at: start, understood } = startReading(ctx, o.debut);
        if (!o.lieu && !o.visio) {
          throw new ValidationError([PLACE_OR_VISIO_MISSING], false);
        }
        const type = o.type as MeetingType;
        const offsets = parseOffsets(o.rappels ?? DEFAULT_REMINDERS);
        const minutes = o.duree ? parseDuration(o.duree) : { ok: true as const, value: defaultDuration(type) };
        if (!offsets.ok || !minutes.ok) throw new Error("options validated by zod");
        const service = meetings(ctx);
        const { meeting, plan, publish } = await service.create(
          {
            type,
            title: o.titre,
            start,
            minutes: minutes.value,
            place: o.lieu,
            visioUrl: o.visio,
            audience: (o.public as Audience | undefined) ?? defaultAudience(type),
            capacity: o.places ?? null,
            offsets: offsets.value,
          },
          ctx.member,
        );
        return {
          title: `Rencontre n° ${meeting.id} créée`,
          text: [`**${meetingName(meeting)}**`, ...meetingLines(meeting, ctx.timezone), ...(understood ? [understood] : []), ...(meeting.capacity ? [`Places : ${meeting.capacity}`] : []), "", meeting.audience === "equipe" ? "Réservée à l'équipe : elle n'est pas annoncée dans le salon des rencontres ; l'équipe répond avec `/rencontre details`." : publishText(publish)].join("\n").trim(),
          fields: [{ name: "Rappels par message privé", value: planText(plan, ctx.timezone) }],
          private: true,
          tone: publish.problems.length ? "warning" : "success",
        };
      },
    }),
    sub({
      name: "liste",
      description: "Les rencontres à venir, avec votre réponse",
      options: {},
      async run(ctx) {
        const service = meetings(ctx);
        // Each member sees the meetings they may answer (the team's own ones are the team's business).
        const list = (await service.upcoming(ctx.member, { limit: 40 })).filter((m) => mayAnswer(ctx.member, m.audience as Audience)).slice(0, 20);
        if (list.length === 0) return { text: "Aucune rencontre à venir pour le moment.", private: true };
        const ids = list.map((m) => m.id);
        const [answers, counts] = await Promise.all([service.answersOf(ctx.member.id, ids), service.countsOf(ids)]);
        return {
          title: "Rencontres à venir",
          text: "Pour répondre : `/rencontre details rencontre:<n°>`, ou les boutons du message de la rencontre.",
          fields: list.map((m) => {
            const answer = answers.get(m.id);
            return {
              name: `n° ${m.id} — ${meetingName(m)}`.slice(0, 256),
              value: `${formatWhen(m.startsAt, ctx.timezone)}${m.place ? ` · ${m.place}` : m.visioUrl ? " · en visio" : ""}\n${countsLine(m, counts.get(m.id)!)}\nVotre réponse : **${answer ? ANSWER_LABELS[answer] : "aucune"}**`,
            };
          }),
          private: true,
        };
      },
    }),
    sub({
      name: "details",
      description: "Tout sur une rencontre : qui vient, votre réponse, les boutons pour répondre",
      options: { rencontre: meetingRef() },
      async run(ctx) {
        const service = meetings(ctx);
        const meeting = await service.require(idOf(ctx.options.rencontre), ctx.member);
        const roster = await service.roster(meeting.id);
        const card = meetingCard(meeting, service.counts(roster), ctx.clock.now(), ctx.timezone);
        const names = (answer: string) => roster.filter((r) => r.rsvp.answer === answer).map((r) => r.member.displayName);
        const mine = roster.find((r) => r.member.id === ctx.member.id)?.rsvp.answer as keyof typeof ANSWER_LABELS | undefined;
        return {
          ...card,
          fields: [
            { name: "Je viens", value: names("yes").join(", ") || "personne pour l'instant" },
            { name: "Peut-être", value: names("maybe").join(", ") || "—" },
            ...(meeting.capacity !== null ? [{ name: "Liste d'attente", value: names("waitlist").join(", ") || "—" }] : []),
            { name: "Votre réponse", value: mine ? ANSWER_LABELS[mine] : "aucune" },
          ],
          private: true,
        };
      },
    }),
    sub({
      name: "modifier",
      description: "Changer une rencontre : les rappels suivent, ceux qui ont répondu sont prévenus",
      roles: STAFF,
      options: {
        rencontre: meetingRef(),
        type: options.type.optional(),
        titre: options.titre.optional(),
        debut: options.debut.optional(),
        duree: options.duree.optional(),
        lieu: options.lieu.optional(),
        visio: options.visio.optional(),
        public: options.public.optional(),
        places: opt.integer("Nombre de places (0 : sans limite)", z.number().int().min(0, { message: "0 (sans limite) ou plus" }).max(500, { message: "500 places au plus" }), "un nombre entier de 0 (sans limite) à 500").optional(),
        rappels: options.rappels.optional(),
      },
      async run(ctx) {
        const o = ctx.options;
        const patch: MeetingPatch = {};
        if (o.debut) patch.start = startReading(ctx, o.debut).at;
        if (o.type) patch.type = o.type as MeetingType;
        if (o.titre) patch.title = o.titre;
        if (o.duree) patch.minutes = (parseDuration(o.duree) as { value: number }).value;
        if (o.lieu) patch.place = o.lieu;
        if (o.visio) patch.visioUrl = o.visio;
        if (o.public) patch.audience = o.public as Audience;
        if (o.places !== undefined) patch.capacity = o.places === 0 ? null : o.places;
        if (o.rappels) patch.offsets = (parseOffsets(o.rappels) as { value: MeetingPatch["offsets"] & object }).value;
        if (Object.keys(patch).length === 0) {
          throw new ValidationError([{ field: "rencontre", message: "indiquez au moins une chose à changer", expected: "par exemple debut:« 13 mars 10h » ou lieu:…" }], false);
        }
        const service = meetings(ctx);
        const result = await service.modify(idOf(o.rencontre), patch, ctx.member);
        const { meeting } = result;
        const lines = [
          `**${meetingName(meeting)}**`,
          ...meetingLines(meeting, ctx.timezone),
          "",
          result.changes.length ? `Changements :\n${result.changes.map((c) => `- ${c}`).join("\n")}` : "Seuls les rappels changent.",
          result.told
            ? `${plural(result.told, "personne", "personnes")} qui ${agree(result.told, "a répondu va être prévenue", "ont répondu vont être prévenues")} par message privé, en un seul message avec les autres changements faits dans les 5 minutes.`
            : result.changes.some((c) => !c.startsWith("places : "))
              ? "Personne n'a encore répondu : personne à prévenir."
              : "Personne n'est prévenu : seuls le nombre de places ou les rappels changent.",
          result.promoted
            ? `${result.promoted} personne${result.promoted > 1 ? "s passent" : " passe"} de la liste d'attente à « Je viens » et ${result.promoted > 1 ? "vont être prévenues" : "va être prévenue"} par message privé.`
            : "",
          publishText(result.publish),
        ];
        return {
          title: `Rencontre n° ${meeting.id} modifiée`,
          text: lines.filter(Boolean).join("\n"),
          fields: [{ name: "Rappels par message privé", value: planText(result.plan, ctx.timezone) }],
          private: true,
          tone: "success",
        };
      },
    }),
    sub({
      name: "annuler",
      description: "Annuler une rencontre : plus de rappels, ceux qui ont répondu sont prévenus",
      roles: STAFF,
      options: {
        rencontre: meetingRef(),
        motif: opt.text("Pourquoi (dit aux participants)", z.string().trim().min(3, { message: "3 caractères au moins" }).max(300, { message: "300 caractères au plus" }), "une phrase de 3 à 300 caractères").optional(),
      },
      async run(ctx) {
        const { meeting, told } = await meetings(ctx).cancel(idOf(ctx.options.rencontre), ctx.options.motif, ctx.member);
        return {
          text: `« ${meetingName(meeting)} » du ${formatWhen(meeting.startsAt, ctx.timezone)} est annulée. Les rappels sont annulés${told ? ` et ${plural(told, "personne", "personnes")} ${agree(told, "va être prévenue", "vont être prévenues")} par message privé` : ""}.`,
          private: true,
          tone: "success",
        };
      },
    }),
    sub({
      name: "presences",
      description: "Après la rencontre : présent, absent ou excusé pour chaque membre attendu",
      roles: STAFF,
      options: {
        rencontre: meetingRef(),
        presents: opt.text("Membres présents : #12, nom ou mention, séparés par des virgules", z.string().trim().min(1).max(1500), "des membres séparés par des virgules").optional(),
        absents: opt.text("Membres absents", z.string().trim().min(1).max(1500), "des membres séparés par des virgules").optional(),
        excuses: opt.text("Membres excusés", z.string().trim().min(1).max(1500), "des membres séparés par des virgules").optional(),
      },
      async run(ctx) {
        const service = meetings(ctx);
        const id = idOf(ctx.options.rencontre);
        const meeting = await service.require(id, ctx.member);
        const overrides = new Map<number, AttendanceStatus>();
        const lists: [string, AttendanceStatus, string | undefined][] = [
          ["presents", "present", ctx.options.presents],
          ["absents", "absent", ctx.options.absents],
          ["excuses", "excused", ctx.options.excuses],
        ];
        for (const [field, status, list] of lists) {
          for (const memberId of await membersIn(ctx, field, list)) {
            const already = overrides.get(memberId);
            if (already && already !== status) {
              throw new ValidationError([{ field, message: `le membre #${memberId} est aussi dans une autre liste`, expected: "chaque membre dans une seule liste" }], false);
            }
            overrides.set(memberId, status);
          }
        }
        if (overrides.size > 0) {
          const sheet = await service.recordAttendance(id, overrides, ctx.member);
          return { title: `Présences enregistrées — ${meetingName(meeting)}`, text: sheetText(sheet), private: true, tone: "success" };
        }
        const sheet = await service.attendanceSheet(id);
        const recorded = sheet.some((e) => e.recorded);
        if (ctx.clock.now() < meeting.startsAt) {
          throw new UserError(`La rencontre n° ${id} n'a pas encore commencé (${formatWhen(meeting.startsAt, ctx.timezone)}) : les présences se saisissent après.`);
        }
        return {
          title: `Présences — ${meetingName(meeting)}`,
          text: [
            recorded ? "Présences enregistrées :" : "Proposition d'après les réponses (rien n'est encore enregistré) :",
            sheetText(sheet),
            "",
            `Pour corriger : \`/rencontre presences rencontre:${id} presents:#12, #15 excuses:#7\` (les autres gardent l'état affiché).`,
          ].join("\n"),
          components: recorded ? undefined : [{ buttons: [{ kind: "button", id: componentId("rencontre", "presences", id), label: "Enregistrer ces présences", style: "primary" }] }],
          private: true,
        };
      },
    }),
    sub({
      name: "ics",
      description: "Les rencontres à venir en fichier agenda (.ics) ; le réimporter met à jour",
      options: {},
      async run(ctx) {
        const list = await meetings(ctx).upcoming(ctx.member, { withCancelled: true, limit: 100 });
        const data = Buffer.from(buildCalendar(list, ctx.clock.now()), "utf8");
        const count = list.filter((m) => m.status === "scheduled").length;
        return {
          text: count
            ? `${plural(count, "rencontre", "rencontres")} à venir. Importez ce fichier dans votre agenda ; l'importer à nouveau plus tard met à jour les rencontres sans les dupliquer.`
            : "Aucune rencontre à venir pour le moment : le fichier est vide.",
          files: [{ name: "rencontres-promeneurs-du-net.ics", data, contentType: "text/calendar", description: "Rencontres des Promeneurs du Net des Vosges" }],
          private: true,
        };
      },
    }),
  ],
  components: {
    rsvp: {
      async run(ctx) {
        const [idText, choice] = ctx.args;
        const service = meetings(ctx);
        const id = numberArg(idText);
        if (!choice || !(choice in CHOICES) || id === undefined) return { text: STALE_COMPONENT, private: true };
        // A button of a meeting deleted since: answered without opening a transaction.
        if (!(await service.get(id))) return { text: "Ce bouton n'est plus valable : cette rencontre n'existe plus.", private: true };
        const result = await service.answer(id, ctx.member, choice as Choice);
        const reminder = reminderPromise(await nextReminderAt(ctx.services.db, result.meeting, ctx.clock.now()), ctx.timezone);
        return { text: answerText(result.meeting.title, formatWhen(result.meeting.startsAt, ctx.timezone), result, reminder), private: true, tone: "success" };
      },
    },
    presences: {
      roles: STAFF,
      async run(ctx) {
        const id = numberArg(ctx.args[0]);
        if (id === undefined) throw new UserError(STALE_COMPONENT);
        const service = meetings(ctx);
        const meeting = await service.require(id, ctx.member);
        const sheet = await service.recordAttendance(id, new Map(), ctx.member);
        return { title: `Présences enregistrées — ${meetingName(meeting)}`, text: sheetText(sheet), private: true, update: true, tone: "success" };
      },
    },
  },
});
