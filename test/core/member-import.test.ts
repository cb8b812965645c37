import { describe, expect, it } from "vitest";
import { importMembers } from "../../src/core/member-import.js";
import { coreOnFreshStore } from "../helpers/store.js";

const CSV = [
  "Prénom;Nom;Structure;Type;Commune;E-mail;Identifiant Discord ou Slack",
  "Camille;Durand;MJC d'Épinal;Jeunesse;Épinal;camille@mjc-epinal.fr;discord:123456789012345678",
  "Hugo;Petit;Centre social;Parentalité;Saint-Dié-des-Vosges;hugo@cs.fr;U02ABCDEF",
  "Léna;;Espace jeunes;jeunesse;Golbey;;",
  ";Sans prénom;X;Jeunesse;Épinal;;",
  "Marc;Roy;MJC;sport;Vittel;marc@x;",
  "Zoé;Bon;MJC;Jeunesse;Remiremont;camille@mjc-epinal.fr;",
].join("\r\n");

describe("importing the existing directory", () => {
  it("creates members, links accounts and reports each bad line with its number", async () => {
    const { services, store, clock } = await coreOnFreshStore();
    const report = await importMembers(store.prisma, clock, Buffer.from(`\uFEFF${CSV}`, "utf8"));
    expect(report.created).toBe(3);
    expect(report.errors.map((e) => e.line)).toEqual([5, 6, 7]);
    expect(report.errors[0]!.message).toContain("prénom : obligatoire");
    expect(report.errors[1]!.message).toMatch(/type : « jeunesse » ou « parentalité »/);
    expect(report.errors[1]!.message).toMatch(/e-mail/);
    expect(report.errors[2]!.message).toContain("déjà utilisé à la ligne 2");
    const camille = await services.members.findByRef("<@123456789012345678>", "discord");
    expect(camille).toMatchObject({ firstName: "Camille", lastName: "Durand", structure: "MJC d'Épinal", kind: "JEUNESSE", commune: "Épinal", status: "ACTIVE" });
    expect((await services.members.findByRef("U02ABCDEF", "slack")).kind).toBe("PARENTALITE");
    expect(await store.prisma.member.count()).toBe(3);
  });

  it("reads the account of every platform in the catalog, prefixed or bare, and refuses one of none with the forms expected", async () => {
    const { services, store, clock } = await coreOnFreshStore();
    const csv = [
      "Prénom;Nom;Structure;Type;Commune;E-mail;Identifiant",
      "Inès;Marchal;Mairie de Vittel;Jeunesse;Vittel;ines@vittel.fr;matrix:@ines.marchal:agent.tchap.gouv.fr",
      "Paul;Henry;Mairie de Golbey;Jeunesse;Golbey;paul@golbey.fr;@paul.henry:agent.tchap.gouv.fr",
      "Rémi;Noël;MJC;Jeunesse;Épinal;remi@mjc.fr;teams:rnoel",
    ].join("\r\n");
    const report = await importMembers(store.prisma, clock, Buffer.from(csv));
    expect(report.created).toBe(2);
    expect((await services.members.findByRef("@ines.marchal:agent.tchap.gouv.fr", "matrix")).firstName).toBe("Inès");
    expect((await services.members.findByRef("@paul.henry:agent.tchap.gouv.fr", "matrix")).firstName).toBe("Paul");
    expect(report.errors.map((e) => e.line)).toEqual([4]);
    expect(report.errors[0]!.message).toContain("« matrix:@nom:serveur »");
  });

  it("updates on a second import and never duplicates", async () => {
    const { store, clock } = await coreOnFreshStore();
    await importMembers(store.prisma, clock, Buffer.from(CSV));
    const second = await importMembers(store.prisma, clock, Buffer.from(CSV.replace("Centre social", "Centre social La Rotonde")));
    expect([second.created, second.updated, second.unchanged]).toEqual([0, 1, 2]);
    expect(await store.prisma.member.count()).toBe(3);
    expect((await store.prisma.member.findUnique({ where: { email: "hugo@cs.fr" } }))?.structure).toBe("Centre social La Rotonde");
  });

  it("reads a Windows-1252, comma-separated export", async () => {
    const { store, clock } = await coreOnFreshStore();
    const text = 'prenom,nom,structure,type,commune,email\r\nAmélie,Lefèvre,"MJC, Épinal",Parentalité,Épinal,amelie@x.fr\r\n';
    const bytes = Buffer.from(Array.from(text, (ch) => new TextEncoder().encode(ch).length > 1 ? ({ é: 0xe9, è: 0xe8, É: 0xc9 } as Record<string, number>)[ch]! : ch.charCodeAt(0)));
    const report = await importMembers(store.prisma, clock, bytes);
    expect(report).toMatchObject({ created: 1, errors: [] });
    expect(await store.prisma.member.findFirst()).toMatchObject({ firstName: "Amélie", lastName: "Lefèvre", structure: "MJC, Épinal", commune: "Épinal", kind: "PARENTALITE" });
  });

  it("decodes the Windows-1252 characters Excel writes between 0x80 and 0x9F (’ – œ €), not as Latin-1", async () => {
    const { store, clock } = await coreOnFreshStore();
    const text = "prenom;nom;structure;commune;email\r\nZoé;Cœur;Maison de l’Enfance – Épinal;Épinal;zoe@x.fr\r\n";
    const bytes = Buffer.from(text, "latin1");
    for (const [ch, byte] of [["’", 0x92], ["–", 0x96], ["œ", 0x9c]] as const) bytes[Buffer.from(text.slice(0, text.indexOf(ch)), "latin1").length] = byte;
    const report = await importMembers(store.prisma, clock, bytes);
    expect(report).toMatchObject({ created: 1, errors: [] });
    expect(await store.prisma.member.findFirst()).toMatchObject({ firstName: "Zoé", lastName: "Cœur", structure: "Maison de l’Enfance – Épinal" });
  });

  it("writes nothing for a line that fails", async () => {
    const { store, clock } = await coreOnFreshStore();
    await importMembers(store.prisma, clock, Buffer.from("prénom;e-mail\nAnna;pas-une-adresse\n"));
    expect(await store.prisma.member.count()).toBe(0);
    expect(await store.prisma.auditLog.count()).toBe(0);
  });

  it("never changes anything from an empty cell on a re-import, the display name included", async () => {
    const { services, store, clock } = await coreOnFreshStore();
    await importMembers(store.prisma, clock, Buffer.from(CSV, "utf8"));
    const again = ["Prénom;Nom;Structure;Type;Commune;E-mail;Identifiant Discord ou Slack", "Camille;;;;;camille@mjc-epinal.fr;"].join("\r\n");
    const report = await importMembers(store.prisma, clock, Buffer.from(again, "utf8"));
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 1, errors: [] });
    const camille = await services.members.findByRef("<@123456789012345678>", "discord");
    expect(camille).toMatchObject({ displayName: "Camille Durand", lastName: "Durand", structure: "MJC d'Épinal", commune: "Épinal" });
    const renamed = ["Prénom;Nom;E-mail", "Camille;Durand-Roy;camille@mjc-epinal.fr"].join("\n");
    expect(await importMembers(store.prisma, clock, Buffer.from(renamed, "utf8"))).toMatchObject({ updated: 1 });
    expect(await services.members.findByRef("<@123456789012345678>", "discord")).toMatchObject({ displayName: "Camille Durand-Roy" });
  });

  it("numbers lines as the file does, blank lines included, and rejects only the line with a stray quote", async () => {
    const { store, clock } = await coreOnFreshStore();
    const file = [
      "Prénom;Nom;Structure;Type;Commune;E-mail;Identifiant Discord ou Slack",
      "",
      "Camille;Durand;MJC d'Épinal;Jeunesse;Épinal;camille@mjc-epinal.fr;",
      "",
      "",
      '"Hugo;Petit;Centre social;Parentalité;Épinal;hugo@cs.fr;',
      "Léna;Roy;Espace jeunes;sport;Golbey;;",
      'Zoé;Bon;MJC "La Fabrique";Jeunesse;Remiremont;;',
    ].join("\r\n");
    const report = await importMembers(store.prisma, clock, Buffer.from(file, "utf8"));
    expect(report.created).toBe(2);
    expect(report.errors.map((e) => e.line)).toEqual([6, 7]);
    expect(report.errors[0]!.message).toContain("guillemet mal placé");
    expect(report.errors[1]!.message).toContain("type : « jeunesse » ou « parentalité »");
    expect((await store.prisma.member.findFirst({ where: { firstName: "Zoé" } }))?.structure).toBe('MJC "La Fabrique"');
  });
});

