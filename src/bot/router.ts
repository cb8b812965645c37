import { actingOnBehalf } from "../core/audit.js";
import type { Clock } from "../shared/clock.js";
import { FieldsRefused, internalErrorMessage, newErrorReference, UserError } from "../core/errors.js";
import type { CommandInteraction, Interaction, Membership, ModalInteraction } from "../core/interaction.js";
import { stripMarkup } from "../core/markup.js";
import { parseComponentId, privateReply, componentId, LIMITS, STALE_COMPONENT, type Reply } from "../core/reply.js";
import { ACCESS_ENDED, describeRoles, hasLeft, roleAllows } from "../core/roles.js";
import type { Services } from "../core/services.js";
import type { Features } from "../features.js";
import { storeFaultMessage, type Member, type Role } from "../store/index.js";
import type { Logger } from "../logger.js";
import {
  findSubcommand,
  rolesOf,
  usage,
  type BaseContext,
  type CommandDef,
  type FormerMemberAccess,
  type SubcommandDef,
} from "./command.js";
import { FormRetry, RETRY_ROUTE } from "./form-retry.js";
import { ValidationError, validateOptions } from "./validate.js";

/** Why someone outside the network's space is not served; nothing is recorded about them. */
const NOT_SERVED: Record<Exclude<Membership, "member">, string> = {
  guest: "Ce bot est réservé aux membres du réseau des Promeneurs du Net des Vosges : les comptes invités n'y ont pas accès. Rien n'a été enregistré.",
  outsider: "Ce bot ne sert que l'espace du réseau des Promeneurs du Net des Vosges : il ne répond pas ici. Rien n'a été enregistré.",
  departed: "Vous ne faites plus partie de l'espace du réseau des Promeneurs du Net des Vosges : le bot ne peut plus vous répondre. Contactez l'animateur si c'est une erreur.",
};

/** Modal id prefix the router owns: a form asking for a command's missing options. */
const OPTIONS_FORM = "opts";

interface RouterDeps {
  commands: readonly CommandDef[];
  services: Services;
  /** The bot's built features, handed to every handler. */
  features: Features;
  clock: Clock;
  timeZone: string;
  log: Logger;
}

/**
 * The one path every interaction takes: resolve the member, find the handler, check the role,
 * validate, run, and turn any failure into a French answer. Nothing here knows a platform.
 */
export class Router {
  private readonly byName: Map<string, CommandDef>;
  private readonly forms = new FormRetry();

  constructor(private readonly deps: RouterDeps) {
    this.byName = new Map(deps.commands.map((c) => [c.name, c]));
  }

  get commands(): readonly CommandDef[] {
    return this.deps.commands;
  }

  command(name: string): CommandDef | undefined {
    return this.byName.get(name);
  }

  async handle(received: Interaction): Promise<Reply> {
    // Everything audited while serving this interaction names who really acted (console /as).
    const reply = await actingOnBehalf(received.user.impersonatedBy, () => this.serve(withoutMarkup(received)));
    this.forms.remember(received.user, reply);
    return reply;
  }

  private async serve(interaction: Interaction): Promise<Reply> {
    let member: Member | undefined;
    try {
      const membership = (await interaction.user.membership?.()) ?? "member";
      if (membership !== "member") return privateReply(NOT_SERVED[membership], { tone: "warning" });
      member = await this.deps.services.members.resolveOrRegister(interaction.user);
      if (member.status === "EXCLUDED") {
        return privateReply("Votre compte a été exclu du réseau des Promeneurs du Net : le bot ne peut plus vous répondre. Contactez la Caf des Vosges pour en savoir plus.");
      }
      const context = this.baseContext(interaction, member);
      switch (interaction.type) {
        case "command":
          return await this.runCommand(interaction, context);
        case "component":
          if (interaction.customId.startsWith(`${RETRY_ROUTE}:`)) return this.forms.reopen(interaction.user, parseComponentId(interaction.customId)[2] ?? "");
          return await this.runComponent(interaction.customId, context, (handlerCtx) => ({ ...handlerCtx, values: interaction.values }), "components");
        case "modal":
          return await this.submitForm(interaction, context);
      }
    } catch (err) {
      return this.failure(err, interaction, member);
    }
  }

  /** A form's submission; refused field by field, the form comes back with what was typed (form-retry.ts). */
  private async submitForm(interaction: ModalInteraction, context: BaseContext): Promise<Reply> {
    try {
      if (interaction.customId.startsWith(`${OPTIONS_FORM}:`)) return await this.runOptionsForm(interaction.customId, interaction.fields, context, interaction);
      return await this.runComponent(interaction.customId, context, (handlerCtx) => ({ ...handlerCtx, fields: interaction.fields }), "modals");
    } catch (err) {
      const retry = err instanceof FieldsRefused ? this.forms.refusal(interaction.user, interaction.customId, interaction.fields, err) : null;
      if (retry) return retry;
      throw err;
    }
  }

  private baseContext(interaction: Interaction, member: Member): BaseContext {
    const { services, features, clock, timeZone, log, commands } = this.deps;
    return {
      member,
      user: interaction.user,
      platform: interaction.user.platform,
      channelId: interaction.channelId,
      services,
      features,
      clock,
      timeZone,
      log,
      commands,
    };
  }

  /** Members who left keep only what a handler opens to them (FormerMemberAccess). */
  private refuseFormer(member: Member, access: FormerMemberAccess | undefined): Reply | null {
    if (!hasLeft(member) || access === "served") return null;
    return privateReply(ACCESS_ENDED, { tone: "warning" });
  }

  private refuseRole(role: Role, allowed: readonly Role[] | undefined): Reply | null {
    if (roleAllows(role, allowed)) return null;
    return privateReply(`Cette action est réservée aux rôles suivants : ${describeRoles(allowed!)}. Si vous pensez que c'est une erreur, contactez l'animateur du réseau.`, { tone: "warning" });
  }

  private async runCommand(interaction: CommandInteraction, context: BaseContext): Promise<Reply> {
    const command = this.byName.get(interaction.command);
    if (!command) return privateReply(`La commande /${interaction.command} n'existe pas. Tapez /aide pour voir les commandes disponibles.`);
    const subcommand = findSubcommand(command, interaction.subcommand);
    if (!subcommand) return this.unknownSubcommand(command, interaction.subcommand, context.member.role);
    const refusal = this.refuseFormer(context.member, subcommand.formerMembers ?? command.formerMembers) ?? this.refuseRole(context.member.role, rolesOf(command, subcommand));
    if (refusal) return refusal;
    let options: Record<string, unknown>;
    try {
      options = validateOptions(subcommand.options, interaction.options);
    } catch (err) {
      if (err instanceof ValidationError && err.missingOnly && interaction.canOpenModal) {
        const form = this.optionsForm(command, subcommand, interaction.options);
        if (form) return form;
      }
      throw err;
    }
    return subcommand.run({ ...context, options });
  }

  private unknownSubcommand(command: CommandDef, given: string | undefined, role: Role): Reply {
    const usable = command.subcommands.filter((s) => roleAllows(role, rolesOf(command, s)));
    const list = usable.map((s) => `• \`${usage(command, s)}\` — ${s.description}`).join("\n");
    const head = given ? `La sous-commande « ${given} » n'existe pas pour /${command.name}.` : `Précisez une sous-commande de /${command.name}.`;
    return privateReply(`${head}\n${list}`);
  }

  /**
   * Slack and console users may omit required options; where a form can be opened, ask for
   * them instead of refusing. The form id carries the route; the submission is validated as usual.
   */
  private optionsForm(command: CommandDef, subcommand: SubcommandDef, given: Record<string, unknown>): Reply | null {
    const entries = Object.entries(subcommand.options);
    if (entries.length === 0 || entries.length > LIMITS.modalFields) return null;
    const id = componentId(OPTIONS_FORM, command.name, subcommand.name || "_");
    const title = `/${command.name}${subcommand.name ? ` ${subcommand.name}` : ""}`.slice(0, LIMITS.modalTitle);
    return {
      modal: {
        id,
        title,
        fields: entries.map(([name, def]) => ({
          id: name,
          label: `${name} — ${def.description}`.slice(0, 45),
          required: def.required,
          value: given[name] === undefined ? undefined : String(given[name]),
          placeholder: def.expected?.slice(0, 100),
        })),
      },
    };
  }

  private async runOptionsForm(customId: string, fields: Record<string, string>, context: BaseContext, interaction: Interaction): Promise<Reply> {
    const [, commandName, subName] = parseComponentId(customId);
    return this.runCommand(
      {
        type: "command",
        user: interaction.user,
        channelId: interaction.channelId,
        canOpenModal: false,
        command: commandName ?? "",
        subcommand: subName === "_" ? undefined : subName,
        options: Object.fromEntries(Object.entries(fields).filter(([, v]) => v.trim() !== "")),
      },
      context,
    );
  }

  private async runComponent<C>(
    customId: string,
    context: BaseContext,
    extend: (ctx: BaseContext & { args: string[] }) => C,
    table: "components" | "modals",
  ): Promise<Reply> {
    const [commandName, action, ...args] = parseComponentId(customId);
    const command = this.byName.get(commandName ?? "");
    const handler = command?.[table]?.[action ?? ""];
    if (!command || !handler) {
      this.deps.log.warn({ route: `${commandName ?? ""}:${action ?? ""}` }, "bouton ou formulaire inconnu ignoré");
      return privateReply(STALE_COMPONENT);
    }
    const refusal = this.refuseFormer(context.member, handler.formerMembers ?? command.formerMembers) ?? this.refuseRole(context.member.role, handler.roles ?? command.roles);
    if (refusal) return refusal;
    return (handler.run as (ctx: C) => Reply | Promise<Reply>)(extend({ ...context, args }));
  }

  private failure(err: unknown, interaction: Interaction, member: Member | undefined): Reply {
    if (err instanceof ValidationError) return privateReply(err.toFrench(), { tone: "warning" });
    if (err instanceof UserError) return privateReply(err.message, { tone: "warning" });
    const ref = newErrorReference();
    // The database locked or full: not a bug, and the person must know nothing was recorded.
    const fault = storeFaultMessage(err);
    if (fault) {
      this.deps.log.error({ err, ref, fault: fault.kind, platform: interaction.user.platform, route: loggedRoute(interaction) }, "base de données en défaut");
      return privateReply(`${fault.message} (réf. ${ref})`, { tone: "error" });
    }
    this.deps.log.error(
      {
        err,
        ref,
        platform: interaction.user.platform,
        user: interaction.user.id,
        member: member?.id,
        route: loggedRoute(interaction),
      },
      "commande en échec",
    );
    return privateReply(internalErrorMessage(ref), { tone: "error" });
  }
}

/** What people typed or sent back never carries the bot's markup delimiters nor NUL (see core/markup.ts). */
function withoutMarkup(interaction: Interaction): Interaction {
  const clean = <T>(value: T): T => (typeof value === "string" ? (stripMarkup(value) as T) : value);
  const user = { ...interaction.user, displayName: stripMarkup(interaction.user.displayName) };
  if (interaction.type === "command") {
    return { ...interaction, user, options: Object.fromEntries(Object.entries(interaction.options).map(([k, v]) => [k, clean(v)])) };
  }
  if (interaction.type === "modal") {
    return { ...interaction, user, customId: stripMarkup(interaction.customId), fields: Object.fromEntries(Object.entries(interaction.fields).map(([k, v]) => [k, stripMarkup(v)])) };
  }
  // A component id or a select value comes back from the platform, and may be forged.
  return { ...interaction, user, customId: stripMarkup(interaction.customId), values: interaction.values.map(stripMarkup) };
}

/**
 * The route of an interaction as it may be logged: the command and sub-command, or the button's
 * `command:action`, never their arguments. Next to the user id they would tell who voted for
 * which option (`sondage:vote:<poll>:<option>`), who answered what, or what someone searched.
 */
function loggedRoute(interaction: Interaction): string {
  if (interaction.type === "command") return `/${interaction.command} ${interaction.subcommand ?? ""}`.trim();
  const [command, action] = parseComponentId(interaction.customId);
  return `${command ?? ""}:${action ?? ""}`;
}
