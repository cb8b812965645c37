/**
 * Erasure (/mes-donnees effacer, /membre effacer): the person's values leave the database file,
 * while the figures of past years stay exactly the same.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../helpers/clock.js";
import { PrivacyService } from "../../../src/core/privacy/service.js";
import type { Figures } from "../../../src/core/reporting/figure-model.js";
import { computeFigures } from "../../../src/core/reporting/figures.js";
import { openStore, type PrismaClient, type Store } from "../../../src/store/index.js";
import { freshStoreUrl } from "../../store/fixture.js";
import { storedBytes } from "../../store/stored-bytes.js";
import { seedYear } from "../reporting/seed-year.js";

const TZ = "Europe/Paris";
const LATER = new Date("2027-02-01T10:00:00Z");
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** Values only Alice (#3) and Chloé (#5) wrote or are known by: none may survive the erasure. */
const SECRETS = [
  "alice.martin@mjc-epinal.fr",
  "Alice Martin",
  "06 11 22 33 44 (Alice)",
  "Zéphyrin-question-secrète",
  "Texte-de-question-Wqx7 sur un jeune",
  "Action-notable-Kp92 avec un parent",
  "Commentaire-veille-Hh31",
  "Besoin-formation-Jj55",
  "Présentation-Ll88 de Chloé",
  "discord-id-424242",
  "chloe.durand@caf-vosges.fr",
  "Message-privé-Rr21 pour Alice",
];

async function seedPersonalData(db: PrismaClient): Promise<void> {
  await db.member.update({ where: { id: 3 }, data: { email: "alice.martin@mjc-epinal.fr", contact: "06 11 22 33 44 (Alice)", directoryConsent: true } });
  await db.member.update({ where: { id: 5 }, data: { email: "chloe.durand@caf-vosges.fr" } });
  await db.platformAccount.create({ data: { platform: "DISCORD", externalId: "discord-id-424242", memberId: 3, displayName: "Alice Martin" } });
  await db.question.create({ data: { askerId: 3, subject: "Zéphyrin-question-secrète", body: "Texte-de-question-Wqx7 sur un jeune", category: "pratique", state: "closed", askedAt: new Date("2025-05-01T10:00:00Z"), answers: { create: { authorId: 1, body: "Réponse à Zéphyrin-question-secrète", answeredAt: new Date("2025-05-01T12:00:00Z") } } } });
  await db.activityReport.update({ where: { memberId_month: { memberId: 3, month: "2026-01" } }, data: { actions: "Action-notable-Kp92 avec un parent" } });
  await db.watchItem.updateMany({ where: { sharedById: 3 }, data: { comment: "Commentaire-veille-Hh31" } });
  const survey = await db.trainingSurvey.findFirstOrThrow();
  await db.trainingNeed.create({ data: { surveyId: survey.id, memberId: 3, text: "Besoin-formation-Jj55", updatedAt: LATER } });
  const poll = await db.poll.create({ data: { question: "Quelle date ?", closesAt: LATER, createdAt: LATER, options: { create: [{ position: 1, label: "Lundi" }] } }, include: { options: true } });
  await db.vote.create({ data: { pollId: poll.id, optionId: poll.options[0]!.id, voterKey: "k3", slot: 0, memberId: 3 } });
  const journey = await db.onboardingJourney.findUniqueOrThrow({ where: { memberId: 5 } });
  await db.job.create({ data: { kind: "onboarding.message", payload: JSON.stringify({ journeyId: journey.id, sequence: 0, message: "presentation", text: "Présentation-Ll88 de Chloé" }), dueAt: LATER, state: "done", createdAt: LATER, updatedAt: LATER } });
  await db.auditLog.create({ data: { actorId: 1, action: "member.update", targetType: "member", targetId: "3", details: JSON.stringify({ email: { avant: null, après: "alice.martin@mjc-epinal.fr" } }) } });
  await db.inboxMessage.create({ data: { memberId: 3, key: "question:1:answer:1", text: "Message-privé-Rr21 pour Alice", createdAt: LATER } });
  await db.auditLog.create({ data: { actorId: 1, action: "meeting.note", targetType: "meeting", targetId: "1", details: JSON.stringify({ note: "Appeler Alice Martin" }) } });
}

const figuresOf = async (db: PrismaClient, year: number) => computeFigures(db, { year, timeZone: TZ, now: LATER, viewerRole: "ADMIN" });
/** Today's snapshot (statuses, who missed their last meetings) is not a figure of a past year. */
const pastYearPart = ({ members: { byStatus: _s, ...members }, lowParticipation: _l, ...rest }: Figures) => ({ ...rest, members });

const inBytes = (bytes: string, value: string) => bytes.includes(Buffer.from(value, "utf8").toString("latin1"));

describe("erasing a member", () => {
  it("keeps the figures of past years, and leaves none of the erased values in the database file", async () => {
    const url = await freshStoreUrl();
    store = await openStore(url);
    const db = store.prisma;
    await seedYear(db);
    await seedPersonalData(db);
    const before = await storedBytes(url);
    for (const secret of SECRETS) expect(inBytes(before, secret), `seeded: ${secret}`).toBe(true);
    const figures = { 2025: await figuresOf(db, 2025), 2026: await figuresOf(db, 2026) };

    const privacy = new PrivacyService(db, new ManualClock(LATER));
    await privacy.erase(3, { id: 3, as: "membre" });
    await privacy.erase(5, { id: 1, as: "administrateur" });

    for (const year of [2025, 2026] as const) {
      const after = await figuresOf(db, year);
      expect(pastYearPart(after), `figures of ${year}`).toEqual(pastYearPart(figures[year]));
      expect(after.members.byStatus.ACTIVE).toBe(figures[year].members.byStatus.ACTIVE! - 2);
      expect(after.members.byStatus.INACTIVE).toBe(figures[year].members.byStatus.INACTIVE! + 2);
    }
    const bytes = await storedBytes(url);
    for (const secret of SECRETS) expect(inBytes(bytes, secret), `still in the file: ${secret}`).toBe(false);
  }, 60_000); // on PostgreSQL: two VACUUM FULL and two CHECKPOINT, seconds each on a loaded machine

  it("empties identity and free texts, anonymises votes, and keeps the audit actions with « effacé »", async () => {
    store = await openStore(await freshStoreUrl());
    const db = store.prisma;
    await seedYear(db);
    await seedPersonalData(db);
    await new PrivacyService(db, new ManualClock(LATER)).erase(3, { id: 3, as: "membre" });

    const alice = await db.member.findUniqueOrThrow({ where: { id: 3 } });
    expect(alice).toMatchObject({ firstName: "Membre", lastName: null, displayName: "Membre effacé n° 3", email: null, contact: null, structure: null, commune: null, directoryConsent: false, status: "INACTIVE", kind: "JEUNESSE", erasedAt: LATER });
    expect(await db.platformAccount.count({ where: { memberId: 3 } })).toBe(0);
    expect(await db.vote.count()).toBe(1);
    expect(await db.vote.count({ where: { memberId: 3 } })).toBe(0);
    const questions = await db.question.findMany({ where: { askerId: 3 }, include: { answers: true } });
    expect(questions.every((q) => q.subject === "effacé" && q.body === "effacé" && q.answers.every((a) => a.body === "effacé"))).toBe(true);
    const update = await db.auditLog.findFirstOrThrow({ where: { action: "member.update", targetId: "3" } });
    expect(JSON.parse(update.details)).toEqual({ email: { avant: null, après: "effacé" } });
    const note = await db.auditLog.findFirstOrThrow({ where: { action: "meeting.note" } });
    expect(JSON.parse(note.details)).toEqual({ note: "Appeler effacé" });
    const erase = await db.auditLog.findFirstOrThrow({ where: { action: "member.erase" } });
    expect(erase).toMatchObject({ targetId: "3", actorId: null });
    expect(JSON.parse(erase.details)).toEqual({ demande: "membre" });
  });

  it("refuses to erase the last administrator, and writes nothing", async () => {
    store = await openStore(await freshStoreUrl());
    const db = store.prisma;
    const admin = await db.member.create({ data: { firstName: "Ada", lastName: "Admin", displayName: "Ada Admin", role: "ADMIN", status: "ACTIVE" } });
    await expect(new PrivacyService(db, new ManualClock(LATER)).erase(admin.id, { id: admin.id, as: "membre" })).rejects.toThrow("dernier administrateur");
    expect(await db.member.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ displayName: "Ada Admin", erasedAt: null });
    expect(await db.auditLog.count()).toBe(0);
  });

  it("follows the one role rule: an animator cannot erase an administrator, nor anyone the last animator", async () => {
    store = await openStore(await freshStoreUrl());
    const db = store.prisma;
    const person = (firstName: string, role: "ADMIN" | "ANIMATEUR") =>
      db.member.create({ data: { firstName, lastName: "Test", displayName: `${firstName} Test`, role, status: "ACTIVE" } });
    const [ada, alba] = [await person("Ada", "ADMIN"), await person("Alba", "ADMIN")];
    const anna = await person("Anna", "ANIMATEUR");
    const privacy = new PrivacyService(db, new ManualClock(LATER));
    await expect(privacy.erase(ada.id, { id: anna.id, as: "administrateur" })).rejects.toThrow("seul un administrateur peut effacer un administrateur");
    await expect(privacy.erase(anna.id, { id: alba.id, as: "administrateur" })).rejects.toThrow("dernier animateur");
    // Her own right stays whole while another animator serves.
    await person("Aline", "ANIMATEUR");
    await privacy.erase(anna.id, { id: anna.id, as: "membre" });
    expect(await db.member.findUniqueOrThrow({ where: { id: ada.id } })).toMatchObject({ displayName: "Ada Test", erasedAt: null });
    expect(await db.member.findUniqueOrThrow({ where: { id: anna.id } })).toMatchObject({ erasedAt: expect.any(Date) });
  });
});
