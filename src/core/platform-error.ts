/**
 * A platform's refusal, said in French. Discord's and Slack's own wording (« Missing Access »,
 * « not_in_channel », « Invalid Form Body… ») is for the log, where every caller writes the error
 * in full; the user reads what happened and what to do. Read from the errors' shapes, so the core
 * imports no platform library (as isLastingFailure does).
 */
const DISCORD_CODES: Record<number, string> = {
  10003: "salon introuvable (supprimé ?)",
  10008: "message introuvable (supprimé ?)",
  50001: "le bot n'a pas accès à ce salon",
  50007: "cette personne n'accepte pas de messages privés du bot",
  50013: "il manque une permission au bot dans ce salon",
  50035: "la plateforme a refusé ce qui lui était envoyé",
};

const SLACK_ERRORS: Record<string, string> = {
  channel_not_found: "salon introuvable (supprimé ?)",
  not_in_channel: "le bot n'est pas membre de ce salon (invitez-le)",
  is_archived: "ce salon est archivé",
  missing_scope: "il manque une autorisation à l'application Slack",
  ratelimited: "trop de demandes d'un coup : nouvel essai plus tard",
  msg_too_long: "message trop long pour la plateforme",
  message_not_found: "message introuvable (supprimé ?)",
  cant_update_message: "ce message ne peut plus être modifié",
  invalid_auth: "le jeton du bot est refusé",
};

/** Our own errors (adapters, core) are already written in French for the user; libraries' are not. */
function isFrench(message: string): boolean {
  return /[àâçéèêîôûù«»]|\b(?:le|la|les|du|des|un|une|aucun|aucune|pas)\b/.test(message);
}

export function platformErrorText(err: unknown): string {
  if (typeof err !== "object" || err === null) return "la plateforme a refusé (détail dans le journal)";
  const e = err as Error & { status?: unknown; code?: unknown; data?: { error?: unknown } };
  if (typeof e.code === "number" && DISCORD_CODES[e.code]) return DISCORD_CODES[e.code]!;
  const slackError = typeof e.data?.error === "string" ? e.data.error : undefined;
  if (slackError) return SLACK_ERRORS[slackError] ?? "Slack a refusé (détail dans le journal)";
  if (e.code === "slack_webapi_rate_limited_error" || e.status === 429) return "trop de demandes d'un coup : nouvel essai plus tard";
  if (typeof e.status === "number" && e.status >= 500) return "la plateforme ne répond pas : nouvel essai plus tard";
  if (typeof e.status === "number" || typeof e.code === "string") return "la plateforme a refusé (détail dans le journal)";
  if (e instanceof Error && isFrench(e.message)) return e.message;
  return "la plateforme a refusé (détail dans le journal)";
}
