/**
 * Every text the bot shows to someone, as the emulators (Discord messages and edits, Slack posts,
 * ephemerals and updates) and the console harness see it. A listener (test/helpers/french-style.ts)
 * checks it; this module stays free of vitest so the emulators can import it from any process.
 */
type BotOutputListener = (text: string, where: string) => void;

const listeners = new Set<BotOutputListener>();

export function onBotOutput(listener: BotOutputListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function reportBotOutput(where: string, text: string): void {
  if (text === "") return;
  for (const listener of listeners) listener(text, where);
}
