import type { z } from "zod";

/**
 * One platform as data: what the features, the router, the commands and the configuration need
 * to know about it, with no code of the platform itself (its adapter is reached only through
 * src/platforms/adapters.ts, loaded when the platform is configured). Listed in
 * src/platforms/catalog.ts; `test/platforms/catalog.test.ts` checks that each is complete.
 */
interface PlatformDescriptor<Name extends string = string, Env extends z.ZodRawShape = z.ZodRawShape> {
  /** The key everywhere: interactions, settings (`channel:<name>:<usage>`), `<name>:<id>`; in capitals, the Prisma `Platform` value. */
  readonly name: Name;
  /** Its name in French text: « Discord » (« Plateformes : Discord, console », « Discord : erreur »). */
  readonly label: string;
  /** Its name after « sur » and in a list of where something was posted: « Discord », « la console ». */
  readonly labelAfterOn: string;
  /** Where the network is on it, as in « a quitté le serveur Discord du réseau ». */
  readonly place: string;
  /**
   * The console: a tool on the bot's own machine, not a chat platform. It has no channels to
   * configure, no one joins or leaves it, and it may run beside a running bot to inspect it.
   */
  readonly local?: boolean;
  /** How the bot names a person in a message so the platform notifies them. */
  mentionUser(externalId: string): string;
  /** How the bot names a channel set with /config canal so the platform shows it as a link. */
  mentionChannel(channelId: string): string;
  readonly accountId: AccountIdRule;
  /** The variables it reads, validated with the rest of the configuration (src/config.ts). */
  readonly env: Env;
  /** Those of its variables that must never appear in a log line. */
  readonly secrets: readonly (keyof Env & string)[];
  /** Rules between its variables, on the raw environment; each problem as « VARIABLE : what is missing ». */
  crossChecks(isSet: (variable: keyof Env & string) => boolean): string[];
  /** Whether its variables ask for it to be connected. */
  configured(env: z.output<z.ZodObject<Env>>): boolean;
  /** Started also when no other platform is configured (the console, so that the bot is usable at once). */
  readonly whenAlone?: boolean;
}

/** What a platform account id typed by a person (/membre lier, the import, BOT_ADMINS) must look like. */
interface AccountIdRule {
  readonly pattern: RegExp;
  /**
   * How people are told to write one, for the platforms offered to them (not the console): in the
   * list of accepted forms (« discord:<identifiant de 17 à 20 chiffres> »), in the BOT_ADMINS
   * example (« discord:<id> ») and in its explanation (« Discord de 17 à 20 chiffres »).
   */
  readonly shown?: { readonly typed: string; readonly inAdminList: string; readonly adminHint: string };
}

/** Keeps the literal name and the variables' types, so that `Config` and `PlatformName` derive from the catalog. */
export const definePlatform = <const Name extends string, Env extends z.ZodRawShape>(descriptor: PlatformDescriptor<Name, Env>): PlatformDescriptor<Name, Env> =>
  descriptor;
