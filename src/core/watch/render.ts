// The digest and the week's list as neutral replies. Pure: entries in, Reply out.
//
// Limits respected here rather than left to the renderers' truncation (which would cut a link
// in half): a field value holds 1,024 characters (Discord), a whole embed 6,000; Slack shows each
// field as its own section. A category too long for one field continues in a second one.
import { formatDate, formatDateTime } from "../dates.js";
import { link } from "../markup.js";
import type { Button, Reply, ReplyField } from "../reply.js";
import { CATEGORY_ORDER, categoryLabel, isWatchCategory } from "./categories.js";
import { plural } from "../../shared/plural.js";
import { ROUTES } from "./routes.js";

export interface WatchEntry {
  id: number;
  title: string;
  link: string;
  category: string;
  /** The feed's name; null for an article shared by a member. */
  sourceName: string | null;
  /** Who shared it (display name); null for a feed item. */
  sharedBy: string | null;
  comment: string | null;
  date: Date;
}

/** Items shown in one digest message; the rest are listed by /veille semaine. */
const DIGEST_LIMIT = 15;
const WEEK_PAGE_SIZE = 10;
const FIELD_MAX = 1024;
/** Discord's 6,000 for a whole embed, minus room for the title and the introduction. */
const FIELDS_BUDGET = 5000;

/**
 * A cron expression as shown to people: its asterisks as « ∗ » (U+2217), because the neutral
 * Markdown's italic rule reads « * * » as emphasis and Slack and the console would show
 * « 0 9 _ _ 1 » or « 0 9   1 ». The command accepts both characters back.
 */
export function displayCron(text: string): string {
  return text.replace(/\*/g, "∗");
}

/** What a person typed or pasted, with displayed asterisks turned back into real ones. */
export function cronInput(text: string): string {
  return text.replace(/[∗＊]/g, "*").trim().replace(/\s+/g, " ");
}


/** The label of a link, with what would break the Markdown subset neutralised. */
function label(text: string): string {
  const clean = text.replace(/\s+/g, " ").replace(/\[/g, "(").replace(/\]/g, ")").replace(/[*_`~|]/g, " ").replace(/ {2,}/g, " ").trim();
  return clean.length > 150 ? `${clean.slice(0, 149).trimEnd()}…` : clean;
}

export function entryLine(entry: WatchEntry, timeZone: string): string {
  const by = entry.sharedBy ? `partagé par ${label(entry.sharedBy)}` : label(entry.sourceName ?? "source retirée");
  const comment = entry.comment ? ` : « ${label(entry.comment).slice(0, 200)} »` : "";
  return `- ${link(entry.link, label(entry.title) || "(sans titre)")} — ${by}, ${formatDate(entry.date, timeZone)}${comment}`;
}

const newestFirst = (a: WatchEntry, b: WatchEntry) => b.date.getTime() - a.date.getTime() || b.id - a.id;
const categoryRank = (c: string) => CATEGORY_ORDER.indexOf(isWatchCategory(c) ? c : "autre");

/** Categories in their fixed order, newest first inside each. */
function sortForDisplay(entries: readonly WatchEntry[]): WatchEntry[] {
  return [...entries].sort((a, b) => categoryRank(a.category) - categoryRank(b.category) || newestFirst(a, b));
}

/**
 * Which items a digest shows: what members shared first (they took the trouble), then the
 * newest feed items, up to `limit`.
 */
function selectForDigest(entries: readonly WatchEntry[], limit = DIGEST_LIMIT): WatchEntry[] {
  const shared = entries.filter((e) => e.sharedBy !== null).sort(newestFirst);
  const fed = entries.filter((e) => e.sharedBy === null).sort(newestFirst);
  return [...shared, ...fed].slice(0, limit);
}

/** One field per category (two if it does not fit in one); items over the budget are returned as dropped. */
function categoryFields(entries: readonly WatchEntry[], timeZone: string): { fields: ReplyField[]; shown: number; dropped: number } {
  const fields: ReplyField[] = [];
  let used = 0;
  let shown = 0;
  let dropped = 0;
  let current: { category: string; field: ReplyField; count: number } | undefined;
  const flush = () => {
    if (!current) return;
    current.field.name = `${current.field.name} (${current.count})`;
    fields.push(current.field);
    used += current.field.name.length;
    current = undefined;
  };
  for (const entry of sortForDisplay(entries)) {
    const line = entryLine(entry, timeZone);
    const name = categoryLabel(entry.category);
    const continuing = current?.category === entry.category;
    const addition = continuing ? line.length + 1 : line.length + name.length + 12;
    if (line.length > FIELD_MAX || used + addition > FIELDS_BUDGET) {
      dropped++;
      continue;
    }
    if (!continuing || current!.field.value.length + 1 + line.length > FIELD_MAX) {
      const suite = continuing ? " (suite)" : "";
      flush();
      current = { category: entry.category, field: { name: `${name}${suite}`, value: line }, count: 1 };
    } else {
      current!.field.value += `\n${line}`;
      current!.count++;
    }
    used += addition;
    shown++;
  }
  flush();
  return { fields, shown, dropped };
}

interface DigestView {
  title: string;
  /** Sentences put before the count (e.g. when it will be posted, for a preview). */
  lead?: string;
  timeZone: string;
  limit?: number;
  private?: boolean;
}

/** The weekly digest: at most `limit` items by category, and how many more /veille semaine lists. */
export function digestReply(entries: readonly WatchEntry[], view: DigestView): Reply {
  const selected = selectForDigest(entries, view.limit ?? DIGEST_LIMIT);
  const { fields, shown } = categoryFields(selected, view.timeZone);
  const rest = entries.length - shown;
  const shared = entries.filter((e) => e.sharedBy !== null).length;
  const count =
    `${plural(entries.length, "article", "articles")} depuis le dernier récapitulatif` +
    (shared ? `, dont ${plural(shared, "partagé", "partagés")} par des membres du réseau` : "") +
    ".";
  const more = rest > 0 ? ` Voici les ${plural(shown, "plus récent", "plus récents")}, et ${plural(rest, "autre", "autres")} : \`/veille semaine\`.` : "";
  const share = "\nUn article à signaler ? `/veille ajouter url:<lien>`";
  return {
    title: view.title,
    text: `${view.lead ? `${view.lead}\n` : ""}${count}${more}${share}`,
    fields,
    tone: "info",
    ...(view.private ? { private: true } : {}),
  };
}

interface WeekView {
  timeZone: string;
  /** The last digest, when it is recent enough to belong to "this week". */
  digest: { at: Date; count: number } | null;
  /** Items gathered since (in the next digest). */
  pendingCount: number;
  nextDigestAt: Date | null;
  page: number;
}

/** /veille semaine: the last digest in full plus what came since, a page at a time. */
export function weekReply(entries: readonly WatchEntry[], view: WeekView): Reply {
  const sorted = sortForDisplay(entries);
  const pages = Math.max(1, Math.ceil(sorted.length / WEEK_PAGE_SIZE));
  const page = Math.min(Math.max(1, view.page), pages);
  const slice = sorted.slice((page - 1) * WEEK_PAGE_SIZE, page * WEEK_PAGE_SIZE);
  const { fields } = categoryFields(slice, view.timeZone);
  const lines: string[] = [];
  if (view.digest) lines.push(`Récapitulatif du ${formatDate(view.digest.at, view.timeZone)} : ${plural(view.digest.count, "article", "articles")}.`);
  if (view.pendingCount > 0) {
    const when = view.nextDigestAt ? ` (prochain récapitulatif le ${formatDate(view.nextDigestAt, view.timeZone)})` : "";
    lines.push(`Depuis : ${plural(view.pendingCount, "nouvel article", "nouveaux articles")}${when}.`);
  }
  if (sorted.length === 0) {
    return {
      title: "Veille de la semaine",
      text: "Rien pour l'instant cette semaine. Un article à signaler ? `/veille ajouter url:<lien>`",
      private: true,
    };
  }
  if (pages > 1) lines.push(`Page ${page} sur ${pages}.`);
  // Only the usable buttons, as /annuaire does; the page number travels in the id.
  const buttons: Button[] = [];
  if (page > 1) buttons.push({ kind: "button", id: ROUTES.weekPage(page - 1), label: "◀ Précédents", style: "secondary" });
  if (page < pages) buttons.push({ kind: "button", id: ROUTES.weekPage(page + 1), label: "Suivants ▶", style: "primary" });
  return {
    title: "Veille de la semaine",
    text: lines.join("\n"),
    fields,
    private: true,
    components: buttons.length ? [{ buttons }] : undefined,
  };
}

/** Lines under one heading, in as many 1,024-character fields as needed. */
function packLines(name: string, lines: readonly string[]): ReplyField[] {
  const fields: ReplyField[] = [];
  for (const line of lines) {
    const last = fields.at(-1);
    if (last && last.value.length + 1 + line.length <= FIELD_MAX) last.value += `\n${line}`;
    else fields.push({ name: fields.length ? `${name} (suite)` : name, value: line.slice(0, FIELD_MAX) });
  }
  return fields;
}

interface SourceView {
  id: number;
  name: string;
  url: string;
  category: string;
  origin: string;
  primedAt: Date | null;
  lastSuccessAt: Date | null;
  failures: number;
  failingSince: Date | null;
  lastError: string | null;
  nextFetchAt: Date | null;
}

function sourceLine(source: SourceView, timeZone: string): string {
  const address = source.url.replace(/^https?:\/\/(www\.)?/, "");
  let state: string;
  if (source.failures > 0) {
    const retry = source.nextFetchAt ? ` ; nouvel essai le ${formatDateTime(source.nextFetchAt, timeZone)}` : "";
    state = `⚠️ en échec depuis le ${formatDateTime(source.failingSince ?? source.nextFetchAt ?? new Date(0), timeZone)} (${plural(source.failures, "essai", "essais")}) : ${source.lastError ?? "erreur inconnue"}${retry}`;
  } else if (source.lastSuccessAt) state = `✅ lue le ${formatDateTime(source.lastSuccessAt, timeZone)}`;
  else state = "⏳ pas encore lue";
  const origin = source.origin === "defaut" ? " (liste par défaut)" : "";
  return `**#${source.id} ${label(source.name)}**${origin} — ${address}\n${state}`;
}

/** /veille source-liste: the followed sources by category, with the state of each. */
export function sourcesReply(sources: readonly SourceView[], view: { timeZone: string; collecting: boolean; nextDigestAt: Date }): Reply {
  const fields: ReplyField[] = [];
  for (const category of CATEGORY_ORDER) {
    const lines = sources.filter((s) => (isWatchCategory(s.category) ? s.category : "autre") === category).map((s) => sourceLine(s, view.timeZone));
    if (lines.length) fields.push(...packLines(`${categoryLabel(category)} (${lines.length})`, lines));
  }
  const failing = sources.filter((s) => s.failures > 0).length;
  const text = [
    sources.length ? `${plural(sources.length, "source suivie", "sources suivies")}, lues chaque heure${failing ? `, dont ${plural(failing, "en échec", "en échec")}` : ""}.` : "Aucune source suivie.",
    view.collecting ? "" : "⚠️ Aucun salon « veille » n'est configuré : la collecte est en pause. `/config canal usage:veille canal:#…`",
    `Prochain récapitulatif : ${formatDateTime(view.nextDigestAt, view.timeZone)}.`,
    "Ajouter : `/veille source-ajouter url:<flux> nom:<nom> categorie:<catégorie>` · retirer : `/veille source-retirer source:#<numéro>`",
  ].filter(Boolean);
  return { title: "Sources de la veille", text: text.join("\n"), fields: fields.slice(0, 25), private: true };
}
