import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Router } from "../../bot/router.js";
import { parseTextOptions } from "../../bot/text-command.js";
import { UserError } from "../../core/errors.js";
import type { Interaction, PlatformUser } from "../../core/interaction.js";
import type { MessageRef, PlatformNotifier } from "../../core/notifier.js";
import type { Modal, Reply } from "../../core/reply.js";
import type { Services } from "../../core/services.js";
import type { Logger } from "../../logger.js";
import type { PlatformAdapter } from "../adapter.js";
import { consolePlatform } from "./descriptor.js";
import { ConsoleButtons, renderReply } from "./render.js";

interface ConsoleOptions {
  router: Router;
  services: Services;
  log: Logger;
  /** BOT_ADMINS entries; the first one is the default identity. */
  admins: readonly string[];
  input?: Readable;
  output?: Writable;
}

const LOCAL_ANIMATOR: PlatformUser = { platform: "console", id: "animateur", workspaceId: "", displayName: "Animateur console", firstName: "Animateur" };

/**
 * A line REPL in the manner of Hubot's shell: type `/commande …`, `/as <nom>` to act as
 * someone else, `!N` to press a numbered button. Works without a TTY so it can be scripted;
 * end of input resolves `closed`.
 */
export class ConsoleAdapter implements PlatformAdapter, PlatformNotifier {
  readonly name = "console" as const;
  readonly platform = "console" as const;
  private sent = 0;
  /**
   * Message ids are recorded (to edit a post later) and must never repeat, across restarts too:
   * each run numbers its messages under its own prefix (the start time, to the millisecond, in base 36).
   */
  private readonly run = Date.now().toString(36);
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private user: PlatformUser = LOCAL_ANIMATOR;
  private readonly buttons = new ConsoleButtons();
  private readonly output: Writable;
  private rl?: ReturnType<typeof createInterface>;
  private loop?: Promise<void>;

  constructor(private readonly options: ConsoleOptions) {
    this.output = options.output ?? process.stdout;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  async start(): Promise<void> {
    this.user = await this.defaultUser();
    const input = this.options.input ?? process.stdin;
    this.rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
    this.print(`Promeneurs du Net — console. Vous êtes ${this.user.displayName}. Tapez /aide (fin : Ctrl+D).`);
    this.loop = this.readLoop();
  }

  async stop(): Promise<void> {
    this.rl?.close();
    await this.loop;
  }

  private async readLoop(): Promise<void> {
    const lines = this.rl![Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await lines.next();
        if (next.done) break;
        await this.handleLine(next.value.trim(), lines);
      }
    } finally {
      this.resolveClosed();
    }
  }

  /** The first BOT_ADMINS, or a local animator so a fresh install can try every command. */
  private async defaultUser(): Promise<PlatformUser> {
    const { members } = this.options.services;
    const first = this.options.admins[0];
    if (first) {
      const [platform, id] = first.split(":") as [PlatformUser["platform"], string];
      const admin = await members.findByRef(id, platform);
      return this.actingAs(admin.id, admin.displayName);
    }
    const m = await members.resolveOrRegister(LOCAL_ANIMATOR);
    if (m.role === "PROMENEUR" || m.status !== "ACTIVE") {
      await members.ensureLocalAnimator(m.id);
    }
    return LOCAL_ANIMATOR;
  }

  /** The console identity of an existing member (a console account is linked if missing). */
  private async actingAs(memberId: number, displayName: string): Promise<PlatformUser> {
    const externalId = await this.options.services.members.consoleAccountFor(memberId);
    return { platform: "console", id: externalId, workspaceId: "", displayName };
  }

  private async handleLine(line: string, lines: AsyncIterator<string>): Promise<void> {
    if (!line || line.startsWith("#")) return;
    try {
      if (line === "/quitter" || line === "/exit") {
        this.rl!.close();
        return;
      }
      if (line.startsWith("/as ") || line === "/as") return await this.switchUser(line.slice(3).trim());
      if (/^!\d+$/.test(line)) return await this.pick(Number(line.slice(1)), lines);
      if (!line.startsWith("/")) {
        this.print("Tapez une commande commençant par /, par exemple /aide.");
        return;
      }
      const [head] = line.slice(1).split(/\s+/);
      const name = (head ?? "").toLowerCase();
      const command = this.options.router.command(name);
      const parsed = command ? parseTextOptions(command, line.slice(1 + (head ?? "").length).trim()) : { options: {} };
      await this.dispatch(
        { type: "command", user: this.user, channelId: "console", canOpenModal: false, command: name, subcommand: parsed.subcommand, options: parsed.options },
        lines,
      );
    } catch (err) {
      if (err instanceof UserError) this.print(err.message);
      else {
        this.options.log.error({ err }, "console : ligne en échec");
        this.print("Une erreur est survenue.");
      }
    }
  }

  private async switchUser(who: string): Promise<void> {
    if (!who) {
      this.print(`Vous êtes ${this.user.displayName}. Usage : /as <nom ou #numéro>`);
      return;
    }
    try {
      const member = await this.options.services.members.findByRef(who, "console");
      this.user = { ...(await this.actingAs(member.id, member.displayName)), impersonatedBy: `console, en tant que ${member.displayName}` };
      this.print(`Vous êtes maintenant ${member.displayName} (#${member.id}, ${member.role}).`);
    } catch (err) {
      if (!(err instanceof UserError) || !/^Aucun membre/.test(err.message)) throw err;
      // Someone the network does not know yet: they will be registered on their first command.
      const id = `invite-${who.toLowerCase().normalize("NFD").replace(/[^a-z0-9]+/g, "-")}`;
      this.user = { platform: "console", id, workspaceId: "", displayName: who, impersonatedBy: `console, en tant que ${who}` };
      this.print(`Vous êtes maintenant ${who} (nouvelle personne, inconnue du réseau).`);
    }
  }

  /** `!N` presses any button shown during the session, from the channel or DM where it was shown. */
  private async pick(n: number, lines: AsyncIterator<string>): Promise<void> {
    const choice = this.buttons.get(n);
    if (!choice) {
      this.print(this.buttons.size ? `Choix inconnu : tapez un numéro entre 1 et ${this.buttons.size}.` : "Aucun choix en attente.");
      return;
    }
    const { customId, values, channelId } = choice;
    await this.dispatch({ type: "component", user: this.user, channelId, canOpenModal: false, customId, values }, lines);
  }

  private async dispatch(interaction: Interaction, lines: AsyncIterator<string>): Promise<void> {
    const reply = await this.options.router.handle(interaction);
    if (reply.modal) return this.fillModal(reply.modal, lines);
    // A refused form is asked again at once, filled with what was typed (no button to press here).
    if (reply.retryForm) {
      this.show({ ...reply, components: undefined });
      return this.fillModal(reply.retryForm, lines);
    }
    this.show(reply);
  }

  /**
   * A form becomes one prompt per field, answered by the next lines (empty keeps the value shown).
   * `!annuler` cancels it; a line starting with `/` is a command, never an answer: the form is
   * abandoned and the command runs.
   */
  private async fillModal(modal: Modal, lines: AsyncIterator<string>): Promise<void> {
    this.print(`Formulaire « ${modal.title} » : une réponse par ligne (ligne vide : garder la valeur indiquée ; !annuler : abandonner).`);
    const fields: Record<string, string> = {};
    for (const field of modal.fields) {
      const current = field.value ? ` [${field.value}]` : "";
      if (field.error) this.print(`⚠️ ${field.label} : ${field.error}`);
      // What Discord and Slack show inside an empty field (the choices of a category, the expected form).
      if (field.placeholder) this.print(`  (${field.placeholder})`);
      this.print(`${field.label}${field.required ? " (obligatoire)" : ""}${current} :`);
      const next = await lines.next();
      const answer = next.done ? null : next.value.trim();
      if (answer === null || answer === "!annuler" || answer.startsWith("/")) {
        this.print(`Formulaire « ${modal.title} » abandonné : rien n'a été enregistré.`);
        if (answer?.startsWith("/")) await this.handleLine(answer, lines);
        return;
      }
      fields[field.id] = answer === "" ? (field.value ?? "") : answer;
    }
    await this.dispatch({ type: "modal", user: this.user, channelId: "console", canOpenModal: false, customId: modal.id, fields }, lines);
  }

  /** Outbound messages are printed where the animator sees them, marked with their destination. */
  async dm(externalId: string, reply: Reply): Promise<MessageRef> {
    return this.printOutbound(`message privé pour ${externalId}`, "dm", reply);
  }

  async post(channelId: string, reply: Reply): Promise<MessageRef> {
    return this.printOutbound(`dans #${channelId}`, channelId, reply);
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    this.print(`— message ${ref.messageId} modifié (${ref.channelId}) —\n${renderReply(reply, ref.channelId, this.buttons)}`);
  }

  mention(externalId: string): string {
    return consolePlatform.mentionUser(externalId);
  }

  private printOutbound(where: string, channelId: string, reply: Reply): MessageRef {
    const messageId = `${this.run}-${++this.sent}`;
    this.print(`— ${where} (message ${messageId}) —\n${renderReply(reply, channelId, this.buttons)}`);
    return { platform: "console", channelId, messageId };
  }

  private show(reply: Reply): void {
    this.print(renderReply(reply, "console", this.buttons));
  }

  private print(text: string): void {
    this.output.write(`${text}\n`);
  }
}
