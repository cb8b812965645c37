/** The environment that connects the bot to the emulators, as an operator would set it. */
export function discordEnv(emu: { token: string; guildId: string; apiUrl: string }): Record<string, string> {
  return { DISCORD_TOKEN: emu.token, DISCORD_GUILD_ID: emu.guildId, DISCORD_API_URL: emu.apiUrl };
}

export function slackEnv(emu: { botToken: string; appToken: string; apiUrl: string }): Record<string, string> {
  return { SLACK_BOT_TOKEN: emu.botToken, SLACK_APP_TOKEN: emu.appToken, SLACK_API_URL: emu.apiUrl };
}

export function bothEnv(discord: Parameters<typeof discordEnv>[0], slack: Parameters<typeof slackEnv>[0]): Record<string, string> {
  return { ...discordEnv(discord), ...slackEnv(slack) };
}
