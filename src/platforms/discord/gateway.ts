/**
 * Why the Discord gateway closed for good, in French, for the operator: discord.js reconnects by
 * itself after every other close code (resuming the session or identifying again), but after
 * these it stops, and without this line the bot would go deaf to Discord without a word.
 */
const FATAL_CLOSE_REASONS: Record<number, string> = {
  4004: "le jeton DISCORD_TOKEN est refusé (révoqué ou régénéré dans le portail développeur) : mettez le nouveau jeton dans la configuration",
  4010: "Discord refuse le découpage (« shard ») demandé : le bot n'en utilise qu'un, vérifiez qu'aucun proxy ne modifie la connexion",
  4011: "Discord exige un découpage en plusieurs « shards » (application présente sur trop de serveurs) : le bot ne sert qu'un serveur",
  4012: "Discord refuse la version de l'API utilisée : mettez le bot à jour",
  4013: "Discord refuse les « intents » demandés : mettez le bot à jour",
  4014: "Discord refuse l'intent privilégié « Server Members » : activez-le dans le portail développeur (Bot → Privileged Gateway Intents)",
};

/** The log line for a gateway that closed with `code` and will not reconnect. */
export function gatewayClosedForGood(code: number): string {
  const why = FATAL_CLOSE_REASONS[code] ?? "raison inconnue";
  return `Discord a fermé la connexion (code ${code}) et ne la rouvrira pas : ${why}. Le bot continue sans Discord (Slack, la console et les tâches planifiées tournent) ; redémarrez-le une fois le problème corrigé.`;
}
