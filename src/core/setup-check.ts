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
