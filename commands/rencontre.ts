import { z } from "zod";
import { defineCommand, opt, sub, type BaseContext, type ComponentHandler } from "../src/bot/command.js";
import { ValidationError } from "../src/bot/validate.js";
import { parseDuration, parseStart } from "../src/core/date-input.js";
import { formatWhen } from "../src/core/dates.js";
import { UserError } from "../src/core/errors.js";
import {
  AUDIENCES,
  CHOICES,
  DEFAULT_REMINDERS,
  MEETING_ACTIONS,
  MEETING_COMMAND,
  MEETING_TYPES,
  answeredReply,
  attendanceRecordedReply,
  attendanceSheetReply,
  buildCalendar,
  calendarFileReply,
  cancelledReply,
  createdReply,
  defaultAudience,
  defaultDuration,
  detailsReply,
  mayAnswer,
  modifiedReply,
  parseOffsets,
  upcomingReply,
  type AttendanceStatus,
  type Audience,
  type Choice,
  type MeetingAction,
  type MeetingPatch,
  type MeetingService,
  type MeetingType,
} from "../src/core/meetings/index.js";
import { CAPACITY_RULE, PLACE_OR_VISIO_MISSING, PLACE_RULE, VISIO_RULE } from "../src/core/meetings/place.js";
import { STALE_COMPONENT, numberArg } from "../src/core/reply.js";
import { STAFF } from "../src/core/roles.js";

const DEBUT_EXPECTED = "« 12/03/2026 14h30 », « 12 mars 14h » ou « jeudi prochain 9h »";
const DUREE_EXPECTED = "« 2h », « 1h30 » ou « 45min » (de 15 min à 12 h)";
const RAPPELS_EXPECTED = "des délais avant la rencontre séparés par des virgules, par exemple « 7j,1j,2h » (j, h ou min), ou « aucun »";

const meetings = (ctx: BaseContext): MeetingService => ctx.features.meetings;

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

/** The start, read against the clock, and how it was understood (refused like any other bad option, nothing written); a relative one (« jeudi prochain ») also says how far it is. */
function startReading(ctx: BaseContext, text: string): { at: Date; understood: string | null } {
  const result = parseStart(text, { now: ctx.clock.now(), timeZone: ctx.timeZone });
  if (!result.ok) throw new ValidationError([{ field: "debut", message: result.error, expected: DEBUT_EXPECTED }], false);
  const { at, reading, relative } = result.value;
  return { at, understood: relative ? `« ${text.trim()} » compris comme le ${reading} (${relative}).` : null };
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

export default defineCommand({
  name: MEETING_COMMAND,
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
        const created = await meetings(ctx).create(
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
        return createdReply(created, understood, ctx.timeZone);
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
        const ids = list.map((m) => m.id);
        const [answers, counts] = await Promise.all([service.answersOf(ctx.member.id, ids), service.countsOf(ids)]);
        return upcomingReply(list, answers, counts, ctx.timeZone);
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
        return detailsReply(meeting, roster, service.counts(roster), ctx.member.id, ctx.clock.now(), ctx.timeZone);
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
        return modifiedReply(await meetings(ctx).modify(idOf(o.rencontre), patch, ctx.member), ctx.timeZone);
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
        return cancelledReply(meeting, told, ctx.timeZone);
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
          return attendanceRecordedReply(meeting, sheet);
        }
        if (ctx.clock.now() < meeting.startsAt) {
          throw new UserError(`La rencontre n° ${id} n'a pas encore commencé (${formatWhen(meeting.startsAt, ctx.timeZone)}) : les présences se saisissent après.`);
        }
        return attendanceSheetReply(meeting, await service.attendanceSheet(id));
      },
    }),
    sub({
      name: "ics",
      description: "Les rencontres à venir en fichier agenda (.ics) ; le réimporter met à jour",
      options: {},
      async run(ctx) {
        const list = await meetings(ctx).upcoming(ctx.member, { withCancelled: true, limit: 100 });
        return calendarFileReply(buildCalendar(list, ctx.clock.now()), list.filter((m) => m.status === "scheduled").length);
      },
    }),
  ],
  components: {
    [MEETING_ACTIONS.rsvp]: {
      async run(ctx) {
        const [idText, choice] = ctx.args;
        const service = meetings(ctx);
        const id = numberArg(idText);
        if (!choice || !(choice in CHOICES) || id === undefined) return { text: STALE_COMPONENT, private: true };
        // A button of a meeting deleted since: answered without opening a transaction.
        if (!(await service.get(id))) return { text: "Ce bouton n'est plus valable : cette rencontre n'existe plus.", private: true };
        const result = await service.answer(id, ctx.member, choice as Choice);
        return answeredReply(result, await service.nextReminder(result.meeting), ctx.timeZone);
      },
    },
    [MEETING_ACTIONS.attendance]: {
      roles: STAFF,
      async run(ctx) {
        const id = numberArg(ctx.args[0]);
        if (id === undefined) throw new UserError(STALE_COMPONENT);
        const service = meetings(ctx);
        const meeting = await service.require(id, ctx.member);
        const sheet = await service.recordAttendance(id, new Map(), ctx.member);
        return { ...attendanceRecordedReply(meeting, sheet), update: true };
      },
    },
  } satisfies Record<MeetingAction, ComponentHandler>,
});
