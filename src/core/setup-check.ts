import type { ChannelUsage } from "./settings.js";

/**
 * One line of the installation check (`npm run diagnostic`, `/config verifier`): what was
 * checked, whether it is fine, and how to fix it if not. The check itself lives outside the
 * core (it talks to the platforms); the bot hands the core a function that runs it.
 */
export interface SetupCheck {
  label: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export type SetupChecker = () => Promise<SetupCheck[]>;

/** The channel id set with `/config canal` for each usage of one platform. */
export type UsageChannels = Partial<Record<ChannelUsage, string>>;

/** Several usages may share one channel: one line per channel. */
export function byChannel(channels: UsageChannels): [string, ChannelUsage[]][] {
  const grouped = new Map<string, ChannelUsage[]>();
  for (const [usage, id] of Object.entries(channels) as [ChannelUsage, string][]) grouped.set(id, [...(grouped.get(id) ?? []), usage]);
  return [...grouped];
}
