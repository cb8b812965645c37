import { parse } from "csv-parse/sync";
import { decodeText } from "./text-decoding.js";
import { z } from "zod";
import type { PrismaClient, Platform } from "../store/index.js";
import { audit } from "./audit.js";
import type { Clock } from "../shared/clock.js";
import { fold } from "./members.js";
import { PLATFORM_CATALOG } from "../platforms/catalog.js";
import { joinedList } from "./text-lists.js";
import { profileFields } from "./profile.js";
import { issueText } from "./zod-french.js";

/**
 * Imports the network's existing directory as exported by a spreadsheet: `;` or `,`
 * separated, UTF-8 or Windows-1252. A second import updates rather than duplicates; a bad
 * line is reported with its number and nothing is written for it.
 */
interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: { line: number; message: string }[];
}

/** Spreadsheet headers vary; each known column accepts a few spellings (compared folded). */
const COLUMNS = {
  firstName: ["prenom", "first name", "firstname"],
  lastName: ["nom", "nom de famille", "last name", "lastname"],
  structure: ["structure", "organisme", "employeur"],
  kind: ["type", "type de promeneur", "public"],
  commune: ["commune", "ville", "territoire"],
  email: ["e-mail", "email", "mail", "courriel", "adresse e-mail", "adresse mail"],
  account: ["identifiant discord ou slack", "identifiant", "discord ou slack", "id discord ou slack", "compte", "discord", "slack", "matrix", "tchap"],
  consent: ["annuaire", "consentement annuaire", "consentement"],
} as const;

type Column = keyof typeof COLUMNS;

function decodeSpreadsheetText(bytes: Buffer): string {
  try {
    return decodeText(bytes, "utf-8", { fatal: true }).replace(/^\uFEFF/, "");
  } catch {
    // Not valid UTF-8: Excel's "CSV (séparateur : point-virgule)" on Windows writes Windows-1252.
    return decodeText(bytes, "windows-1252");
  }
}

function detectDelimiter(text: string): ";" | "," {
  const header = text.split(/\r?\n/, 1)[0] ?? "";
  return (header.match(/;/g)?.length ?? 0) >= (header.match(/,/g)?.length ?? 0) ? ";" : ",";
}

const kindSchema = z
  .string()
  .transform((v) => fold(v))
  .pipe(z.enum(["jeunesse", "parentalite", "pdn jeunesse", "pdn parentalite"], { message: "« jeunesse » ou « parentalité »" }))
  .transform((v) => (v.endsWith("jeunesse") ? "JEUNESSE" : "PARENTALITE") as "JEUNESSE" | "PARENTALITE");

/** The platforms people have accounts on (the console has none to import), from the catalog. */
const ACCOUNT_PLATFORMS = PLATFORM_CATALOG.filter((platform) => platform.accountId.shown);
const ACCOUNT_FORMS = joinedList(ACCOUNT_PLATFORMS.map((platform) => `« ${platform.accountId.shown!.typed} »`), "ou");

/**
 * `discord:…`, `slack:…`, `matrix:@…` (any platform of the catalog, by its name), or the id alone
 * when only one platform's rule recognises it (Discord digits, Slack U…/W…, Matrix @nom:serveur).
 */
function parseAccount(value: string): { platform: Platform; externalId: string } {
  const v = value.trim();
  const prefixed = /^([a-z]+)\s*:\s*(\S+)$/i.exec(v);
  const named = prefixed && ACCOUNT_PLATFORMS.find((platform) => platform.name === prefixed[1]!.toLowerCase());
  const candidates = named ? [{ platform: named, id: prefixed[2]! }] : ACCOUNT_PLATFORMS.map((platform) => ({ platform, id: v }));
  const found = candidates.find(({ platform, id }) => platform.accountId.pattern.test(id));
  if (found) return { platform: found.platform.name.toUpperCase() as Platform, externalId: found.id };
  throw new Error(`identifiant attendu : ${ACCOUNT_FORMS}, ou l'identifiant seul`);
}

interface Row {
  firstName: string;
  lastName: string | null;
  structure: string | null;
  kind: "JEUNESSE" | "PARENTALITE" | null;
  commune: string | null;
  email: string | null;
  account: { platform: Platform; externalId: string } | null;
  consent: boolean | null;
}

function validateRow(get: (c: Column) => string): Row {
  const problems: string[] = [];
  const check = <T>(label: string, raw: string, schema: z.ZodType<T>): T | null => {
    if (!raw) return null;
    const r = schema.safeParse(raw);
    if (r.success) return r.data;
    problems.push(`${label} : ${issueText(r.error)}`);
    return null;
  };
  const firstName = check("prénom", get("firstName"), profileFields.firstName);
  if (!get("firstName")) problems.push("prénom : obligatoire");
  const row: Row = {
    firstName: firstName ?? "",
    lastName: check("nom", get("lastName"), profileFields.lastName),
    structure: check("structure", get("structure"), profileFields.structure),
    kind: check("type", get("kind"), kindSchema),
    commune: check("commune", get("commune"), profileFields.commune),
    email: check("e-mail", get("email").toLowerCase(), profileFields.email),
    account: null,
    consent: null,
  };
  if (get("account")) {
    try {
      row.account = parseAccount(get("account"));
    } catch (err) {
      problems.push(`identifiant : ${(err as Error).message}`);
    }
  }
  const consent = fold(get("consent"));
  if (consent) {
    if (["oui", "o", "1", "x", "vrai"].includes(consent)) row.consent = true;
    else if (["non", "n", "0", "faux"].includes(consent)) row.consent = false;
    else problems.push("annuaire : « oui » ou « non »");
  }
  if (problems.length) throw new Error(problems.join(" ; "));
  return row;
}

/** One line of the file: its number as the spreadsheet shows it (blank lines counted) and its cells. */
interface FileLine {
  number: number;
  cells: string[] | null;
  /** Why the line could not be read (a stray quote), in French. */
  error?: string;
}

/**
 * Reads the file line by line, so that numbers are the file's own (blank lines included) and a
 * stray quote costs its line only, never the whole file. A cell spanning several lines is not
 * supported (a directory export has none); such a line is reported like a stray quote.
 */
function readLines(text: string): { delimiter: ";" | ","; lines: FileLine[] } {
  const raw = text.split(/\r\n|\n|\r/);
  const delimiter = detectDelimiter(raw.find((l) => l.trim() !== "") ?? "");
  const lines = raw.map((line, i): FileLine => {
    if (line.trim() === "") return { number: i + 1, cells: null };
    try {
      const [cells] = parse(line, { delimiter, relax_column_count: true, relax_quotes: true, trim: true, bom: true }) as string[][];
      return { number: i + 1, cells: cells ?? [] };
    } catch {
      return { number: i + 1, cells: null, error: "guillemet mal placé : entourez la valeur entière de guillemets ou retirez le guillemet ; ligne ignorée" };
    }
  });
  return { delimiter, lines };
}

export async function importMembers(db: PrismaClient, clock: Clock, bytes: Buffer, actorId: number | null = null): Promise<ImportReport> {
  const text = decodeSpreadsheetText(bytes);
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, errors: [] };
  const { lines } = readLines(text);
  const headerAt = lines.findIndex((l) => l.cells !== null || l.error);
  const headerLine = lines[headerAt];
  if (!headerLine) return report;
  const header = headerLine.cells;
  if (!header) {
    report.errors.push({ line: headerLine.number, message: `ligne des titres illisible (${headerLine.error ?? "vide"})` });
    return report;
  }
  const index = new Map<Column, number>();
  header.forEach((name, i) => {
    const key = fold(name);
    for (const [column, spellings] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
      if (!index.has(column) && spellings.includes(key)) index.set(column, i);
    }
  });
  if (!index.has("firstName")) {
    report.errors.push({ line: headerLine.number, message: `colonne « prénom » introuvable (colonnes lues : ${header.join(", ")})` });
    return report;
  }
  const seenEmails = new Map<string, number>();
  for (const line of lines.slice(headerAt + 1)) {
    const lineNumber = line.number;
    if (line.error) {
      report.errors.push({ line: lineNumber, message: line.error });
      continue;
    }
    const cells = line.cells;
    if (!cells || cells.every((c) => c === "")) continue;
    const get = (c: Column) => (index.has(c) ? (cells[index.get(c)!] ?? "").trim() : "");
    let row: Row;
    try {
      row = validateRow(get);
    } catch (err) {
      report.errors.push({ line: lineNumber, message: (err as Error).message });
      continue;
    }
    if (row.email) {
      const first = seenEmails.get(row.email);
      if (first) {
        report.errors.push({ line: lineNumber, message: `e-mail ${row.email} déjà utilisé à la ligne ${first} du fichier` });
        continue;
      }
      seenEmails.set(row.email, lineNumber);
    }
    try {
      const outcome = await upsertRow(db, clock, row, actorId);
      report[outcome]++;
    } catch (err) {
      report.errors.push({ line: lineNumber, message: (err as Error).message });
    }
  }
  return report;
}

/** Finds the member a line describes (account, then e-mail, then name + structure) and writes it. */
async function upsertRow(db: PrismaClient, clock: Clock, row: Row, actorId: number | null): Promise<"created" | "updated" | "unchanged"> {
  const now = clock.now();
  return db.$transaction(async (tx) => {
    let existing = row.account
      ? (await tx.platformAccount.findUnique({ where: { platform_externalId: row.account }, include: { member: true } }))?.member ?? null
      : null;
    if (!existing && row.email) existing = await tx.member.findUnique({ where: { email: row.email } });
    if (!existing) {
      const candidates = await tx.member.findMany({ where: { firstName: row.firstName } });
      existing =
        candidates.find((m) => fold(m.lastName) === fold(row.lastName) && fold(m.structure) === fold(row.structure)) ?? null;
    }
    const data = {
      firstName: row.firstName,
      lastName: row.lastName,
      displayName: [row.firstName, row.lastName].filter(Boolean).join(" "),
      structure: row.structure,
      kind: row.kind,
      commune: row.commune,
      email: row.email,
      ...(row.consent === null ? {} : { directoryConsent: row.consent }),
    };
    if (!existing) {
      const member = await tx.member.create({ data: { ...data, status: "ACTIVE", joinedAt: now, createdAt: now } });
      if (row.account) await tx.platformAccount.create({ data: { ...row.account, memberId: member.id, linkedAt: now } });
      await audit(tx, { actorId, action: "member.import", targetType: "member", targetId: member.id, details: { créé: true } }, now);
      return "created";
    }
    if (row.email) {
      const owner = await tx.member.findUnique({ where: { email: row.email } });
      if (owner && owner.id !== existing.id) throw new Error(`e-mail ${row.email} déjà celui de ${owner.displayName} (#${owner.id})`);
    }
    // Only the columns the file fills are written: an empty cell never erases what the bot knows.
    const patch = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null && v !== "")) as Partial<typeof data>;
    // The display name follows the names only when the line changes one of them, from the names
    // as they will be (an empty last-name cell keeps the stored one), never from an empty cell.
    const renamed = row.firstName !== existing.firstName || (row.lastName !== null && row.lastName !== existing.lastName);
    if (renamed) patch.displayName = [row.firstName, row.lastName ?? existing.lastName].filter(Boolean).join(" ");
    else delete patch.displayName;
    const changed = Object.entries(patch).filter(([k, v]) => (existing as Record<string, unknown>)[k] !== v);
    let linked = false;
    if (row.account) {
      const account = await tx.platformAccount.findUnique({ where: { platform_externalId: row.account } });
      if (account && account.memberId !== existing.id) throw new Error(`le compte ${row.account.externalId} est déjà lié à la fiche #${account.memberId}`);
      if (!account) {
        await tx.platformAccount.create({ data: { ...row.account, memberId: existing.id, linkedAt: now } });
        linked = true;
      }
    }
    if (changed.length === 0 && !linked) return "unchanged";
    if (changed.length) await tx.member.update({ where: { id: existing.id }, data: Object.fromEntries(changed) });
    await audit(tx, { actorId, action: "member.import", targetType: "member", targetId: existing.id, details: { champs: changed.map(([k]) => k), compteLié: linked } }, now);
    return "updated";
  });
}
