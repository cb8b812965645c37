import type Database from "better-sqlite3";
import { formatDateTime } from "../core/dates.js";
import { ALERT_AFTER_FAILURES } from "../core/watch/collect.js";
import type { Check } from "./diagnostic.js";

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

/** The active sources that failed at least as often in a row as the watch waits before telling the animator. */
export function readFailingSources(db: Database.Database): FailingSource[] {
  const rows = db
    .prepare("SELECT id, name, url, failures, failingSince, lastError FROM WatchSource WHERE active = 1 AND failures >= ? ORDER BY failures DESC, id")
    .all(ALERT_AFTER_FAILURES) as { id: number; name: string; url: string; failures: number; failingSince: string | number | null; lastError: string | null }[];
  return rows.map((r) => ({ ...r, failingSince: r.failingSince === null ? null : new Date(r.failingSince) }));
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
