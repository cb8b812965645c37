import { formatDateTime } from "../core/dates.js";
import { ALERT_AFTER_FAILURES } from "../core/watch/collect.js";
import type { SetupCheck as Check } from "../core/setup-check.js";

/** A followed feed the hourly read has failed on, as the watch recorded it. */
export interface FailingSource {
  id: number;
  name: string;
  url: string;
  failures: number;
  failingSince: Date | null;
  /** The watch writes it in French (FetchFailure messages). */
  lastError: string | null;
}

/**
 * The active sources that failed at least as often in a row as the watch waits before telling the
 * animator; `:active` is the provider's spelling of true (1 on SQLite, true on PostgreSQL).
 */
export const FAILING_SOURCES_SQL = `SELECT "id", "name", "url", "failures", "failingSince", "lastError" FROM "WatchSource" WHERE "active" = :active AND "failures" >= ${ALERT_AFTER_FAILURES} ORDER BY "failures" DESC, "id"`;

/** Rows of FAILING_SOURCES_SQL, from either provider (dates come as numbers on SQLite, text on PostgreSQL). */
export function failingSourcesFrom(rows: readonly Record<string, unknown>[]): FailingSource[] {
  return rows.map((r) => ({
    id: Number(r["id"]),
    name: String(r["name"]),
    url: String(r["url"]),
    failures: Number(r["failures"]),
    failingSince: r["failingSince"] === null || r["failingSince"] === undefined ? null : new Date(r["failingSince"] as string | number),
    lastError: r["lastError"] === null || r["lastError"] === undefined ? null : String(r["lastError"]),
  }));
}

export function watchCheck(failing: readonly FailingSource[], timezone: string): Check {
  const label = "Sources de veille";
  if (failing.length === 0) return { label, ok: true, detail: `aucune source en échec ${ALERT_AFTER_FAILURES} fois de suite` };
  const lines = failing.map((s) => {
    const since = s.failingSince && !Number.isNaN(s.failingSince.getTime()) ? ` depuis le ${formatDateTime(s.failingSince, timezone)}` : "";
    return `« ${s.name} » (#${s.id}, ${s.url}) en échec${since}, ${s.failures} essais de suite : ${s.lastError ?? "erreur inconnue"}`;
  });
  const first = failing[0]!;
  return {
    label,
    ok: false,
    detail: lines.join(" ; "),
    fix: `Ouvrez l'adresse dans un navigateur : si le flux a changé d'adresse, tapez /veille source-retirer source:#${first.id} puis /veille source-ajouter avec la nouvelle ; s'il est seulement indisponible, le bot réessaie seul.`,
  };
}
