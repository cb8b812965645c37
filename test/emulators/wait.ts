/**
 * How long the emulators' helpers wait for the bot before calling it a failure. It is a ceiling, not
 * a deadline under test (Discord's 3 s interaction window and Slack's ack window are enforced
 * separately): a passing test never waits for it, and on a loaded machine a slow bot is not a wrong one.
 */
export const WAIT_CEILING_MS = 15_000;
