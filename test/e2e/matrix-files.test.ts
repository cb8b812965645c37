/**
 * A reply's files on Matrix: uploaded as Matrix media and sent as a file message after the text.
 * In an encrypted room (the direct room, as Tchap's rooms) the file is encrypted on the bot's side:
 * the media repository only ever holds ciphertext, and the person's client decrypts it with the key
 * carried in the end-to-end encrypted message.
 */
import { describe, expect, it } from "vitest";
import { command, privateMessage, startMatrixWorld } from "./matrix-world.js";

describe("files on Matrix", { timeout: 180_000 }, () => {
  it("sends the calendar of !rencontre ics as an encrypted file in the direct room", async () => {
    const w = await startMatrixWorld();
    await command(w, w.nora, '!rencontre creer type:departementale titre:"Parentalité et écrans" debut:"12 mars 14h" lieu:"MJC Épinal"');
    await w.leo.waitFor((m) => m.sender === w.botUserId && m.body.includes("Parentalité et écrans") && !m.threadRoot, "the meeting card");
    await command(w, w.leo, "!rencontre ics");
    await privateMessage(w, w.leo, (m) => m.body.includes("Importez ce fichier dans votre agenda"), "the calendar's text");
    const file = await privateMessage(w, w.leo, (m) => m.content.msgtype === "m.file", "the calendar file");
    expect(file.encrypted).toBe(true);
    expect(file.body).toBe("rencontres-promeneurs-du-net.ics");
    expect(file.content.info).toMatchObject({ mimetype: "text/calendar" });
    expect(file.content.url).toBeUndefined();
    const ics = (await w.leo.download(file.content)).toString("utf8");
    expect(ics).toMatch(/^BEGIN:VCALENDAR/);
    expect(ics).toContain("Parentalité et écrans");
    // The homeserver holds ciphertext only.
    const stored = [...w.emu.media.files.values()];
    expect(stored).toHaveLength(1);
    expect(stored[0]!.data.toString("utf8")).not.toContain("VCALENDAR");
    expect(stored[0]!.filename).toBeUndefined();
  });
});
