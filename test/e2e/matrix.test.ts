/**
 * The bot on Matrix (Tchap, Element), end to end: the real matrix-js-sdk with its Rust crypto in the
 * bot and in each person's client, against the Matrix emulator. The network's room is encrypted:
 * every command the bot reads and every answer a person reads went through real end-to-end crypto.
 */
import { describe, expect, it } from "vitest";
import { command, connectPerson, privateMessage, privateMessages, startMatrixWorld } from "./matrix-world.js";

describe("the bot on Matrix", { timeout: 180_000 }, () => {
  it("answers !aide privately in a direct room it creates once and reuses, with the commands written with !", async () => {
    const w = await startMatrixWorld();
    const asked = await command(w, w.leo, "!aide");
    const help = await privateMessage(w, w.leo, (m) => m.body.includes("annuaire"), "the help");
    expect(help.body).toContain("!annuaire");
    expect(help.body).not.toMatch(/(^|\s)\/annuaire/);
    expect(help.body).not.toContain("!membre ajouter");
    expect(help.encrypted).toBe(true);
    // In the room, the command only gets a sign that the answer went to the direct room.
    await w.leo.waitFor((m) => m.type === "m.reaction" && (m.content["m.relates_to"] as { event_id?: string }).event_id === asked, "the 📩 reaction");
    await command(w, w.leo, "!aide");
    await w.leo.waitFor(() => privateMessages(w, w.leo).length >= 2, "a second private answer");
    expect(new Set(privateMessages(w, w.leo).map((m) => m.roomId)).size).toBe(1);
    const direct = [...w.emu.hs.rooms.values()].filter((r) => r.events.some((e) => e.type === "m.room.member" && e.content.is_direct === true));
    expect(direct).toHaveLength(1);
    expect(w.emu.account(w.botUserId).accountData.get("m.direct")?.content).toEqual({ [w.leo.userId]: [direct[0]!.roomId] });
  });

  it("refuses a Promeneur the configuration, naming the role needed, and writes nothing", async () => {
    const w = await startMatrixWorld();
    const settingsBefore = await w.bot.store.prisma.setting.count();
    await command(w, w.leo, `!config canal usage:annonces canal:${w.roomId}`);
    const refused = await privateMessage(w, w.leo, (m) => m.body.includes("réservée"), "the refusal");
    expect(refused.body).toContain("réservée aux rôles suivants : Animateur du réseau, Administrateur");
    expect(await w.bot.store.prisma.setting.count()).toBe(settingsBefore);
  });

  it("creates a meeting from a ! command with quoted options; a reaction ✅ on the card answers and edits the card in place", async () => {
    const w = await startMatrixWorld();
    await command(w, w.nora, '!rencontre creer type:departementale titre:"Les réseaux sociaux des 11-15 ans" debut:"12 mars 14h" lieu:"MJC Épinal"');
    const card = await w.leo.waitFor((m) => m.sender === w.botUserId && m.roomId === w.roomId && m.body.includes("Les réseaux sociaux des 11-15 ans") && !m.threadRoot && !m.replaces, "the meeting card");
    expect(card.encrypted).toBe(true);
    expect(card.body).toContain("✅ Je viens");
    expect(card.body).toContain("❔ Peut-être");
    expect(card.body).toContain("❌ Je ne viens pas");
    await w.leo.react(w.roomId, card.eventId, "✅");
    const confirmation = await privateMessage(w, w.leo, (m) => m.body.includes("rappel"), "the RSVP confirmation");
    expect(confirmation.body).toContain("Vous recevrez un rappel par message privé");
    const edited = await w.leo.waitFor((m) => m.replaces === card.eventId && /Je viens\D*1/.test(m.body), "the card edited with one coming");
    expect(edited.sender).toBe(w.botUserId);
    const member = await w.bot.services.members.findByRef(w.leo.userId, "matrix");
    const answers = await w.bot.store.prisma.rsvp.findMany({ where: { memberId: member.id } });
    expect(answers.map((a) => a.answer)).toEqual(["yes"]);

    // The reminder reaches Léo privately on Matrix when it falls due.
    w.clock.set("2026-03-05T13:01:00Z");
    await w.bot.scheduler.tick();
    const reminder = await privateMessage(w, w.leo, (m) => m.body.includes("Rappel :"), "the reminder");
    expect(reminder.body).toContain("Les réseaux sociaux des 11-15 ans");
  });

  it("starts onboarding when someone joins the network's room, and stops it when they leave", async () => {
    const w = await startMatrixWorld();
    const zoe = await connectPerson(w, "zoe", "Zoé Durand");
    w.emu.hs.addEvent(w.emu.room(w.roomId), { type: "m.room.member", sender: w.nora.userId, state_key: zoe.userId, content: { membership: "invite" } });
    await expect.poll(async () => w.bot.store.prisma.onboardingJourney.count(), { timeout: 45_000 }).toBe(1);
    // The welcome is a job of the journey: sent when the scheduler runs.
    await w.bot.scheduler.tick();
    const welcome = await privateMessage(w, zoe, () => true, "the welcome message").catch((err: Error) => {
      throw new Error(`${err.message}\n${w.logLines().filter((l) => /"level":(40|50)|accueil|arriv/.test(l)).join("\n")}`);
    });
    expect(welcome.encrypted).toBe(true);
    const member = await w.bot.services.members.findByRef(zoe.userId, "matrix");
    expect(member.status).toBe("ONBOARDING");
    await zoe.client.leave(w.roomId);
    await expect.poll(async () => (await w.bot.store.prisma.onboardingJourney.findUnique({ where: { memberId: member.id } }))?.state, { timeout: 45_000 }).not.toBe("active");
  });

  it("restarts on the same device with the same keys, and still reads and answers the encrypted room", async () => {
    const w = await startMatrixWorld();
    await command(w, w.leo, "!aide");
    await privateMessage(w, w.leo, () => true);
    const before = w.emu.account(w.botUserId).devices;
    const [deviceId] = [...before.keys()];
    const keysBefore = JSON.stringify(before.get(deviceId!)!.keys);
    await w.restart();
    expect([...w.emu.account(w.botUserId).devices.keys()]).toEqual([deviceId]);
    expect(JSON.stringify(w.emu.account(w.botUserId).devices.get(deviceId!)!.keys)).toBe(keysBefore);
    expect(w.emu.calls.filter((c) => c.path.endsWith("/login") && c.status === 200)).toHaveLength(1);
    await command(w, w.leo, "!aide");
    await w.leo.waitFor(() => privateMessages(w, w.leo).length >= 2, "an answer after the restart");
    // The first sync after the restart does not answer the command from before it again.
    expect(privateMessages(w, w.leo)).toHaveLength(2);
  });

  it("waits out M_LIMIT_EXCEEDED and a lost sync, and answers", async () => {
    const w = await startMatrixWorld();
    w.emu.rateLimit({ method: "POST", path: /^\/createRoom$/, times: 1, retryAfterMs: 200 });
    w.emu.failSyncs(1);
    await command(w, w.leo, "!aide");
    await privateMessage(w, w.leo, (m) => m.body.includes("annuaire"), "the help after the limits");
    expect(w.emu.calls.filter((c) => c.path.endsWith("/createRoom")).map((c) => c.status)).toEqual([429, 200]);
  });

  it("asks a form's questions one by one in the direct room, and « !annuler » records nothing", async () => {
    const w = await startMatrixWorld();
    await command(w, w.leo, "!question poser");
    const first = await privateMessage(w, w.leo, (m) => m.body.includes("Formulaire « Une question à l'animateur »"), "the form's first question");
    expect(first.body).toContain("1/3 — Sujet (obligatoire)");
    await w.leo.say(first.roomId, "!annuler");
    await privateMessage(w, w.leo, (m) => m.body.includes("abandonné : rien n'a été enregistré"), "the cancellation");
    expect(await w.bot.store.prisma.question.count()).toBe(0);

    await command(w, w.leo, "!question poser");
    await w.leo.waitFor(() => privateMessages(w, w.leo).filter((m) => m.body.includes("1/3 — Sujet")).length === 2, "the form again");
    await w.leo.say(first.roomId, "Salle pour un atelier");
    await privateMessage(w, w.leo, (m) => m.body.includes("2/3 — Votre question"), "the second question");
    await w.leo.say(first.roomId, "Comment réserver la salle du centre social ?");
    await privateMessage(w, w.leo, (m) => m.body.includes("3/3 — Catégorie"), "the third question");
    await w.leo.say(first.roomId, "Outils");
    await expect.poll(() => w.bot.store.prisma.question.count(), { timeout: 45_000 }).toBe(1);
    const question = await w.bot.store.prisma.question.findFirst();
    expect(question).toMatchObject({ subject: "Salle pour un atelier" });
  });
});
