// Failures of the database itself, not of the bot's code: the file stayed locked by another
// program, or the disk is full. The statement or transaction that met them was rolled back, so
// nothing was half-written; the person who acted is told so in French (never « Une erreur est
// survenue », which means a bug), and the bot carries on: the next action may well succeed.
import { isBusyError, StoreBusyError } from "./busy.js";

const BUSY_MESSAGE = "La base de données est occupée par un autre programme (une sauvegarde, un import) : rien n'a été enregistré. Réessayez dans un instant.";
const FULL_MESSAGE = "Le disque du serveur du bot est plein : rien n'a été enregistré. Prévenez l'animateur du réseau : il faut libérer de la place (anciennes sauvegardes, journaux), puis réessayer.";

/** SQLITE_FULL (and its extended codes), as better-sqlite3, the adapter or Prisma report it. */
function isFullError(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown; message?: unknown; extendedCode?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && e.code.startsWith("SQLITE_FULL")) return true;
    // The driver adapter keeps SQLite's own (extended) result code: 13 is SQLITE_FULL.
    if (typeof e.extendedCode === "number" && (e.extendedCode & 0xff) === 13) return true;
    if (typeof e.message === "string" && /SQLITE_FULL|database or disk is full/.test(e.message)) return true;
  }
  return false;
}

/**
 * Prisma's "unique constraint failed" (P2002), whatever the driver adapter: on PostgreSQL, the
 * sign that another instance wrote the same row first (its transaction committed meanwhile).
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/**
 * What to tell a person whose action met a database fault, or undefined when `error` is not one
 * (then it is a bug, answered with a reference). Used by the router for every interaction.
 */
export function storeFaultMessage(error: unknown): { kind: "busy" | "full"; message: string } | undefined {
  if (error instanceof StoreBusyError || isBusyError(error)) return { kind: "busy", message: BUSY_MESSAGE };
  if (isFullError(error)) return { kind: "full", message: FULL_MESSAGE };
  return undefined;
}
