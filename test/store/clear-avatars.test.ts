/**
 * The migration that clears the platform avatars stored silently at first contact, keeping the
 * photos the members set themselves (known from the audit log).
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../../src/store/migrate.js";
import { MIGRATIONS_DIR } from "../../src/store/paths.js";

const MIGRATION = "clear_platform_avatars";
const tmp = mkdtempSync(path.join(os.tmpdir(), "promeneurs-avatars-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe(`migration ${MIGRATION}`, () => {
  it("clears the avatars stored at first contact and keeps the photos members set", async () => {
    const file = path.join(tmp, "db.sqlite");
    const before = path.join(tmp, "before");
    cpSync(MIGRATIONS_DIR, before, { recursive: true, filter: (src) => !src.includes(MIGRATION) });
    await applyMigrations(`file:${file}`, () => {}, { migrationsDir: before });

    const db = new Database(file);
    const add = db.prepare(`INSERT INTO "Member" ("id", "firstName", "displayName", "photoUrl", "updatedAt") VALUES (?, ?, ?, ?, 0)`);
    add.run(1, "Avatar", "Avatar Discord", "https://cdn.discordapp.com/avatars/1/a.png");
    add.run(2, "Choisie", "Photo choisie", "https://structure.fr/moi.png");
    add.run(3, "Animateur", "Photo par l'animateur", "https://structure.fr/logo.png");
    add.run(4, "Sans", "Sans photo", null);
    add.run(5, "Autre", "Autre changement", "https://avatars.slack-edge.com/x_192.png");
    const log = db.prepare(`INSERT INTO "AuditLog" ("actorId", "action", "targetType", "targetId", "details") VALUES (?, ?, 'member', ?, ?)`);
    log.run(2, "profile.update", "2", JSON.stringify({ photoUrl: { avant: "https://cdn.discordapp.com/avatars/2/b.png", après: "https://structure.fr/moi.png" } }));
    log.run(null, "member.update", "3", JSON.stringify({ photoUrl: { avant: null, après: "https://structure.fr/logo.png" } }));
    log.run(5, "profile.update", "5", JSON.stringify({ commune: { avant: null, après: "Épinal" } }));
    db.close();

    await applyMigrations(`file:${file}`, () => {});
    const after = new Database(file, { readonly: true });
    const photos = after.prepare(`SELECT "id", "photoUrl" FROM "Member" ORDER BY "id"`).all();
    after.close();
    expect(photos).toEqual([
      { id: 1, photoUrl: null },
      { id: 2, photoUrl: "https://structure.fr/moi.png" },
      { id: 3, photoUrl: "https://structure.fr/logo.png" },
      { id: 4, photoUrl: null },
      { id: 5, photoUrl: null },
    ]);
  });
});
